/// A value as the compiled renderer (`CompiledTemplates`) sees it: typed, so a lookup is a
/// `switch` on the tag name instead of swift-mustache's reflection and dynamic casts.
/// The cases follow what swift-mustache does with the same Swift values: strings, numbers and
/// objects are truthy (a section over one pushes it), `Bool` decides a section without pushing,
/// lists repeat a section per element, and a nil optional is "not here" (the lookup goes on down
/// the context stack).
enum MustacheValue {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list(any MustacheList)
    case object(any MustacheObject)

    /// What `{{name}}` prints before escaping (swift-mustache prints `String(describing:)`).
    var text: String {
        switch self {
        case .string(let string): string
        case .int(let int): String(int)
        case .bool(let bool): bool ? "true" : "false"
        case .list(let list): String(describing: list)
        case .object(let object): String(describing: object)
        }
    }
}

/// A view struct whose fields templates read by name. Return nil for a field that does not exist
/// or is a nil optional.
protocol MustacheObject {
    func mustacheValue(named name: String) -> MustacheValue?
}

/// A list a section repeats over.
protocol MustacheList {
    var mustacheCount: Int { get }
    func mustacheElement(_ index: Int) -> MustacheValue
}

/// Anything that can be a field of a view.
protocol MustacheValueConvertible {
    var mustacheValue: MustacheValue { get }
}

extension String: MustacheValueConvertible {
    var mustacheValue: MustacheValue { .string(self) }
}

extension Int: MustacheValueConvertible {
    var mustacheValue: MustacheValue { .int(self) }
}

extension Bool: MustacheValueConvertible {
    var mustacheValue: MustacheValue { .bool(self) }
}

extension Array: MustacheList where Element: MustacheValueConvertible {
    var mustacheCount: Int { count }
    func mustacheElement(_ index: Int) -> MustacheValue { self[index].mustacheValue }
}

extension Array: MustacheValueConvertible where Element: MustacheValueConvertible {
    var mustacheValue: MustacheValue { .list(self) }
}

extension MustacheObject {
    var mustacheValue: MustacheValue { .object(self) }
}

/// `field` as a lookup result: nil for a nil optional, as swift-mustache unwraps reflected optionals.
@inline(__always)
func mustache<T: MustacheValueConvertible>(_ field: T?) -> MustacheValue? {
    field?.mustacheValue
}
