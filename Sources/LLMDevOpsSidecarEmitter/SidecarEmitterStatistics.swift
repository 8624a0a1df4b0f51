/// What a ``SidecarEmitter`` did so far; read it with ``SidecarEmitter/statistics``.
///
/// Every recorded event ends up in exactly one of ``sent`` and ``dropped``, or is still
/// buffered: `recorded == sent + dropped + buffered`. After ``SidecarEmitter/run()`` returns,
/// `buffered` is 0.
public struct SidecarEmitterStatistics: Sendable, Hashable {
    /// `record(_:)` calls.
    public var recorded = 0
    /// Events whose line was written completely to a connection that the sidecar then read to
    /// the end (or that is still open).
    public var sent = 0
    /// Events dropped: the buffer was full, the emitter had stopped, the line was longer than
    /// ``SidecarEmitterConfiguration/maxLineBytes``, a number was not finite, or the drain
    /// timeout passed at shutdown.
    public var dropped = 0
    /// Events waiting in the buffer.
    public var buffered = 0
    /// Successful connections after the first one.
    public var reconnects = 0
    /// Connection attempts that failed.
    public var connectFailures = 0

    /// All zero.
    public init() {}
}
