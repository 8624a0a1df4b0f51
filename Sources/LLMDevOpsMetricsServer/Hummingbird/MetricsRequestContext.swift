public import Hummingbird
public import NIOCore

/// The request context of the standalone server: Hummingbird's basics plus the peer address,
/// which the rate limiter uses for clients without a token.
public struct MetricsRequestContext: RequestContext, RemoteAddressRequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The connected peer.
    public let remoteAddress: SocketAddress?

    /// Creates a context for a request arriving on `source.channel`.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
