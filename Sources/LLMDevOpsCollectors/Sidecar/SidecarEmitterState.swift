/// Everything the producers (`record`, `flush`) and the I/O thread of a ``SidecarEmitter``
/// share, kept under one lock. Events are encoded lines in `pending`; the I/O thread swaps the
/// whole of `pending` out as its next batch.
struct SidecarEmitterState {
    enum Phase {
        /// `run()` has not been called: events are buffered.
        case idle
        /// The I/O thread runs.
        case running
        /// Shutdown was requested: the I/O thread drains and stops.
        case stopping
        /// The I/O thread has stopped: events are dropped.
        case stopped
    }

    var phase = Phase.idle
    /// Encoded lines not yet taken by the I/O thread.
    var pending: [UInt8] = []
    /// Lines in `pending`.
    var pendingEvents = 0
    /// Lines of the batch the I/O thread is writing.
    var inFlightEvents = 0
    var statistics = SidecarEmitterStatistics()
    /// Events accepted into the buffer since the start (the sequence number of the last one).
    var accepted = 0
    /// Flush waiters: resumed once `statistics.sent + dropped-after-acceptance >= target`.
    var flushWaiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
    /// Accepted events that were later dropped (drain timeout at shutdown).
    var droppedAfterAcceptance = 0
    /// The I/O thread sleeps in poll(2) until a producer signals.
    var ioIsWaiting = false
    var wake: SidecarWakeSignal?
    var stopped: CheckedContinuation<Void, Never>?

    /// Events accepted and no longer buffered.
    var settled: Int { statistics.sent + droppedAfterAcceptance }

    /// Removes and returns the waiters whose events have all been written (or dropped).
    mutating func takeSatisfiedWaiters() -> [CheckedContinuation<Void, Never>] {
        guard !flushWaiters.isEmpty else { return [] }
        let settled = self.settled
        var ready: [CheckedContinuation<Void, Never>] = []
        flushWaiters.removeAll { waiter in
            guard waiter.target <= settled else { return false }
            ready.append(waiter.continuation)
            return true
        }
        return ready
    }
}
