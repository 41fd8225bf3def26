import Foundation
import StationKit

/// The one seam between the build's steps and what the last build left behind (`~/.cache/onair`):
/// the manifest that lets a build with nothing changed stop early, the front matter of unchanged
/// files, rendered Markdown bodies, page keys and the published feed's items. A step asks the
/// cache and hands its results back; `onair check` (nothing published) gets an empty cache that
/// remembers nothing, so a step's code reads the same with the cache on or off.
struct BuildCache: Sendable {
    let outputURL: URL
    let contentURL: URL
    /// False for `onair check`: nothing is read from or written to the cache.
    let enabled: Bool
    /// The fingerprint of every input, and the content folder's file stamps from the same `stat`
    /// calls (the content loader takes them instead of a second `stat` per file).
    private let inputs: UInt64?
    private let contentStamps: Locked<[(String, ContentCache.Stamp)]>

    init(_ options: BuildOptions) {
        outputURL = options.outputURL
        contentURL = options.contentURL
        enabled = options.write
        if enabled {
            let measured = BuildManifest.inputsAndStamps(options)
            inputs = measured.inputs
            contentStamps = Locked(measured.content)
        } else {
            inputs = nil
            contentStamps = Locked([])
        }
    }

    /// The content folder's stamps, handed over once (ten thousand of them need not stay in
    /// memory for the rest of the build).
    func takeContentStamps() -> [String: ContentCache.Stamp] {
        let stamps = contentStamps.withLock { stamps in
            defer { stamps = [] }; return stamps
        }
        return Dictionary(stamps, uniquingKeysWith: { first, _ in first })
    }

    /// The last build, when nothing it depends on has changed since (inputs, options, day, onair,
    /// the published files): the site is as it should be.
    func lastBuildIfNothingChanged() -> BuildManifest? {
        guard let inputs, let last = BuildManifest.read(from: outputURL), last.inputs == inputs,
            last.outputs == BuildManifest.outputs(outputURL)
        else { return nil }
        return last
    }

    /// The front matter the last build read, by content-relative path.
    func previousContent() -> ContentCache {
        enabled ? ContentCache.read(for: outputURL, contentURL: contentURL) : ContentCache()
    }

    func previousBodies() -> BodyCache {
        enabled ? BodyCache.read(for: outputURL) : BodyCache()
    }

    func previousPages() -> PageCache? {
        enabled ? PageCache.read(for: outputURL) : nil
    }

    /// The published feed's bytes with its items' places, when the feed is as the last build left it.
    func previousFeed() -> (Data, [UInt64: Range<Int>])? {
        enabled ? FeedIndex.published(in: outputURL) : nil
    }

    /// What a finished build leaves for the next one.
    struct Results {
        var stamps: [String: FileStamp]
        var files: Int
        var now: Date
        var content: (next: ContentCache, previous: ContentCache)
        var bodies: (next: BodyCache?, previous: BodyCache)
        var pages: PageKeys
        var feedItems: [UInt64: Range<Int>]?
    }

    /// Best effort, after publishing: the caches (tens of megabytes of bodies for a big news
    /// folder) are written side by side, each checked against the files when it is read again;
    /// the manifest last. Without them the next build is simply a full one.
    func save(_ results: Results) {
        guard enabled else { return }
        let outputURL = outputURL, contentURL = contentURL
        let written = DispatchGroup()
        let bodies = results.bodies, pages = results.pages, stamps = results.stamps, content = results.content
        let feedItems = results.feedItems
        DispatchQueue.global().async(group: written) { bodies.next?.write(for: outputURL, over: bodies.previous) }
        DispatchQueue.global().async(group: written) {
            pages.cache(stamps: stamps).write(for: outputURL)
            if let feedItems, let stamp = stamps["feed.xml"] { FeedIndex(stamp: stamp, items: feedItems).write(for: outputURL) }
        }
        DispatchQueue.global().async(group: written) {
            if content.next.entries != content.previous.entries { content.next.write(for: outputURL, contentURL: contentURL) }
        }
        if let inputs {
            BuildManifest(inputs: inputs, outputs: BuildManifest.outputs(stamps: stamps), files: results.files, now: results.now)
                .write(to: outputURL)
        }
        written.wait()
    }
}
