import Foundation

/// The files of a playlist (a folder scanned by name, or an .m3u) and the order to play them in.
/// Pure bookkeeping: no decoding. A folder change is seen at the next `next()`.
struct Playlist {
    static let audioExtensions: Set<String> = ["ogg", "oga", "opus", "wav", "wave", "mp3", "flac"]

    let path: String
    let shuffle: Bool
    private(set) var files: [String] = []
    private var queue: [String] = []
    private var last: String?
    private var lastIndex: Int?
    private var generator: any RandomNumberGenerator

    init(path: String, shuffle: Bool, generator: any RandomNumberGenerator = SystemRandomNumberGenerator()) {
        self.path = path
        self.shuffle = shuffle
        self.generator = generator
    }

    /// Lists the playlist's files: a folder's audio files (by extension, hidden ones left out) sorted
    /// by name, or an .m3u's entries (relative to the .m3u's folder; '#' lines are comments).
    static func scan(_ path: String) throws -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw TrackError(description: "playlist \(path) does not exist")
        }
        if isFolder.boolValue {
            let names = try FileManager.default.contentsOfDirectory(atPath: path)
            return names.filter { !$0.hasPrefix(".") && audioExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
                .sorted().map { (path as NSString).appendingPathComponent($0) }
        }
        let folder = (path as NSString).deletingLastPathComponent
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            let entry = line.trimmingCharacters(in: .whitespaces)
            if entry.isEmpty || entry.hasPrefix("#") { return nil }
            return entry.hasPrefix("/") ? entry : (folder as NSString).appendingPathComponent(entry)
        }
    }

    /// Re-reads the folder or .m3u. Keeps the shuffle queue's order for files still there.
    mutating func refresh(reshuffle: Bool = false) throws {
        let scanned = try Self.scan(path)
        if scanned == files && !reshuffle { return }
        let present = Set(scanned)
        let added = scanned.filter { !files.contains($0) }
        files = scanned
        if shuffle {
            queue = reshuffle ? [] : queue.filter { present.contains($0) }
            for file in added where !reshuffle {
                queue.insert(file, at: Int.random(in: 0...queue.count, using: &generator))
            }
        }
    }

    /// The next file to play (nil when the playlist is empty). Re-reads the folder first.
    mutating func next() -> String? {
        try? refresh()
        guard !files.isEmpty else { return nil }
        let chosen: String
        if shuffle {
            if queue.isEmpty {
                queue = files.shuffled(using: &generator)
                // Don't play the same file twice in a row across a reshuffle.
                if queue.count > 1, queue.first == last { queue.swapAt(0, queue.count - 1) }
            }
            chosen = queue.removeFirst()
        } else if let last, let lastIndex, lastIndex < files.count, files[lastIndex] == last {
            chosen = files[(lastIndex + 1) % files.count]  // unchanged list (or .m3u order)
        } else if let last, let index = files.firstIndex(where: { $0 > last }) {
            chosen = files[index]  // the folder changed: go on by name
        } else {
            chosen = files[0]
        }
        lastIndex =
            shuffle
            ? nil
            : files.firstIndex(of: chosen).map { index in
                // With duplicates in an .m3u, continue after the entry we just moved to.
                if let previous = lastIndex, previous + 1 < files.count, files[previous + 1] == chosen { return previous + 1 }
                return index
            }
        last = chosen
        return chosen
    }
}
