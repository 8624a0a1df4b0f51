import NIOCore

/// Splits a connection's bytes into `\n`-terminated lines of at most `maxLineBytes` bytes (not
/// counting the newline). A longer line is reported once as ``SidecarFrame/tooLong`` and
/// skipped up to its newline, holding no more than `maxLineBytes` in memory; bytes after the
/// last newline at end of stream are ``SidecarFrame/truncated``. Empty lines are skipped.
struct SidecarLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = SidecarFrame

    let maxLineBytes: Int
    /// Skipping the rest of a line that was too long.
    private var discarding = false
    /// Bytes already searched for a newline (a line arrives in pieces).
    private var searched = 0

    init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let view = buffer.readableBytesView
        guard let newline = view[(view.startIndex + searched)...].firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maxLineBytes {
                if !discarding {
                    discarding = true
                    context.fireChannelRead(wrapInboundOut(.tooLong))
                }
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                searched = 0
            } else {
                searched = buffer.readableBytes
            }
            return .needMoreData
        }
        let length = newline - view.startIndex
        searched = 0
        if discarding {
            discarding = false
            buffer.moveReaderIndex(forwardBy: length + 1)
            return .continue
        }
        if length > maxLineBytes {
            buffer.moveReaderIndex(forwardBy: length + 1)
            context.fireChannelRead(wrapInboundOut(.tooLong))
            return .continue
        }
        let line = buffer.readSlice(length: length) ?? ByteBuffer()
        buffer.moveReaderIndex(forwardBy: 1)
        if length > 0 {
            context.fireChannelRead(wrapInboundOut(.line(line)))
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0, !discarding {
            context.fireChannelRead(wrapInboundOut(.truncated))
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        discarding = false
        searched = 0
        return .needMoreData
    }
}
