import Foundation
import Mustache

/// A typed template view that answers Mustache's name lookups from a per-type table of field
/// positions. swift-mustache's default for a plain struct reflects *every* field and then filters
/// by name, on every `{{tag}}` and at every level of the context stack; that was 40 % of a build's
/// CPU time. Here the first lookup of a type records where each field sits, and later lookups read
/// one field. The values (and so the rendered bytes) are the same as with the default.
protocol TemplateView: MustacheParent {}

extension TemplateView {
    func child(named name: String) -> Any? {
        let mirror = Mirror(reflecting: self)
        guard let field = TemplateFieldTables.shared.field(named: name, in: Self.self, mirror: mirror) else { return nil }
        let children = mirror.children
        let value = children[children.index(children.startIndex, offsetBy: field.offset)].value
        return field.isOptional ? TemplateFieldTables.unwrap(value) : value
    }
}

/// Field positions by type, built once per type and shared by the rendering threads.
final class TemplateFieldTables: @unchecked Sendable {
    struct Field { var offset: Int; var isOptional: Bool }

    static let shared = TemplateFieldTables()
    private var tables: [ObjectIdentifier: [String: Field]] = [:]
    private let lock = NSLock()

    func field(named name: String, in type: Any.Type, mirror: Mirror) -> Field? {
        let key = ObjectIdentifier(type)
        lock.lock()
        if let table = tables[key] { lock.unlock(); return table[name] }
        lock.unlock()
        var table: [String: Field] = [:]
        for (offset, child) in mirror.children.enumerated() {
            guard let label = child.label, table[label] == nil else { continue }  // first match wins, as in Mustache
            table[label] = Field(offset: offset, isOptional: Mirror(reflecting: child.value).displayStyle == .optional)
        }
        lock.lock()
        tables[key] = table
        lock.unlock()
        return table[name]
    }

    /// `Optional<T>` inside an `Any`: its value, or nil (what swift-mustache does for a reflected field).
    static func unwrap(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}

extension PageContext: TemplateView {}
extension StationView: TemplateView {}
extension StreamView: TemplateView {}
extension ShareLink: TemplateView {}
extension LinkView: TemplateView {}
extension NavItem: TemplateView {}
extension PageMeta: TemplateView {}
extension DayView: TemplateView {}
extension SlotView: TemplateView {}
extension ShowView: TemplateView {}
extension PostView: TemplateView {}
extension ArticleView: TemplateView {}
