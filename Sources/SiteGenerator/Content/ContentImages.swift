import Foundation
import StationKit

#if canImport(Glibc)
    import Glibc
#endif

/// What `Content/images/` may publish: image files only (a `.js` or `.html` there would be
/// same-origin script on the site), and only files that really are in the folder. A symbolic link,
/// even to an image, is refused, because it could point at a secret anywhere on the machine; so
/// are other file types. Hidden names (`.DS_Store`) are skipped. Walked with `lstat`, never
/// following a link.
struct ContentImages {
    static let extensions: Set<String> = ["png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "ico"]

    var root: URL
    /// How errors name the folder, e.g. `Content/images`.
    var displayPath: String

    struct File: Equatable { var path: String; var url: URL }

    /// The images (site paths `images/...`, sorted) and an error for every file that cannot be published.
    func scan() -> (files: [File], errors: [ContentError]) {
        var files: [File] = []
        var errors: [ContentError] = []
        walk(root, relative: "", &files, &errors)
        return (files.sorted { $0.path < $1.path }, errors.sorted { $0.path < $1.path })
    }

    private func walk(_ folder: URL, relative: String, _ files: inout [File], _ errors: inout [ContentError]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names.sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            let path = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(url.path, &info) == 0 else {
                errors.append(ContentError(path: "\(displayPath)/\(path)", message: "cannot read the file"))
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(url, relative: path, &files, &errors)
            case S_IFLNK:
                errors.append(
                    ContentError(
                        path: "\(displayPath)/\(path)",
                        message:
                            "is a symbolic link; images/ publishes only files that are really in it (copy the image in instead of linking it)"))
            case S_IFREG:
                if Self.extensions.contains((name as NSString).pathExtension.lowercased()) {
                    files.append(File(path: "images/" + path, url: url))
                } else {
                    errors.append(
                        ContentError(
                            path: "\(displayPath)/\(path)",
                            message:
                                "only images are published from images/ (\(Self.extensions.sorted().joined(separator: ", "))); move this file out of the folder"
                        ))
                }
            default:
                errors.append(ContentError(path: "\(displayPath)/\(path)", message: "is not a regular file; images/ publishes only image files"))
            }
        }
    }
}
