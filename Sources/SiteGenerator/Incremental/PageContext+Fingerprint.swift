/// Every stored property of every view, in declaration order, into a page's key: a page whose
/// key is unchanged renders the same bytes (the templates see nothing else). A new field goes here
/// and into `PageContext+Mustache.swift`; two reflection tests fail until it does
/// (`everyStoredPropertyOfEveryViewIsNamedInItsFingerprint`, `everyViewFieldIsReachableByName`).

extension PageContext: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("PageContext")
        hash.add(station)
        hash.add(streams)
        hash.add(first_stream)
        hash.add(sources)
        hash.add(share)
        hash.add(share_url)
        hash.add(share_text)
        hash.add(asset_version)
        hash.add(page)
        hash.add(nav)
        hash.add(content)
        hash.add(year)
        hash.add(days)
        hash.add(specials)
        hash.add(has_specials)
        hash.add(coming_up)
        hash.add(has_coming_up)
        hash.add(pagination)
        hash.add(show)
        hash.add(shows)
        hash.add(posts)
        hash.add(latest_posts)
        hash.add(has_latest_posts)
        hash.add(latest_recordings)
        hash.add(has_latest_recordings)
        hash.add(post)
        hash.add(article)
        hash.add(timezone)
        hash.add(t.count)
        for key in t.keys.sorted() { hash.add(key); hash.add(t[key] ?? "") }
        hash.add(strings_json)
    }
}

extension StationView: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("StationView")
        hash.add(name)
        hash.add(tagline)
        hash.add(description)
        hash.add(language)
        hash.add(base_url)
        hash.add(logo)
        hash.add(logo_absolute)
        hash.add(timezone)
        hash.add(social)
        hash.add(has_social)
        hash.add(listen_m3u)
        hash.add(listen_pls)
        hash.add(api)
    }
}

extension StreamView: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("StreamView")
        hash.add(mount)
        hash.add(url)
        hash.add(absolute_url)
        hash.add(format)
        hash.add(mime)
        hash.add(source_type)
        hash.add(bitrate)
        hash.add(label)
    }
}

extension ShareLink: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("ShareLink")
        hash.add(name)
        hash.add(key)
        hash.add(url)
    }
}

extension LinkView: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("LinkView")
        hash.add(name)
        hash.add(url)
    }
}

extension NavItem: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("NavItem")
        hash.add(label)
        hash.add(url)
        hash.add(current)
    }
}

extension PageMeta: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("PageMeta")
        hash.add(title)
        hash.add(full_title)
        hash.add(description)
        hash.add(canonical)
        hash.add(image)
        hash.add(image_alt)
        hash.add(og_type)
        hash.add(path)
        hash.add(is_home)
        hash.add(kind)
    }
}

extension DayView: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("DayView")
        hash.add(key)
        hash.add(name)
        hash.add(slots)
        hash.add(is_empty)
    }
}

extension SlotView: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("SlotView")
        hash.add(show_slug)
        hash.add(show_title)
        hash.add(show_url)
        hash.add(host)
        hash.add(day)
        hash.add(day_name)
        hash.add(days_name)
        hash.add(weekly_start)
        hash.add(weekly_end)
        hash.add(start)
        hash.add(end)
        hash.add(crosses_midnight)
        hash.add(special)
        hash.add(show_day)
        hash.add(title)
        hash.add(date)
        hash.add(date_label)
    }
}

extension PaginationView: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("PaginationView")
        hash.add(current)
        hash.add(total)
        hash.add(previous_url)
        hash.add(next_url)
    }
}

extension ShowView: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("ShowView")
        hash.add(slug)
        hash.add(title)
        hash.add(host)
        hash.add(url)
        hash.add(image)
        hash.add(description)
        hash.add(genres)
        hash.add(has_genres)
        hash.add(body_html)
        hash.add(slots)
        hash.add(has_slots)
        hash.add(next_airing)
        hash.add(recordings)
        hash.add(has_recordings)
        hash.add(podcast_url)
    }
}

extension PostView: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("PostView")
        hash.add(title)
        hash.add(url)
        hash.add(date)
        hash.add(date_label)
        hash.add(author)
        hash.add(description)
        hash.add(image)
        if let body_key { hash.add(true); hash.add(body_key) } else { hash.add(false); hash.add(body_html) }
    }
}

extension ArticleView: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("ArticleView")
        hash.add(title)
        hash.add(body_html)
        hash.add(image)
    }
}

extension RecordingView: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("RecordingView")
        hash.add(show_title)
        hash.add(show_url)
        hash.add(start)
        hash.add(date_label)
        hash.add(duration)
        hash.add(duration_label)
        hash.add(dj)
        hash.add(url)
        hash.add(mime)
        hash.add(tracks)
        hash.add(has_tracks)
    }
}

extension RecordingTrackView: Fingerprinted {
    func fingerprint(into hash: inout Fingerprint) {
        hash.add("RecordingTrackView")
        hash.add(offset)
        hash.add(time_label)
        hash.add(text)
    }
}
