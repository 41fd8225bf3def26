import Hummingbird
import NIOCore

/// The per-request context: Hummingbird's core storage plus the TCP peer (for trusting `X-Real-IP`).
public struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { APIServer.maxBody }
}
