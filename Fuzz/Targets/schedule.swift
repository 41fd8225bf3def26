// Content/schedule.md: any text must give slots and errors, never a crash.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSchedule(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    let parser = ScheduleParser(path: "Content/schedule.md", contentPath: "Content",
                                shows: [.init(slug: "night-owls", title: "Night Owls"),
                                        .init(slug: "morning-tide", title: "Morning Tide")])
    let result = parser.parse(text)
    _ = result.errors.map { $0.description }
    return 0
}
