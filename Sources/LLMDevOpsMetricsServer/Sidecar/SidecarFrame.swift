import NIOCore

/// What the line decoder hands to a connection's task: a complete line (without its newline),
/// or the news that a line was too long or cut off by the end of the stream.
enum SidecarFrame: Sendable {
    case line(ByteBuffer)
    case tooLong
    case truncated
}
