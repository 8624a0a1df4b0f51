import NIOCore

/// Closes a connection that has sent nothing for the idle timeout, gracefully: the output side
/// first (the client sees end of file, finishes its line and closes), the whole channel after
/// the drain timeout.
final class SidecarIdleCloser: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let drainTimeout: TimeAmount
    private var closing = false

    init(drainTimeout: TimeAmount) {
        self.drainTimeout = drainTimeout
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            if !closing {
                closing = true
                SidecarListener.drain(context.channel, within: drainTimeout)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
