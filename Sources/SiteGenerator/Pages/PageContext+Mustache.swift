/// The compiled renderer's field tables: one `case` per stored property, named as the property,
/// so templates read exactly what swift-mustache's reflection would read (`CompiledTemplatesTests.everyViewFieldIsReachableByName`
/// compares the two for every field).

extension PageContext: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "station": self.station.mustacheValue
        case "streams": self.streams.mustacheValue
        case "first_stream": mustache(self.first_stream)
        case "sources": self.sources.mustacheValue
        case "share": self.share.mustacheValue
        case "share_url": self.share_url.mustacheValue
        case "share_text": self.share_text.mustacheValue
        case "asset_version": self.asset_version.mustacheValue
        case "page": self.page.mustacheValue
        case "nav": self.nav.mustacheValue
        case "content": self.content.mustacheValue
        case "year": self.year.mustacheValue
        case "days": self.days.mustacheValue
        case "specials": self.specials.mustacheValue
        case "has_specials": self.has_specials.mustacheValue
        case "coming_up": self.coming_up.mustacheValue
        case "has_coming_up": self.has_coming_up.mustacheValue
        case "pagination": mustache(self.pagination)
        case "show": mustache(self.show)
        case "shows": self.shows.mustacheValue
        case "posts": self.posts.mustacheValue
        case "latest_posts": self.latest_posts.mustacheValue
        case "has_latest_posts": self.has_latest_posts.mustacheValue
        case "latest_recordings": self.latest_recordings.mustacheValue
        case "has_latest_recordings": self.has_latest_recordings.mustacheValue
        case "post": mustache(self.post)
        case "article": mustache(self.article)
        case "timezone": self.timezone.mustacheValue
        case "t": self.t.mustacheValue
        case "strings_json": self.strings_json.mustacheValue
        default: nil
        }
    }
}

/// `{{t.key}}`: a text table answers by key (swift-mustache looks dictionaries up the same way).
extension Dictionary: MustacheObject, MustacheValueConvertible where Key == String, Value == String {
    func mustacheValue(named name: String) -> MustacheValue? { self[name]?.mustacheValue }
}

extension StationView: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "name": self.name.mustacheValue
        case "tagline": self.tagline.mustacheValue
        case "description": self.description.mustacheValue
        case "language": self.language.mustacheValue
        case "base_url": self.base_url.mustacheValue
        case "logo": mustache(self.logo)
        case "logo_absolute": mustache(self.logo_absolute)
        case "timezone": self.timezone.mustacheValue
        case "social": self.social.mustacheValue
        case "has_social": self.has_social.mustacheValue
        case "listen_m3u": self.listen_m3u.mustacheValue
        case "listen_pls": self.listen_pls.mustacheValue
        case "api": self.api.mustacheValue
        default: nil
        }
    }
}

extension StreamView: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "mount": self.mount.mustacheValue
        case "url": self.url.mustacheValue
        case "absolute_url": self.absolute_url.mustacheValue
        case "format": self.format.mustacheValue
        case "mime": self.mime.mustacheValue
        case "source_type": self.source_type.mustacheValue
        case "bitrate": mustache(self.bitrate)
        case "label": self.label.mustacheValue
        default: nil
        }
    }
}

extension ShareLink: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "name": self.name.mustacheValue
        case "key": self.key.mustacheValue
        case "url": self.url.mustacheValue
        default: nil
        }
    }
}

extension LinkView: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "name": self.name.mustacheValue
        case "url": self.url.mustacheValue
        default: nil
        }
    }
}

extension NavItem: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "label": self.label.mustacheValue
        case "url": self.url.mustacheValue
        case "current": self.current.mustacheValue
        default: nil
        }
    }
}

extension PageMeta: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "title": self.title.mustacheValue
        case "full_title": self.full_title.mustacheValue
        case "description": self.description.mustacheValue
        case "canonical": self.canonical.mustacheValue
        case "image": mustache(self.image)
        case "image_alt": mustache(self.image_alt)
        case "og_type": self.og_type.mustacheValue
        case "path": self.path.mustacheValue
        case "is_home": self.is_home.mustacheValue
        case "kind": self.kind.mustacheValue
        default: nil
        }
    }
}

extension DayView: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "key": self.key.mustacheValue
        case "name": self.name.mustacheValue
        case "slots": self.slots.mustacheValue
        case "is_empty": self.is_empty.mustacheValue
        default: nil
        }
    }
}

extension SlotView: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "show_slug": self.show_slug.mustacheValue
        case "show_title": self.show_title.mustacheValue
        case "show_url": self.show_url.mustacheValue
        case "host": mustache(self.host)
        case "day": self.day.mustacheValue
        case "day_name": self.day_name.mustacheValue
        case "days_name": self.days_name.mustacheValue
        case "weekly_start": self.weekly_start.mustacheValue
        case "weekly_end": self.weekly_end.mustacheValue
        case "start": self.start.mustacheValue
        case "end": self.end.mustacheValue
        case "crosses_midnight": self.crosses_midnight.mustacheValue
        case "special": self.special.mustacheValue
        case "show_day": self.show_day.mustacheValue
        case "title": mustache(self.title)
        case "date": mustache(self.date)
        case "date_label": mustache(self.date_label)
        default: nil
        }
    }
}

extension PaginationView: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "current": self.current.mustacheValue
        case "total": self.total.mustacheValue
        case "previous_url": mustache(self.previous_url)
        case "next_url": mustache(self.next_url)
        default: nil
        }
    }
}

extension ShowView: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "slug": self.slug.mustacheValue
        case "title": self.title.mustacheValue
        case "host": mustache(self.host)
        case "url": self.url.mustacheValue
        case "image": mustache(self.image)
        case "description": self.description.mustacheValue
        case "genres": self.genres.mustacheValue
        case "has_genres": self.has_genres.mustacheValue
        case "body_html": self.body_html.mustacheValue
        case "slots": self.slots.mustacheValue
        case "has_slots": self.has_slots.mustacheValue
        case "next_airing": mustache(self.next_airing)
        case "recordings": self.recordings.mustacheValue
        case "has_recordings": self.has_recordings.mustacheValue
        case "podcast_url": mustache(self.podcast_url)
        default: nil
        }
    }
}

extension PostView: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "title": self.title.mustacheValue
        case "url": self.url.mustacheValue
        case "date": self.date.mustacheValue
        case "date_label": self.date_label.mustacheValue
        case "author": mustache(self.author)
        case "description": mustache(self.description)
        case "image": mustache(self.image)
        case "body_html": self.body_html.mustacheValue
        default: nil
        }
    }
}

extension ArticleView: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "title": self.title.mustacheValue
        case "body_html": self.body_html.mustacheValue
        case "image": mustache(self.image)
        default: nil
        }
    }
}

extension RecordingView: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "show_title": self.show_title.mustacheValue
        case "show_url": self.show_url.mustacheValue
        case "start": self.start.mustacheValue
        case "date_label": self.date_label.mustacheValue
        case "duration": self.duration.mustacheValue
        case "duration_label": self.duration_label.mustacheValue
        case "dj": mustache(self.dj)
        case "url": self.url.mustacheValue
        case "mime": self.mime.mustacheValue
        case "tracks": self.tracks.mustacheValue
        case "has_tracks": self.has_tracks.mustacheValue
        default: nil
        }
    }
}

extension RecordingTrackView: MustacheObject, MustacheValueConvertible {
    func mustacheValue(named name: String) -> MustacheValue? {
        switch name {
        case "offset": self.offset.mustacheValue
        case "time_label": self.time_label.mustacheValue
        case "text": self.text.mustacheValue
        default: nil
        }
    }
}
