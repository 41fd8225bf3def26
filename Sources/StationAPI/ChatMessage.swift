import Foundation

/// A listener's (or staff member's) chat line, as stored and as sent: plain text, never HTML.
public struct ChatMessage: Sendable, Equatable, Codable {
    public var id: Int
    public var nickname: String
    public var text: String
    /// Posted by a signed-in DJ or admin.
    public var staff: Bool
    public var at: Date
}

/// One change to the chat, numbered: the id is the event stream's `id:`, so `Last-Event-ID` resumes.
public struct ChatEvent: Sendable, Equatable {
    public enum Kind: String, Sendable { case chat, chatDelete = "chat-delete" }
    public var id: Int
    public var kind: Kind
    public var message: ChatMessage
}
