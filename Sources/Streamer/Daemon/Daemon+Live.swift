import Foundation
import StationKit

/// The control commands about the DJ on the live mount: who is allowed on (`dj`, asked by onair-api
/// when Icecast checks a DJ's login) and taking them off (`end_live`).
extension Daemon {
    /// `dj NAME`: onair-api let account NAME onto the DJ mount; they are named `live.streamer`. Refused
    /// while NAME is held after an admin took them off the air (the API then refuses the login).
    func allowDJ(_ text: String?) -> ControlResponse {
        guard let name = TrackTitle.clean(text), name.count <= 64 else {
            return .failure("give the DJ's account name (at most 64 characters)")
        }
        let now = Date()
        let held = shared.withLock { shared -> Date? in
            shared.heldAccounts = shared.heldAccounts.filter { $0.value.until > now }
            if let held = shared.heldAccounts[name.lowercased()] { return held.until }
            shared.djAccount = name
            return nil
        }
        if let held {
            return .failure("'\(name)' was taken off the air by an admin and may stream again after \(ISO8601.string(held))")
        }
        return .success("the next DJ on the live mount is '\(name)'")
    }

    /// For `onair status` and the studio: who may not come back yet, and until when.
    func holdNote(at now: Date) -> String? {
        let holds = shared.withLock { shared in
            shared.heldAccounts = shared.heldAccounts.filter { $0.value.until > now }
            return shared.heldAccounts.values.sorted { $0.until < $1.until }
        }
        guard !holds.isEmpty else { return nil }
        return holds.map { "'\($0.name)' taken off the air, may come back after \(ISO8601.string($0.until))" }.joined(separator: "; ")
    }

    /// `end_live [WHO]`: the programme fades back in; the DJ is held off the air for `live.end_hold`
    /// seconds; with Icecast's admin login their connection is ended too. Runs on the control thread
    /// and waits for Icecast (at most its 3 s timeout) so the admin is told what happened.
    func endLive(by text: String?, engine: any AudioEngine) -> ControlResponse {
        let (dj, account, live) = shared.withLock { ($0.state.dj, $0.djAccount, $0.config.live ?? LiveSettings()) }
        guard let dj else { return .failure("no DJ from the live mount is on air: nothing to end") }
        let who = TrackTitle.clean(text).map { String($0.prefix(64)) } ?? "the operator"
        engine.endLive(reason: "the DJ was taken off the air by \(who)")
        let done = "the DJ goes off the air and the programme fades back in"
        let hold = live.endHold > 0 ? "; they may not come back for \(DaemonConfig.number(live.endHold)) s" : ""
        // Held by account (onair-api asks before Icecast lets them in) or, without one, by the name
        // on air; LiveSwitch holds the stream name itself for the receiver.
        if let name = account ?? dj.streamer, live.endHold > 0 {
            let until = Date().addingTimeInterval(live.endHold)
            shared.withLock { $0.heldAccounts[name.lowercased()] = (name, until) }
        }
        shared.withLock { $0.djAccount = nil }  // the next DJ is named by their own login
        guard let admin = live.admin else {
            return .success("\(done)\(hold); their connection stays open (give onaird icecast.admin_password_file to end it)")
        }
        switch admin.endSource(mount: live.mount) {
        case .ended, .noSource:
            logger.notice("the DJ's connection was ended", metadata: ["live.mount": "\(live.mount)", "live.by": "\(who)"])
            return .success("\(done); their connection was ended\(hold)")
        case .failed(let reason):
            logger.error("could not end the DJ's connection", metadata: ["live.mount": "\(live.mount)", "icecast.error": "\(reason)"])
            return .success("\(done)\(hold); their connection could not be ended: \(reason)")
        }
    }
}
