import NIOCore

/// Forwards a sidecar connection's events to its ``SidecarConnectionDriver`` (same event loop).
/// The protocol is one-way: whatever the sidecar sends is discarded; its end of file means it
/// is closing.
final class SidecarChannelHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let driver: SidecarConnectionDriver

    init(driver: SidecarConnectionDriver) {
        self.driver = driver
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { driver.becameWritable(context.channel) }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed { driver.peerClosedInput(context.channel) }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        driver.failed(context.channel, error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        driver.closed(context.channel)
        context.fireChannelInactive()
    }
}
