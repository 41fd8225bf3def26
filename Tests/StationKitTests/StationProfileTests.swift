import StationKit
import Testing

@Suite struct StationProfileTests {
    let profile = StationProfile(
        name: "Kanal Elbe", tagline: "Community radio", description: "", baseURL: "https://kanal-elbe.example",
        language: "en", timezone: "Europe/Berlin",
        streams: [
            .init(mount: "/radio.ogg", format: "vorbis", bitrate: 128, label: "Ogg Vorbis 128k"),
            .init(mount: "/radio.mp3", format: "mp3", bitrate: 128, label: "MP3 128k"),
        ])

    @Test func streamsPlaySameOriginThroughNginx() {
        #expect(profile.streams.map(\.sameOriginPath) == ["/stream/radio.ogg", "/stream/radio.mp3"])
        #expect(profile.streams.map(\.mime) == ["audio/ogg", "audio/mpeg"])
        #expect(profile.absoluteURL(profile.streams[0].sameOriginPath) == "https://kanal-elbe.example/stream/radio.ogg")
    }

    @Test func pageAddresses() {
        let show = Show(slug: "night-owls", title: "Night Owls", host: "Sam", image: nil, description: "", genres: [], body: "")
        #expect(show.url == "/shows/night-owls/")
        let page = Article(kind: .page, slug: "about", title: "About", description: nil, date: nil, author: nil, image: nil, body: "")
        let post = Article(
            kind: .post, slug: "winter", title: "Winter", description: nil,
            date: LocalDate(year: 2026, month: 11, day: 20), author: nil, image: nil, body: "")
        #expect(page.url == "/about/")
        #expect(post.url == "/news/winter/")
    }
}
