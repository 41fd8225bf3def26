import Testing
@testable import StationAPI

@Suite struct APIConfigTests {
    @Test func defaults() { #expect(APIConfig().port == 8090) }
}
