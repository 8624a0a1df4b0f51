public import LLMDevOpsCollectors
import LLMDevOpsMetrics
public import Logging
public import NIOCore
import NIOPosix
public import ServiceLifecycle

/// The client side of the sidecar deployment: implements `LLMEventRecording` and
/// `AgentEventRecording` by writing each event as one line of the sidecar protocol to the
/// `llmdevops-metrics` service's Unix domain socket (or loopback TCP port), so application code
/// is the same as with the embedded `MetricsCollectors`.
///
/// ```swift
/// let emitter = SidecarEmitter(
///     configuration: .init(endpoint: .unixDomainSocket(path: "/var/run/llmdevops/metrics.sock")), logger: logger)
/// let llm: any LLMEventRecording = emitter        // was: metrics.llm
/// let agent: any AgentEventRecording = emitter    // was: metrics.agent
/// let group = ServiceGroup(services: [emitter, app], logger: logger)   // run() connects and writes
/// await llm.recordRequest(model: "gpt-4o", status: .success, duration: .seconds(1.8), inputTokens: 812, outputTokens: 240)
/// ```
///
/// - `record(_:)` encodes the event on the caller's task and appends it to a bounded buffer
///   (``SidecarEmitterConfiguration/bufferCapacity`` events); it never waits for the socket.
///   When the buffer is full the event is dropped and counted in ``statistics``.
/// - ``run()`` connects with SwiftNIO's `ClientBootstrap` on one event loop of the group given
///   at creation (`MultiThreadedEventLoopGroup.singleton` by default) and writes the buffer in
///   chunks of whole lines while the channel is writable, so a sidecar that stops reading holds
///   at most NIO's write-buffer high-water mark in the channel and blocks no thread. After a
///   failed connection or a closed socket it reconnects with exponential backoff
///   (``SidecarEmitterConfiguration/initialBackoff`` doubling up to
///   ``SidecarEmitterConfiguration/maxBackoff``), buffering meanwhile.
/// - When the sidecar closes the connection (graceful shutdown, idle timeout) the emitter
///   finishes writing the lines it had handed to the channel, closes its side, and reconnects;
///   the sidecar reads to the end first, so every event counted as sent reached it. A sidecar
///   that crashes can lose what was in its socket buffer: there are no acknowledgements.
public final class SidecarEmitter: LLMEventRecording, AgentEventRecording, Service, Sendable {
    /// The configuration the emitter was created with.
    public let configuration: SidecarEmitterConfiguration
    let eventLoopGroup: any EventLoopGroup
    /// Where connects, disconnects and drains are logged; nil logs nothing.
    let logger: Logger?
    let state = Lock(SidecarEmitterState())

    /// Creates an emitter that runs its connection on `MultiThreadedEventLoopGroup.singleton`;
    /// nothing connects until ``run()``. Events recorded before are buffered. `logger` receives
    /// connects, disconnects and drains; nil logs nothing.
    public convenience init(configuration: SidecarEmitterConfiguration, logger: Logger? = nil) {
        self.init(configuration: configuration, eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: logger)
    }

    /// Creates an emitter that runs its connection on one event loop of `eventLoopGroup` (a
    /// `MultiThreadedEventLoopGroup` or one of its loops, which must outlive ``run()``); nothing
    /// connects until ``run()``. Events recorded before are buffered. `logger` receives
    /// connects, disconnects and drains; nil logs nothing.
    public init(configuration: SidecarEmitterConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger? = nil) {
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Counts of recorded, sent, dropped and buffered events and of reconnects, at this moment.
    public var statistics: SidecarEmitterStatistics {
        state.withLock { state in
            var statistics = state.statistics
            statistics.buffered = state.pendingEvents + state.inFlightEvents
            return statistics
        }
    }

    /// Buffers the event for the sidecar; drops (and counts) it when the buffer is full.
    public func record(_ event: LLMEvent) async {
        recordNow(event)
    }

    /// Buffers the event for the sidecar; drops (and counts) it when the buffer is full.
    public func record(_ event: AgentEvent) async {
        recordNow(event)
    }

    /// Buffers an LLM event without `await`, for synchronous callers. Returns whether it was buffered.
    @discardableResult
    public func recordNow(_ event: LLMEvent) -> Bool {
        append { SidecarLineEncoder.append(event, to: &$0) }
    }

    /// Buffers an agent event without `await`, for synchronous callers. Returns whether it was buffered.
    @discardableResult
    public func recordNow(_ event: AgentEvent) -> Bool {
        append { SidecarLineEncoder.append(event, to: &$0) }
    }

    /// Returns once every event recorded before this call has been written to the socket, in
    /// full, or dropped (see ``SidecarEmitterStatistics``). "Written" means accepted by the
    /// kernel into the connection; the sidecar applies it shortly after, and reads it before
    /// it closes that connection. While disconnected this waits for a reconnect; after
    /// ``shutdown()`` it returns once the drain has finished. Events dropped before this call do
    /// not delay it.
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state -> Bool in
                if state.phase == .stopped || state.accepted <= state.settled { return true }
                state.flushWaiters.append((state.accepted, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Connects and writes until graceful shutdown, cancellation or ``shutdown()``; then drains
    /// the buffer (for at most ``SidecarEmitterConfiguration/drainTimeout``), half-closes, waits
    /// for the sidecar to finish reading, and returns. Runs once.
    ///
    /// - Throws: ``SidecarEmitterError`` when called twice, or when the event loop group cannot
    ///   run NIO's POSIX sockets.
    @concurrent
    public func run() async throws {
        let eventLoop = eventLoopGroup.next()
        guard let bootstrap = ClientBootstrap(validatingGroup: eventLoop) else {
            throw SidecarEmitterError(.unsupportedEventLoopGroup, "\(type(of: eventLoopGroup)) cannot run NIOPosix sockets")
        }
        let driver = NIOLoopBoundBox.makeBoxSendingValue(
            SidecarConnectionDriver(emitter: self, eventLoop: eventLoop, bootstrap: bootstrap), eventLoop: eventLoop)
        let wake = SidecarEmitterWake(eventLoop: eventLoop, driver: driver)
        let started = state.withLock { state -> Bool in
            guard state.phase == .idle || state.phase == .stopping, state.wake == nil else { return false }
            if state.phase == .idle { state.phase = .running }
            state.wake = wake
            return true
        }
        guard started else { throw SidecarEmitterError(.alreadyRunning, "SidecarEmitter.run() may be called once") }
        logger?.debug("Sidecar emitter starting", metadata: ["llmdevops.sidecar.endpoint": "\(configuration.endpoint)"])
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withCheckedContinuation { (stopped: CheckedContinuation<Void, Never>) in
                    // A shutdown() since `wake` was set may already have drained and stopped.
                    let hasStopped = state.withLock { state -> Bool in
                        guard state.phase != .stopped else { return true }
                        state.stopped = stopped
                        return false
                    }
                    if hasStopped { stopped.resume() }
                    eventLoop.execute { driver.value.start() }
                }
            } onGracefulShutdown: {
                self.shutdown()
            }
        } onCancel: {
            self.shutdown()
        }
        // The driver behind `wake` holds this emitter: drop it, so that neither outlives the run
        // (LeakSanitizer found the cycle: an emitter that had run was never freed).
        state.withLock { $0.wake = nil }
        let statistics = self.statistics
        logger?.debug(
            "Sidecar emitter stopped",
            metadata: [
                "llmdevops.sidecar.sent": "\(statistics.sent)", "llmdevops.sidecar.dropped": "\(statistics.dropped)",
                "llmdevops.sidecar.reconnects": "\(statistics.reconnects)",
            ])
    }

    /// Asks ``run()`` to drain and stop. Events recorded after the drain are dropped and counted.
    public func shutdown() {
        let wake = state.withLock { state -> SidecarEmitterWake? in
            switch state.phase {
            case .idle, .running: state.phase = .stopping
            case .stopping, .stopped: break
            }
            return state.wake
        }
        wake?.drain()
    }

    /// Encodes one line straight into the buffer, under the lock; wakes the event loop (after
    /// releasing the lock) when it was waiting for work.
    private func append(_ encode: (inout [UInt8]) -> Bool) -> Bool {
        let (accepted, wake) = state.withLock { state in
            state.append(capacity: configuration.bufferCapacity, maxLineBytes: configuration.maxLineBytes, encode)
        }
        wake?.pump()
        return accepted
    }

    /// Counts `lines` more events as sent and resumes the flush waiters they satisfy.
    func settle(_ lines: Int) {
        guard lines > 0 else { return }
        let ready = state.withLock { $0.settle(lines) }
        for waiter in ready { waiter.resume() }
    }

    /// Marks the emitter stopped (what is still buffered is dropped and counted) and resumes
    /// every flush waiter and ``run()``.
    func finishStopped() {
        let (waiters, stopped) = state.withLock { $0.stop() }
        for waiter in waiters { waiter.resume() }
        stopped?.resume()
    }
}
