import ArgumentParser
import Foundation
import StationKit

/// `onair report --log FILE [--from DATE] [--to DATE] --format csv|soundexchange`: what aired, from
/// onaird's playout log (docs/REPORTS.md).
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Print onaird's playout log as CSV or a SoundExchange report of use.")

    @Option(help: "onaird's playout log (the `playout_log:` file).") var log: String
    @Option(help: "First UTC day (YYYY-MM-DD) or instant (2026-12-04T18:00:00Z) to include.") var from: String?
    @Option(help: "Last UTC day to include (YYYY-MM-DD), or the instant to stop before.") var to: String?
    @Option(help: "csv (every item) or soundexchange (music, one row per recording).") var format: String = "csv"
    @Option(help: "NAME_OF_SERVICE in a soundexchange report.") var service: String = "OnAir"

    func run() throws {
        guard let format = PlayoutReport.Format(rawValue: format) else {
            throw ValidationError("--format must be csv or soundexchange, not '\(format)'")
        }
        let start = try from.map { text in
            guard let date = PlayoutReport.date(text, endOfDay: false) else {
                throw ValidationError("--from must be a day like 2026-12-04 or an instant like 2026-12-04T18:00:00Z, not '\(text)'")
            }
            return date
        }
        let end = try to.map { text in
            guard let date = PlayoutReport.date(text, endOfDay: true) else {
                throw ValidationError("--to must be a day like 2026-12-04 or an instant like 2026-12-04T18:00:00Z, not '\(text)'")
            }
            return date
        }
        let text: String
        do {
            text = try String(contentsOfFile: log, encoding: .utf8)
        } catch {
            FileHandle.standardError.write(Data("onair: cannot read the playout log \(log) (is playout_log: set in onaird.yaml?)\n".utf8))
            throw ExitCode(1)
        }
        let report = PlayoutReport(log: text, file: log, from: start, to: end)
        for problem in report.problems { FileHandle.standardError.write(Data("\(problem)\n".utf8)) }
        FileHandle.standardOutput.write(Data(report.render(format, service: service).utf8))
    }
}
