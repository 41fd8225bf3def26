import Foundation
import StationKit

#if canImport(Glibc)
    import Glibc
#endif

/// One part of one airing being written: `.<name>.<ext>.part` (encoded by an encoder of its own,
/// or made of an output's packets or frames when `shared`),
/// and `.<name>.json.part`, the sidecar so far (rewritten at each new track, so a crash leaves it).
/// `finish` encodes the end of stream, renames the audio to `<name>.<ext>`, writes `<name>.json`.
/// Owned by the recorder's thread.
final class RecordingFile {
    struct WriteError: Error, CustomStringConvertible {
        var path: String
        var function: String
        var code: Int32
        var isDiskFull: Bool { code == ENOSPC || code == EDQUOT }
        var description: String { "cannot write \(path): \(function) failed: \(ControlSocket.message(code))" }
    }

    let folder: String
    let name: String
    private(set) var sidecar: RecordingSidecar
    private let encoder: (any StreamEncoder)?
    private let shared: SharedEncoding?
    private let sampleRate: Int
    private let channels: Int
    private var fd: Int32
    private(set) var frames = 0
    private var closed = false

    var audioPath: String { folder + "/" + sidecar.file }
    var temporaryAudioPath: String { folder + "/" + RecordingName.temporary(sidecar.file) }
    var sidecarPath: String { folder + "/" + name + ".json" }
    var temporarySidecarPath: String { folder + "/" + RecordingName.temporary(name + ".json") }
    /// Seconds of audio written.
    var seconds: Double { Double(frames) / Double(max(1, sampleRate)) }
    /// The start plus what was written, to the nearest second (the sidecar keeps whole seconds:
    /// 59.99996 s of audio is a minute, not 59 s).
    private var endDate: Date {
        Date(timeIntervalSince1970: sidecar.start.addingTimeInterval(seconds).timeIntervalSince1970.rounded())
    }

    /// Opens the next free part of the airing starting at `start` in `folder`: `name`, `name-2`, ...
    init(
        folder: String, start: Date, timeZone: TimeZone, sidecar: RecordingSidecar, settings: RecordingSettings,
        audio: AudioFormat, shared: Bool = false
    ) throws {
        for dir in [(folder as NSString).deletingLastPathComponent, folder] where mkdir(dir, 0o755) != 0 && errno != EEXIST {
            throw WriteError(path: dir, function: "mkdir", code: errno)
        }
        var part = 1
        var name = RecordingName.base(start: start, timeZone: timeZone)
        let ext = settings.format.fileExtension
        let taken = { (name: String) -> Bool in
            [name + "." + ext, RecordingName.temporary(name + "." + ext), name + ".json"].contains {
                FileManager.default.fileExists(atPath: folder + "/" + $0)
            }
        }
        while taken(name), part < 1000 {
            part += 1
            name = RecordingName.base(start: start, timeZone: timeZone, part: part)
        }
        self.folder = folder
        self.name = name
        var sidecar = sidecar
        sidecar.file = name + "." + ext
        sidecar.format = settings.format
        sidecar.part = part
        self.sidecar = sidecar
        sampleRate = audio.sampleRate
        channels = max(1, audio.channels)
        let title = TrackTitle(artist: nil, title: sidecar.show.title)
        if shared {
            self.shared = try SharedEncoding(output: settings.output, audio: audio, title: title)
            encoder = nil
        } else {
            encoder = try StreamEncoders.make(settings.output, format: audio, title: title)
            self.shared = nil
        }
        let path = folder + "/" + RecordingName.temporary(sidecar.file)
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(path: path, function: "open", code: errno) }
        try write(try encoder?.start() ?? self.shared?.start() ?? [])
        try saveProgress()
    }

    deinit { if !closed { close(fd) } }

    /// Writes interleaved samples at the station's format: the output's packets that encode them
    /// when given (a shared file), else encoded here.
    func append(_ samples: [Float], packets: [EncodedPacket]? = nil) throws {
        frames += samples.count / channels
        if let shared {
            try write(try shared.append(samples, packets: packets))
        } else if let encoder {
            try write(try encoder.encode(samples))
        }
    }

    /// A new item began `seconds` into the file.
    func mark(_ title: TrackTitle) throws {
        sidecar.tracks.append(
            RecordingSidecar.Track(
                offset: (seconds * 10).rounded() / 10, text: title.text, artist: title.artist, title: title.title))
        try saveProgress()
    }

    /// A DJ went on air during this airing: it was live, and `dj` (their name, when known) hosted it.
    func markLive(dj: String?) throws {
        guard !sidecar.live || (dj != nil && sidecar.dj != dj) else { return }
        sidecar.live = true
        if let dj { sidecar.dj = dj }
        try saveProgress()
    }

    /// Ends the stream, publishes the file under its name, then the sidecar (`end` = start + what
    /// was written). After a write error it still publishes what is on disk.
    func finish(afterError: Bool = false) {
        guard !closed else { return }
        if !afterError { try? write(encoder?.finish() ?? shared?.finish() ?? []) }
        fsync(fd)
        close(fd)
        closed = true
        sidecar.end = endDate
        rename(temporaryAudioPath, audioPath)
        if let data = try? sidecar.encoded(), (try? AtomicFileWriter.write(data, to: URL(fileURLWithPath: sidecarPath))) != nil {
            unlink(temporarySidecarPath)
        }
    }

    private func saveProgress() throws {
        var progress = sidecar
        progress.end = endDate
        guard let data = try? progress.encoded() else { return }
        do { try AtomicFileWriter.write(data, to: URL(fileURLWithPath: temporarySidecarPath)) } catch {
            throw WriteError(path: temporarySidecarPath, function: "write", code: error.code)
        }
    }

    private func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WriteError(path: temporaryAudioPath, function: "write", code: errno)
            }
            offset += n
        }
    }
}
