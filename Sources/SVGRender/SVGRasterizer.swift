import CRSVG
import Foundation

/// SVG in, PNG out: librsvg draws the document into a cairo image surface of the given size
/// (the SVG's own viewBox scaled to fit), and cairo encodes it as PNG. The only file that calls
/// librsvg and cairo. Each call owns its handle and surface and frees them before returning.
/// The same SVG bytes give the same PNG bytes (cairo's PNG writer adds no time stamps).
public enum SVGRasterizer {
    /// The librsvg and cairo versions: a different renderer may draw other pixels.
    public static let version = "librsvg \(LIBRSVG_MAJOR_VERSION).\(LIBRSVG_MINOR_VERSION).\(LIBRSVG_MICRO_VERSION) cairo \(String(cString: cairo_version_string()))"

    /// Renders `svg` to a `width` × `height` PNG. Images the SVG links must be `data:` URLs.
    public static func png(svg: Data, width: Int, height: Int) throws(SVGRenderError) -> Data {
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

        let sink = PNGSink()
        let written = cairo_surface_write_to_png_stream(surface, { closure, bytes, length in
            guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
            Unmanaged<PNGSink>.fromOpaque(closure).takeUnretainedValue().data.append(bytes, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        guard written == CAIRO_STATUS_SUCCESS else { throw cairoFailure("cairo_surface_write_to_png_stream", written) }
        return withExtendedLifetime(sink) { sink.data }
    }

    private static func failure(_ function: String, _ error: UnsafeMutablePointer<GError>?) -> SVGRenderError {
        defer { if let error { g_error_free(error) } }
        let message = error.flatMap { $0.pointee.message.map { String(cString: $0) } } ?? "unknown error"
        return SVGRenderError(function: function, message: message)
    }

    private static func cairoFailure(_ function: String, _ status: cairo_status_t) -> SVGRenderError {
        SVGRenderError(function: function, message: String(cString: cairo_status_to_string(status)))
    }
}

/// Collects the PNG bytes cairo writes.
private final class PNGSink {
    var data = Data()
}
