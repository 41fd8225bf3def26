// onair-api's JSON request bodies: any bytes must give a body or a 400 `APIError`, and every
// string a body carries must pass or fail the rules the routes apply (chat text, nickname, studio
// title, user name), never crash. Compiled over StationAPI's RequestBodies.swift, ChatRules.swift
// and User.swift, with Fuzz/Targets/APIStub.swift for the two types they name.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAPIBodies(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: bytes, count: count))
    if let post = try? APIService.decodeBody(APIService.ChatPost.self, from: body) {
        _ = ChatRules.text(post.text)
        _ = ChatRules.nickname(post.nickname)
    }
    if let signIn = try? APIService.decodeBody(APIService.SignIn.self, from: body) {
        _ = User.validationError(name: signIn.username)
        _ = ChatRules.hasForbiddenCharacters(signIn.password)
    }
    if let title = try? APIService.decodeBody(APIService.TitleRequest.self, from: body) {
        _ = ChatRules.title(title.title)
    }
    if let mute = try? APIService.decodeBody(APIService.MuteRequest.self, from: body) {
        _ = ChatRules.nickname(mute.nickname)
    }
    _ = try? APIService.decodeBody(APIService.SlowModeRequest.self, from: body)
    if let user = try? APIService.decodeBody(APIService.NewUser.self, from: body) {
        _ = User.validationError(name: user.username)
    }
    _ = try? APIService.decodeBody(APIService.NewPassword.self, from: body)
    return 0
}
