/// How hard libpng works on a PNG's size.
public enum PNGCompression: String, Sendable, CaseIterable {
    /// No filters, light compression: about half the time of a share card went into compressing
    /// before this; what the site's cards and icons use.
    case fast
    /// libpng's default filters and zlib level: about a sixth smaller for flat artwork, at more CPU,
    /// for files others download (podcast covers, which should stay near 500 KB).
    case small
}
