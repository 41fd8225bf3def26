import Foundation

/// What the last successful build saw, so a rebuild with nothing changed can stop after a few
/// thousand `stat` calls instead of loading, rendering and comparing the whole site again.
///
/// The fingerprint covers every file under Content/ and Templates/ (path, size, modification time),
/// the options, the build's "now" (the 15-minute slot of the clock when it is not pinned: every
/// station's midnight falls on one), the `onair` executable itself, and every published file
/// (path, size, modification time; not nowplaying.json), so a changed input, a different day, a new
/// `onair` or a touched output all mean a full build. Stored outside the site, in the user's cache
/// folder (`~/.cache/onair/`), one small file per output folder; without it a build is a full one.
struct BuildManifest: Equatable {
    /// Where the manifest of the site in `outputURL` lives.
    static func location(for outputURL: URL) -> URL? {
        guard let caches = FileManager.default.urls(for: .cachesDirectory, in: .userDomainMask).first else { return nil }
        var hash = Fingerprint()
        hash.add(outputURL.standardizedFileURL.path)
        return caches.appendingPathComponent("onair").appendingPathComponent("build-\(String(hash.value, radix: 16))")
    }

    var inputs: UInt64
    var outputs: UInt64
    var files: Int
    var now: Date

    /// The fingerprint of everything a build reads, and the stamps of the regular files under the
    /// content folder with their content-relative paths, from the same `stat` calls (the content
    /// loader takes them instead of a second `stat` per file; a list, made a dictionary only when
    /// the build goes on).
    static func inputsAndStamps(_ options: BuildOptions) -> (inputs: UInt64, content: [(String, ContentCache.Stamp)]) {
        var hash = Fingerprint()
        hash.add("onair-build 2")
        hash.add(options.contentURL.path); hash.add(options.contentPath)
        hash.add(options.templatesURL.path); hash.add(options.templatesPath)
        hash.add(options.outputURL.path); hash.add(options.baseURL ?? "-")
        hash.add(options.api ? "api" : "no api")
        if let now = options.now {
            hash.add("now \(now.timeIntervalSince1970)")
        } else {
            hash.add("clock \(Int((options.clock.timeIntervalSince1970 / 900).rounded(.down)))")
        }
        hash.add(Self.statText("/proc/self/exe", input: false))
        if let recordings = options.recordingsFolder {
            hash.add("recordings " + recordings.path)
            hash.add(RecordingsFolder.stamps(recordings))
        }
        var content: [(String, ContentCache.Stamp)] = []
        for root in [options.contentURL, options.templatesURL] {
            hash.add("root " + root.path)
            let paths = files(under: root.path, skipping: { _ in false })
            let stats = inputStats(paths, under: root.path)
            if root == options.contentURL { content.reserveCapacity(paths.count) }
            for (path, (text, stamp)) in zip(paths, stats) {
                hash.add(path); hash.add(text)
                if root == options.contentURL, let stamp { content.append((path, stamp)) }
            }
        }
        return (hash.value, content)
    }

    /// `statTexts(paths, under: root, input: true)` with each regular file's stamp beside its text.
    static func inputStats(_ paths: [String], under root: String) -> [(String, ContentCache.Stamp?)] {
        let chunk = 256
        let ranges = stride(from: 0, to: paths.count, by: chunk).map { $0..<min($0 + chunk, paths.count) }
        return ParallelMap.map(ranges) { range in
            paths[range].map { path -> (String, ContentCache.Stamp?) in
                var info = stat()
                guard stat(root + "/" + path, &info) == 0 else { return ("missing", nil) }
                return (Self.statText(info, input: true), (info.st_mode & S_IFMT) == S_IFREG ? ContentCache.Stamp(info) : nil)
            }
        }.flatMap { $0 }
    }

    /// What `Self.statText` gives for each of `paths` under `root`, taken on
    /// all cores (ten thousand `stat` calls before a build can even tell nothing changed).
    static func statTexts(_ paths: [String], under root: String, input: Bool) -> [String] {
        let chunk = 256
        let ranges = stride(from: 0, to: paths.count, by: chunk).map { $0..<min($0 + chunk, paths.count) }
        return ParallelMap.map(ranges) { range in
            paths[range].map { Self.statText(root + "/" + $0, input: input) }
        }.flatMap { $0 }
    }

    /// The fingerprint of the published site (without the daemon's nowplaying.json and dotfiles).
    static func outputs(_ outputURL: URL) -> UInt64 {
        var hash = Fingerprint()
        let root = outputURL.standardizedFileURL.path
        let paths = files(under: root, skipping: SiteWriter.isKept)
        for (path, text) in zip(paths, statTexts(paths, under: root, input: false)) { hash.add(path); hash.add(text) }
        return hash.value
    }

    /// The same fingerprint from the stamps the build recorded for the files it published (all
    /// the site has after publishing, besides the kept ones): no second walk over the site.
    static func outputs(stamps: [String: FileStamp]) -> UInt64 {
        var hash = Fingerprint()
        for (path, stamp) in stamps.sorted(by: { $0.key < $1.key }) where !SiteWriter.isKept(path) {
            hash.add(path); hash.add(stamp.manifestText)
        }
        return hash.value
    }

    /// Regular files under `root`, site-relative and sorted; `skipping` drops paths.
    static func files(under root: String, skipping: (String) -> Bool) -> [String] {
        FileTree(root: root).files.filter { !skipping($0) }.sorted()
    }

    static func read(from outputURL: URL) -> BuildManifest? {
        guard let url = location(for: outputURL), let text = try? String(contentsOf: url, encoding: .utf8) else { return nil }
        let fields = text.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1) }
        var values: [String: String] = [:]
        for field in fields where field.count == 2 { values[String(field[0])] = String(field[1]) }
        guard let inputs = values["inputs"].flatMap({ UInt64($0, radix: 16) }),
            let outputs = values["outputs"].flatMap({ UInt64($0, radix: 16) }),
            let files = values["files"].flatMap({ Int($0) }),
            let now = values["now"].flatMap({ Double($0) })
        else { return nil }
        return BuildManifest(inputs: inputs, outputs: outputs, files: files, now: Date(timeIntervalSince1970: now))
    }

    /// Best effort: without it the next build is simply a full one.
    func write(to outputURL: URL) {
        let text = "inputs \(String(inputs, radix: 16))\noutputs \(String(outputs, radix: 16))\nfiles \(files)\nnow \(now.timeIntervalSince1970)\n"
        guard let url = Self.location(for: outputURL) else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: url, options: .atomic)
    }

    /// A file's stat as the fingerprints take it; an input's also has its status-change time,
    /// which a rewrite that restores the modification time (or size) still moves.

    static func statText(_ path: String, input: Bool) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "missing" }
        return statText(info, input: input)
    }

    static func statText(_ info: stat, input: Bool) -> String {
        let text = "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
        return input ? text + " \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)" : text
    }
}
