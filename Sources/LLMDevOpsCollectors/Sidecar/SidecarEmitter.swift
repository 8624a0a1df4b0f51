import LLMDevOpsMetrics
public import Logging
public import ServiceLifecycle
import Synchronization

/// The client side of the sidecar deployment: implements ``LLMEventRecording`` and
/// ``AgentEventRecording`` by writing each event as one line of the sidecar protocol to the
/// `llmdevops-metrics` service's Unix domain socket (or loopback TCP port), so application code
/// is the same as with the embedded ``MetricsCollectors``.
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
/// - ``run()`` starts one I/O thread (plain POSIX sockets and poll(2), so a sidecar that stops
///   reading blocks no Swift concurrency thread). It connects, writes the buffer, and on a
///   failed connection or a closed socket reconnects with exponential backoff
///   (``SidecarEmitterConfiguration/initialBackoff`` doubling up to
///   ``SidecarEmitterConfiguration/maxBackoff``), buffering meanwhile.
/// - When the sidecar closes the connection (graceful shutdown, idle timeout) the emitter
///   finishes the line it is writing, half-closes, and reconnects; the sidecar reads to the end
///   first, so every event counted as sent reached it. A sidecar that crashes can lose what
///   was in its socket buffer: there are no acknowledgements.
public final class SidecarEmitter: LLMEventRecording, AgentEventRecording, Service, Sendable {
    /// The configuration the emitter was created with.
    public let configuration: SidecarEmitterConfiguration
    let logger: Logger
    let state = Lock(SidecarEmitterState())

    /// Creates an emitter; nothing connects until ``run()``. Events recorded before are buffered.
    public init(configuration: SidecarEmitterConfiguration, logger: Logger) {
        self.configuration = configuration
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
    /// - Throws: ``SidecarEmitterError`` when called twice or when the I/O thread cannot start.
    @concurrent
    public func run() async throws {
        let wake = SidecarWakeSignal.open()
        let started = state.withLock { state -> Bool in
            guard state.phase == .idle || state.phase == .stopping, state.wake == nil, let wake else { return false }
            if state.phase == .idle { state.phase = .running }
            state.wake = wake
            return true
        }
        guard started, let wake else {
            wake?.release()
            guard wake != nil else { throw SidecarEmitterError(.resources, "cannot create the wake-up pipe") }
            throw SidecarEmitterError(.alreadyRunning, "SidecarEmitter.run() may be called once")
        }
        logger.debug("Sidecar emitter starting", metadata: ["llmdevops.sidecar.endpoint": "\(configuration.endpoint)"])
        var threadStarted = true
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withCheckedContinuation { (stopped: CheckedContinuation<Void, Never>) in
                    state.withLock { $0.stopped = stopped }
                    if !DetachedThread.start({ [self] in runIOLoop(wake: wake) }) {
                        threadStarted = false
                        finishStopped(wake: wake, connection: nil)
                    }
                }
            } onGracefulShutdown: {
                self.shutdown()
            }
        } onCancel: {
            self.shutdown()
        }
        guard threadStarted else { throw SidecarEmitterError(.resources, "cannot start the I/O thread") }
        let statistics = self.statistics
        logger.debug(
            "Sidecar emitter stopped",
            metadata: [
                "llmdevops.sidecar.sent": "\(statistics.sent)", "llmdevops.sidecar.dropped": "\(statistics.dropped)",
                "llmdevops.sidecar.reconnects": "\(statistics.reconnects)",
            ])
    }

    /// Asks ``run()`` to drain and stop. Events recorded after the drain are dropped and counted.
    public func shutdown() {
        let wake = state.withLock { state -> SidecarWakeSignal? in
            switch state.phase {
            case .idle, .running: state.phase = .stopping
            case .stopping, .stopped: break
            }
            return state.wake
        }
        wake?.signal()
    }

    /// Encodes one line straight into the buffer, under the lock.
    private func append(_ encode: (inout [UInt8]) -> Bool) -> Bool {
        let (accepted, wake) = state.withLock { state -> (Bool, SidecarWakeSignal?) in
            state.statistics.recorded += 1
            guard state.phase != .stopped, state.pendingEvents + state.inFlightEvents < configuration.bufferCapacity else {
                state.statistics.dropped += 1
                return (false, nil)
            }
            let start = state.pending.count
            guard encode(&state.pending) else {
                state.statistics.dropped += 1
                return (false, nil)
            }
            guard state.pending.count - start <= configuration.maxLineBytes else {
                state.pending.removeSubrange(start...)
                state.statistics.dropped += 1
                return (false, nil)
            }
            state.pendingEvents += 1
            state.accepted += 1
            guard state.ioIsWaiting else { return (true, nil) }
            state.ioIsWaiting = false
            return (true, state.wake)
        }
        wake?.signal()
        return accepted
    }
}
