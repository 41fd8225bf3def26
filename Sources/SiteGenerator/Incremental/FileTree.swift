import Foundation

/// A folder's tree read with `readdir` (the file type comes with the name; no `stat` per entry
/// and no Foundation enumerator, which cost a tenth of a 10 000-page build).
struct FileTree {
    /// Site-relative paths of regular files (and of links to them), unsorted.
    var files: [String] = []

    private init() {}

    init(root: String) {
        walk(root, "", parallel: true)
    }

    /// The tree under `root/relative` (a folder of it); `parallel` walks the subfolders of a
    /// folder that has many (a news folder: one per post) on all cores.
    private mutating func walk(_ root: String, _ relative: String, parallel: Bool = false) {
        let path = relative.isEmpty ? root : root + "/" + relative
        guard let dir = opendir(path) else { return }
        defer { closedir(dir) }
        var subfolders: [String] = []
        defer {
            if subfolders.count >= 64 {
                let children = subfolders, chunk = 128
                let ranges = stride(from: 0, to: children.count, by: chunk).map { $0..<min($0 + chunk, children.count) }
                let parts = ParallelMap.map(ranges) { range -> FileTree in
                    var part = FileTree()
                    for child in children[range] { part.walk(root, child) }
                    return part
                }
                for part in parts { files += part.files }
            } else {
                for child in subfolders { walk(root, child, parallel: true) }
            }
        }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let child = relative.isEmpty ? name : relative + "/" + name
            var type = Int32(entry.pointee.d_type)
            if type == Int32(DT_UNKNOWN) || type == Int32(DT_LNK) {
                var info = stat()
                guard stat(root + "/" + child, &info) == 0 else { continue }
                let format = info.st_mode & S_IFMT
                type = format == S_IFDIR ? (type == Int32(DT_LNK) ? -1 : Int32(DT_DIR)) : format == S_IFREG ? Int32(DT_REG) : -1
            }
            if type == Int32(DT_DIR) {
                if parallel { subfolders.append(child) } else { walk(root, child) }
            } else if type == Int32(DT_REG) {
                files.append(child)
            }
        }
    }
}
