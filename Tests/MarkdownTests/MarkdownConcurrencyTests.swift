import Foundation
import Markdown
import Testing

/// Discount runs without a lock: many threads rendering at once must give the bytes a serial
/// rendering gives. Not timed; repeated so an unlucky interleaving gets many chances to show.
@Suite struct MarkdownConcurrencyTests {
    /// Documents that exercise every part of Discount the stations use, plus raw HTML blocks
    /// (the block-tag table) and an e-mail autolink (Discount's address mangling).
    static let documents: [String] = (0..<24).map { index in
        """
        # Night Owls \(index)

        Some *jazz*, **soul** and `code` on air \(index); see [the show](/shows/night-owls-\(index)/)
        or https://example.org/\(index) and <mailto:host\(index)@example.org>.

        ## Playlist \(index)

        1. First track \(index)
        2. Second -- track "quoted"
           - nested item
           - another one

        > A quote \(index)
        > over two lines.

        ```
        onair build --output site/\(index)
        ```

        <div class="note">Raw <em>HTML</em> block \(index)</div>

        | Day | Time |
        |-----|------|
        | Mon | \(index):00 |

        Text with a line\\
        break and an image ![logo](/images/logo-\(index).svg "Logo").

        ***

        [ref]: /news/\(index)/
        Last [reference][ref] paragraph.
        """
    }

    @Test func manyThreadsGiveTheSerialBytes() throws {
        let serial = try Self.documents.map { try Markdown.html($0) }
        #expect(Set(serial).count == Self.documents.count)
        for round in 0..<10 {
            let results = Collected(count: Self.documents.count * 4 * 8)
            let group = DispatchGroup()
            for thread in 0..<8 {
                group.enter()
                Thread {
                    for step in 0..<Self.documents.count * 4 {
                        let index = (step * 7 + thread * 5) % Self.documents.count
                        let html = (try? Markdown.html(Self.documents[index])) ?? "failed"
                        results.set(thread * Self.documents.count * 4 + step, (index, html))
                    }
                    group.leave()
                }.start()
            }
            #expect(group.wait(timeout: .now() + 120) == .success, "round \(round) did not finish")
            let rendered = results.values()
            #expect(rendered.count == Self.documents.count * 4 * 8)
            for (index, html) in rendered where html != serial[index] {
                Issue.record("round \(round): document \(index) rendered differently on a thread:\n\(html)")
            }
        }
    }

    /// Results written once each, from many threads.
    private final class Collected: @unchecked Sendable {
        private var slots: [(Int, String)?]
        private let lock = NSLock()
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ slot: Int, _ value: (Int, String)) { lock.lock(); slots[slot] = value; lock.unlock() }
        func values() -> [(Int, String)] { lock.lock(); defer { lock.unlock() }; return slots.compactMap { $0 } }
    }
}
