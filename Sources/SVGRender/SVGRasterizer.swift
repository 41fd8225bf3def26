import CRSVG
import Foundation

/// SVG in, PNG out: librsvg draws the document into a cairo image surface of the given size
/// (the SVG's own viewBox scaled to fit), and libpng encodes it. The only file that calls
/// librsvg, cairo and libpng. Each call owns its handle and surface and frees them before returning.
/// The same SVG bytes give the same PNG bytes (no time stamps are written).
public enum SVGRasterizer {
    /// The librsvg and cairo versions: a different renderer may draw other pixels. ("fast" names the
    /// compression the share cards' names were made with; a `.small` PNG's name adds its own.)
    public static let version =
        "librsvg \(LIBRSVG_MAJOR_VERSION).\(LIBRSVG_MINOR_VERSION).\(LIBRSVG_MICRO_VERSION) cairo \(String(cString: cairo_version_string())) libpng \(String(cString: png_get_libpng_ver(nil))) fast"

    /// Renders `svg` to a `width` × `height` PNG. Images the SVG links must be `data:` URLs.
    /// `compression` trades time for size (callers that name files by content add it to the name).
    public static func png(svg: Data, width: Int, height: Int, compression: PNGCompression = .fast) throws(SVGRenderError) -> Data {
        guard width > 0, height > 0, width <= 8192, height <= 8192 else {
            throw SVGRenderError(function: "png", message: "size \(width)×\(height) is outside 1…8192")
        }
        var error: UnsafeMutablePointer<GError>?
        let handle = svg.withUnsafeBytes { raw -> OpaquePointer? in
            let bytes = raw.bindMemory(to: UInt8.self)
            return OpaquePointer(rsvg_handle_new_from_data(bytes.baseAddress, gsize(bytes.count), &error))
        }
        guard let handle else { throw failure("rsvg_handle_new_from_data", error) }
        defer { g_object_unref(gpointer(handle)) }

        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height)) else {
            throw SVGRenderError(function: "cairo_image_surface_create", message: "out of memory")
        }
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else { throw cairoFailure("cairo_image_surface_create", status) }
        guard let cairo = cairo_create(surface) else {
            throw SVGRenderError(function: "cairo_create", message: "out of memory")
        }
        defer { cairo_destroy(cairo) }

        var viewport = RsvgRectangle(x: 0, y: 0, width: Double(width), height: Double(height))
        guard rsvg_handle_render_document(UnsafeMutablePointer(handle), cairo, &viewport, &error) != 0 else {
            throw failure("rsvg_handle_render_document", error)
        }
        cairo_surface_flush(surface)

        return try encode(surface, width: width, height: height, compression: compression)
    }

    /// The surface as PNG through libpng's simplified API, `.fast` with its fast setting (no
    /// filters, light compression: cairo's own PNG writer spent most of a share card's time
    /// compressing), `.small` with its defaults. Opaque images become RGB, others RGBA (cairo's
    /// premultiplied alpha undone).
    private static func encode(_ surface: OpaquePointer, width: Int, height: Int, compression: PNGCompression)
        throws(SVGRenderError) -> Data
    {
        guard let pixels = cairo_image_surface_get_data(surface) else {
            throw SVGRenderError(function: "cairo_image_surface_get_data", message: "the surface has no pixels")
        }
        let stride = Int(cairo_image_surface_get_stride(surface))
        var opaque = true
        for y in 0..<height where opaque {
            let row = pixels + y * stride
            for x in 0..<width where row[x * 4 + 3] != 255 { opaque = false; break }
        }
        let channels = opaque ? 3 : 4
        var packed = [UInt8](repeating: 0, count: width * height * channels)
        packed.withUnsafeMutableBufferPointer { out in
            for y in 0..<height {
                // cairo's ARGB32 is a native-endian 32-bit word: B, G, R, A in memory on little-endian machines.
                let row = UnsafeRawPointer(pixels + y * stride).bindMemory(to: UInt32.self, capacity: width)
                for x in 0..<width {
                    let pixel = row[x]
                    let alpha = UInt32(pixel >> 24)
                    var red = (pixel >> 16) & 0xff, green = (pixel >> 8) & 0xff, blue = pixel & 0xff
                    if alpha != 255 && alpha != 0 {
                        red = min(255, red * 255 / alpha); green = min(255, green * 255 / alpha); blue = min(255, blue * 255 / alpha)
                    }
                    let index = (y * width + x) * channels
                    out[index] = UInt8(red); out[index + 1] = UInt8(green); out[index + 2] = UInt8(blue)
                    if channels == 4 { out[index + 3] = UInt8(alpha) }
                }
            }
        }
        var image = png_image()
        image.version = crsvg_png_image_version()
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = opaque ? crsvg_png_format_rgb() : crsvg_png_format_rgba()
        image.flags = compression == .fast ? crsvg_png_flag_fast() : 0
        // One pass into a buffer of the format's bound (at worst the raw pixels plus zlib's overhead).
        var size = crsvg_png_size_max(image)
        let rowBytes = Int32(width * channels)
        var data = Data(count: Int(size))
        let written = data.withUnsafeMutableBytes { raw in
            png_image_write_to_memory(&image, raw.baseAddress, &size, 0, packed, rowBytes, nil)
        }
        guard written != 0, size > 0 else { throw pngFailure(&image) }
        png_image_free(&image)
        data.count = Int(size)
        return data
    }

    private static func pngFailure(_ image: inout png_image) -> SVGRenderError {
        let message = withUnsafeBytes(of: image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        png_image_free(&image)
        return SVGRenderError(function: "png_image_write_to_memory", message: message.isEmpty ? "unknown error" : message)
    }

    private static func failure(_ function: String, _ error: UnsafeMutablePointer<GError>?) -> SVGRenderError {
        defer { if let error { g_error_free(error) } }
        // librsvg's parse errors end in a newline.
        let message =
            error.flatMap { $0.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } }
            ?? "unknown error"
        return SVGRenderError(function: function, message: message)
    }

    private static func cairoFailure(_ function: String, _ status: cairo_status_t) -> SVGRenderError {
        SVGRenderError(function: function, message: String(cString: cairo_status_to_string(status)))
    }
}
