import Foundation

/// Where the programme reads the time. The daemon uses the wall clock; tests move a clock of their
/// own, so slot changes, station IDs and silence are tested without waiting.
protocol ProgrammeClock: AnyObject {
    func now() -> Date
}

final class WallClock: ProgrammeClock {
    func now() -> Date { Date() }
}
