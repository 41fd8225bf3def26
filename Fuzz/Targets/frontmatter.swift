// A Markdown file's YAML front matter (shows, pages, news): any text must give fields or a
// `path:line: error:`, never a crash.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFrontMatter(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    let file = SourceFile(displayPath: "Content/shows/fuzz.md", text: text)
    do {
        let parsed = try FrontMatter.parse(file)
        _ = parsed.body.count
    } catch {
        _ = error.description
    }
    return 0
}
