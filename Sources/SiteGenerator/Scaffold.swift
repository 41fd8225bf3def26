import Foundation

/// `onair new show "Night Owls"`: writes `Content/shows/night-owls.md` with front matter to fill in.
public enum Scaffold {
    public enum Kind: String, CaseIterable, Sendable { case show, page, post }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// `Night Owls!` -> `night-owls`.
    public static func slug(_ title: String) -> String {
        var slug = ""
        for scalar in title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .lowercased().unicodeScalars
        {
            if scalar.isASCII, CharacterSet.alphanumerics.contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug
    }

    /// Creates the file and returns its path as the user sees it (`Content/shows/night-owls.md`).
    /// Never overwrites an existing file.
    public static func create(_ kind: Kind, title: String, contentURL: URL, contentPath: String, today: String) throws(Failure) -> String {
        let slug = slug(title)
        guard !slug.isEmpty else { throw Failure(description: "'\(title)' has no letters or digits to make a file name from") }
        let (folder, name, text): (String, String, String)
        let quoted = "\"" + title.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        switch kind {
        case .show:
            (folder, name) = ("shows", "\(slug).md")
            text = """
                ---
                title: \(quoted)
                host: Your Name
                # image: images/\(slug).svg
                description: One or two sentences listeners see in listings and link previews.
                genres: [music]
                ---
                What the show is about, who hosts it, and what listeners can expect.

                Add it to `schedule.md` with a row like `| 22:00–00:00 | [\(title)](shows/\(slug).md) |`.

                """
        case .page:
            (folder, name) = ("pages", "\(slug).md")
            text = "---\ntitle: \(quoted)\ndescription: What this page is about.\n---\nWrite the page here.\n"
        case .post:
            (folder, name) = ("news", "\(today)-\(slug).md")
            text = "---\ntitle: \(quoted)\ndate: \(today)\ndescription: One sentence for the feed and link previews.\n---\nWrite the news here.\n"
        }
        let folderURL = contentURL.appendingPathComponent(folder)
        let fileURL = folderURL.appendingPathComponent(name)
        let display = "\(contentPath)/\(folder)/\(name)"
        guard !FileManager.default.fileExists(atPath: fileURL.path) else {
            throw Failure(description: "\(display) already exists (edit it, or pick another title)")
        }
        do {
            try FileManager.default.createDirectory(at: folderURL, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: fileURL, options: .withoutOverwriting)
        } catch {
            throw Failure(description: "cannot write \(display) (\(error.localizedDescription))")
        }
        return display
    }
}
