// swift-tools-version:6.0
import PackageDescription

// OnAir: `onair` (site generator + daemon client) and `onaird` (streaming daemon).
// C libraries come from Debian through system-library targets; only their wrappers import them.
let package = Package(
    name: "OnAir",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "onair", targets: ["onair"]),
        .executable(name: "onaird", targets: ["onaird"]),
        .executable(name: "onair-api", targets: ["onair-api"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // onair-api only (keeps onair and onaird small)
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.100.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        // C libraries (module.modulemap + shim.h only)
        .systemLibrary(name: "CDiscount", pkgConfig: "libmarkdown",
                       providers: [.apt(["libmarkdown2-dev"])]),
        .systemLibrary(name: "CShout", pkgConfig: "shout", providers: [.apt(["libshout3-dev"])]),
        .systemLibrary(name: "CVorbis", pkgConfig: "vorbisenc",
                       providers: [.apt(["libvorbis-dev", "libogg-dev"])]),
        .systemLibrary(name: "CALSA", pkgConfig: "alsa", providers: [.apt(["libasound2-dev"])]),
        .systemLibrary(name: "CSampleRate", pkgConfig: "samplerate",
                       providers: [.apt(["libsamplerate0-dev"])]),
        .systemLibrary(name: "CLame", providers: [.apt(["libmp3lame-dev"])]),
        .systemLibrary(name: "COpus", pkgConfig: "libopusenc",
                       providers: [.apt(["libopus-dev", "libopusenc-dev", "libopusfile-dev"])]),
        .systemLibrary(name: "CMpg123", pkgConfig: "libmpg123", providers: [.apt(["libmpg123-dev"])]),
        .systemLibrary(name: "CFLAC", pkgConfig: "flac", providers: [.apt(["libflac-dev"])]),
        .systemLibrary(name: "CEBUR128", pkgConfig: "libebur128", providers: [.apt(["libebur128-dev"])]),
        .systemLibrary(name: "CRSVG", pkgConfig: "librsvg-2.0", providers: [.apt(["librsvg2-dev"])]),

        // Thin safe wrappers: the only importers of the C modules
        .target(name: "Markdown", dependencies: ["CDiscount"]),
        .target(name: "Shout", dependencies: ["CShout"]),
        .target(name: "Vorbis", dependencies: ["CVorbis"]),
        .target(name: "ALSA", dependencies: ["CALSA"]),
        .target(name: "SampleRate", dependencies: ["CSampleRate"]),
        .target(name: "LAME", dependencies: ["CLame"]),
        .target(name: "Opus", dependencies: ["COpus"]),
        .target(name: "Mpg123", dependencies: ["CMpg123"]),
        .target(name: "FLAC", dependencies: ["CFLAC"]),
        .target(name: "Loudness", dependencies: ["CEBUR128"]),
        .target(name: "SVGRender", dependencies: ["CRSVG"]),

        // Shared model (Foundation only)
        .target(name: "StationKit", dependencies: [.product(name: "Yams", package: "Yams")]),

        // Libraries
        .target(name: "SiteGenerator", dependencies: [
            "StationKit", "Markdown", "SVGRender",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Yams", package: "Yams"),
        ]),
        .target(name: "Streamer", dependencies: [
            "StationKit", "Shout", "Vorbis", "ALSA", "SampleRate", "LAME", "Opus", "Mpg123", "FLAC", "Loudness",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ]),

        .target(name: "StationAPI", dependencies: [
            "StationKit",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "SQLiteNIO", package: "sqlite-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Yams", package: "Yams"),
        ]),

        // Executables: thin
        .executableTarget(name: "onair", dependencies: [
            "SiteGenerator", "StationKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "onaird", dependencies: [
            "Streamer", "StationKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .executableTarget(name: "onair-api", dependencies: [
            "StationAPI", "StationKit",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Tests (Swift Testing)
        .testTarget(name: "StationKitTests", dependencies: ["StationKit"]),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown"]),
        .testTarget(name: "SVGRenderTests", dependencies: ["SVGRender"]),
        .testTarget(name: "SiteGeneratorTests", dependencies: ["SiteGenerator", "StationKit"]),
        .testTarget(name: "StreamerTests", dependencies: [
            "Streamer", "StationKit", "Vorbis", "Opus", "Shout", "SampleRate", "Loudness",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "StationAPITests", dependencies: [
            "StationAPI", "StationKit",
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
