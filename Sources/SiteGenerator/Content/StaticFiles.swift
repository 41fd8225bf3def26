import Foundation
import StationKit

/// Files published as they are from `Templates/assets/` (`Content/images/` goes through `ContentImages`).
enum StaticFiles {
    /// Reads every regular file under `root` (no dotfiles) into `files["prefix/relative"]`, and
    /// returns them sorted by path (the assets' hash is taken over them in that order).
    static func read(_ root: URL, into prefix: String, _ files: inout [String: Data], _ errors: inout [ContentError]) -> [(String, Data)] {
        let base = root.standardizedFileURL.path
        var read: [(String, Data)] = []
        for relative in FileTree(root: base).files.sorted()
        where !relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) {
            guard let data = FileManager.default.contents(atPath: base + "/" + relative) else {
                errors.append(ContentError(path: "\(prefix)/\(relative)", message: "cannot read the file"))
                continue
            }
            files["\(prefix)/\(relative)"] = data
            read.append(("\(prefix)/\(relative)", data))
        }
        return read
    }
}
