import Foundation
import Logging
import Loudness

/// The gain that brings each file to `target` LUFS (EBU R128) under a true-peak ceiling of
/// −1 dBTP. Each file is measured once with libebur128 on a queue of its own (never the audio
/// thread) and remembered by its stamp (size + modification time) in `cacheFile`, one line per
/// file: `lufs<TAB>peak_dbtp<TAB>size<TAB>mtime<TAB>path`. Until a file is measured it plays at
/// its ReplayGain tag's gain, or 0 dB: measuring never delays the stream.
/// `@unchecked Sendable`: `known`, `queued` and `cacheFailed` are touched under `lock` only (the audio
/// thread reads gains while the measuring queue writes them).
final class LoudnessLevels: @unchecked Sendable {
    static let ceiling = -1.0
    /// ReplayGain 2's reference level in LUFS.
    static let replayGainReference = -18.0

    let target: Double
    let cacheFile: String?
    private let logger: Logger
    private let lock = NSLock()
    private var known: [String: Entry] = [:]
    private var queued: Set<String> = []
    private let queue = DispatchQueue(label: "onaird-loudness", qos: .utility)
    private var cacheFailed = false

    struct Stamp: Equatable { var size: Int64; var mtime: Double }
    struct Entry: Equatable { var stamp: Stamp; var measurement: LoudnessMeasurement }

    init(target: Double, cacheFile: String?, logger: Logger) {
        self.target = target
        self.cacheFile = cacheFile
        self.logger = logger
        if let cacheFile, let text = try? String(contentsOfFile: cacheFile, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false)
                guard fields.count == 5, let lufs = Double(fields[0]), let peak = Double(fields[1]),
                    let size = Int64(fields[2]), let mtime = Double(fields[3])
                else { continue }
                known[String(fields[4])] = Entry(
                    stamp: Stamp(size: size, mtime: mtime),
                    measurement: LoudnessMeasurement(integrated: lufs, truePeak: peak))
            }
        }
    }

    /// The gain in dB for `path` now. A file's ReplayGain tag is used instead of measuring it;
    /// otherwise its measurement, and until there is one 0 dB while it is measured in the background.
    func gain(for path: String, tags: TrackTags) -> Double {
        if let replayGain = tags.replayGain {
            var gain = replayGain + (target - Self.replayGainReference)
            if let peak = tags.replayPeak, peak > 0 { gain = min(gain, Self.ceiling - 20 * log10(peak)) }
            return gain
        }
        if let measured = measurement(of: path) { return Self.gain(target: target, measurement: measured) }
        prepare([path])
        return 0
    }

    /// The cached measurement when the file is unchanged since.
    func measurement(of path: String) -> LoudnessMeasurement? {
        guard let stamp = Self.stamp(path) else { return nil }
        return lock.withLock { known[path].flatMap { $0.stamp == stamp ? $0.measurement : nil } }
    }

    /// Measures these files in the background (the ones not known or changed).
    func prepare(_ paths: [String]) {
        for path in paths {
            let wanted = lock.withLock { () -> Bool in
                guard !queued.contains(path) else { return false }
                if let entry = known[path], entry.stamp == Self.stamp(path) { return false }
                queued.insert(path)
                return true
            }
            guard wanted else { continue }
            queue.async { [self] in
                let result = measure(path)
                lock.withLock { _ = queued.remove(path) }
                guard let (stamp, measurement) = result else { return }
                lock.withLock { known[path] = Entry(stamp: stamp, measurement: measurement) }
                remember(path, stamp, measurement)
            }
        }
    }

    /// Waits for the queued measurements (tests); at most `seconds`.
    func drain(seconds: Double) {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        _ = done.wait(timeout: .now() + seconds)
    }

    /// target − loudness, lowered so the true peak stays under −1 dBTP; silence gets 0 dB.
    static func gain(target: Double, measurement: LoudnessMeasurement) -> Double {
        guard measurement.integrated.isFinite else { return 0 }
        var gain = target - measurement.integrated
        if measurement.truePeak.isFinite { gain = min(gain, ceiling - measurement.truePeak) }
        return gain
    }

    static func stamp(_ path: String) -> Stamp? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = (attributes[.size] as? NSNumber)?.int64Value,
            let date = attributes[.modificationDate] as? Date
        else { return nil }
        return Stamp(size: size, mtime: date.timeIntervalSince1970)
    }

    private func measure(_ path: String) -> (Stamp, LoudnessMeasurement)? {
        guard let stamp = Self.stamp(path) else { return nil }
        do {
            let decoder = try TrackDecoders.open(path)
            var meter: LoudnessMeter?
            while let block = try decoder.read(maxFrames: 8192) {
                if meter == nil { meter = try LoudnessMeter(channels: block.format.channels, sampleRate: block.format.sampleRate) }
                guard let meter, meter.channels == block.format.channels else { continue }
                try meter.add(block.samples)
            }
            guard let measurement = try meter?.measurement() else { return nil }
            logger.debug(
                "loudness measured",
                metadata: [
                    "file.path": "\(path)", "lufs": "\(measurement.integrated)",
                    "dbtp": "\(measurement.truePeak)",
                ])
            return (stamp, measurement)
        } catch {
            logger.debug("cannot measure loudness", metadata: ["file.path": "\(path)", "error": "\(error)"])
            return nil
        }
    }

    private func remember(_ path: String, _ stamp: Stamp, _ measurement: LoudnessMeasurement) {
        guard let cacheFile, !path.contains("\n") else { return }
        let line = "\(measurement.integrated)\t\(measurement.truePeak)\t\(stamp.size)\t\(stamp.mtime)\t\(path)\n"
        do {
            try FileManager.default.createDirectory(
                atPath: (cacheFile as NSString).deletingLastPathComponent,
                withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: cacheFile) {
                FileManager.default.createFile(atPath: cacheFile, contents: nil)
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: cacheFile))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(line.utf8))
        } catch {
            if !cacheFailed {
                cacheFailed = true
                logger.warning(
                    "cannot write the loudness cache; measurements are kept in memory only",
                    metadata: ["loudness.cache": "\(cacheFile)", "error": "\(error)"])
            }
        }
    }
}
