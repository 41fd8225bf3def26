import Foundation
import SVGRender
import Testing

@Suite struct SVGRasterizerTests {
    static let square = Data(
        """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0b6e75"/></svg>
        """.utf8)

    @Test func rendersThePNGAtTheAskedSizeTheSameEveryTime() throws {
        let png = try SVGRasterizer.png(svg: Self.square, width: 1200, height: 630)
        #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(png[16..<24] == Data([0, 0, 0x04, 0xB0, 0, 0, 0x02, 0x76]))
        #expect(try SVGRasterizer.png(svg: Self.square, width: 1200, height: 630) == png)
    }

    @Test func badSVGAndBadSizesThrowWhatWentWrong() {
        let error = #expect(throws: SVGRenderError.self) { try SVGRasterizer.png(svg: Data("<svg".utf8), width: 10, height: 10) }
        #expect(error?.function == "rsvg_handle_new_from_data")
        #expect(throws: SVGRenderError(function: "png", message: "size 0×10 is outside 1…8192")) {
            try SVGRasterizer.png(svg: Self.square, width: 0, height: 10)
        }
    }

    @Test func smallCompressionGivesTheSameSizeInFewerBytes() throws {
        let drawing = Data(
            """
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#0b6e75"/>\
            <circle cx="5" cy="5" r="3" fill="#fff"/></svg>
            """.utf8)
        let fast = try SVGRasterizer.png(svg: drawing, width: 600, height: 600)
        let small = try SVGRasterizer.png(svg: drawing, width: 600, height: 600, compression: .small)
        #expect(small[16..<24] == fast[16..<24] && small.count < fast.count)
    }

    @Test func librsvgsMessageHasNoTrailingNewline() {
        let error = #expect(throws: SVGRenderError.self) { try SVGRasterizer.png(svg: Data("<svg\n".utf8), width: 10, height: 10) }
        #expect(error?.message.hasSuffix("\n") == false && error?.message.isEmpty == false)
    }
}
