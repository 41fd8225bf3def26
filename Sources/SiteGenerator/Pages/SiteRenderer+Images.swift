import Foundation
import SVGRender
import StationKit

/// The images a build renders: the app icons, the share cards and the podcast covers.
extension SiteRenderer {
    /// Renders the app icons, and every share card and podcast cover not yet published in
    /// `outputPath` (their file names are their contents' hashes: a published one is kept as it
    /// is), into `output`, on all cores.
    func renderImages(into output: any SiteOutput, outputPath: String?) -> [ContentError] {
        var errors: [ContentError] = []
        if let appManifest {
            output.put("manifest.webmanifest", appManifest.manifest())
            do { for (file, png) in try appManifest.icons() { output.put(file, png) } } catch {
                errors.append(
                    ContentError(
                        path: content.profile.artwork.map { "images/" + ($0 as NSString).lastPathComponent } ?? "station.yaml",
                        message: "the station's icon cannot be rendered (\(error))"))
            }
        }
        var jobs: [String: RenderJob] = [:]
        for card in sharedViews.cards.values {
            jobs[card.path] = RenderJob(path: card.path) { () throws(ContentError) in
                do { return try ShareCards.png(card) } catch {
                    throw ContentError(path: ShareCards.templateFile, message: "the share card '\(card.alt)' cannot be rendered (\(error))")
                }
            }
        }
        for cover in podcastCovers.values {
            guard case .rendered(let path, let drawing) = cover else { continue }
            jobs[path] = RenderJob(path: path) { () throws(ContentError) in try PodcastArt.png(drawing) }
        }
        let failures = ParallelMap.map(jobs.values.sorted { $0.path < $1.path }) { job -> ContentError? in
            let file = String(job.path.dropFirst())
            if let outputPath, let stamp = FileStamp(path: outputPath + "/" + file), stamp.size > 0 {
                output.keep(file, stamp: stamp)
                return nil
            }
            do throws(ContentError) {
                output.put(file, try job.render())
                return nil
            } catch {
                return error
            }
        }
        return errors + failures.compactMap { $0 }
    }

    /// One content-addressed PNG to render unless it is published already.
    struct RenderJob: Sendable {
        /// Site path, named after a hash of everything the PNG is made of.
        var path: String
        /// Errors name the template or content file at fault, relative to its folder.
        var render: @Sendable () throws(ContentError) -> Data
    }

    /// The cover of each podcast feed (`podcastShows`), by show slug.
    static func podcastCovers(_ art: PodcastArt, content: StationContent, strings: Strings) -> [String: PodcastArt.Cover] {
        var covers: [String: PodcastArt.Cover] = [:]
        for show in podcastShows(of: content) {
            covers[show.slug] = art.cover(for: show, subtitle: show.host.map { "\(strings["with"]) \($0)" })
        }
        return covers
    }
}
