/// Everything the producers (`record`, `flush`, `shutdown`) and the event loop of a
/// ``SidecarEmitter`` share, kept under one lock. Events are encoded lines in `pending`; the
/// event loop swaps the whole of `pending` out as its next batch.
struct SidecarEmitterState {
    enum Phase {
        /// `run()` has not been called: events are buffered.
        case idle
        /// The connection driver runs on its event loop.
        case running
        /// Shutdown was requested: the driver drains and stops.
        case stopping
        /// The driver has stopped: events are dropped.
        case stopped
    }

    var phase = Phase.idle
    /// Encoded lines not yet taken by the event loop.
    var pending: [UInt8] = []
    /// Lines in `pending`.
    var pendingEvents = 0
    /// Lines the event loop took from `pending` and has not settled yet: not yet handed to the
    /// connection, handed and not yet written, or waiting to be sent again after a write error.
    var inFlightEvents = 0
    var statistics = SidecarEmitterStatistics()
    /// Events accepted into the buffer since the start (the sequence number of the last one).
    var accepted = 0
    /// Flush waiters: resumed once `statistics.sent + droppedAfterAcceptance >= target`.
    var flushWaiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
    /// Accepted events that were later dropped (drain timeout at shutdown).
    var droppedAfterAcceptance = 0
    /// The event loop has written everything and waits for a producer to wake it.
    var ioIsWaiting = false
    /// How producers reach the event loop; set while `run()` runs.
    var wake: SidecarEmitterWake?
    var stopped: CheckedContinuation<Void, Never>?

    /// Events accepted and no longer buffered.
    var settled: Int { statistics.sent + droppedAfterAcceptance }

    /// Counts a record call and encodes its line into `pending`, unless the emitter has stopped,
    /// the buffer is full, `encode` fails or the line is longer than `maxLineBytes` (then the
    /// event is dropped and counted). Returns whether the line was buffered, and the wake-up to
    /// send (after releasing the lock) when the event loop is waiting for work.
    mutating func append(
        capacity: Int, maxLineBytes: Int, _ encode: (inout [UInt8]) -> Bool
    ) -> (accepted: Bool, wake: SidecarEmitterWake?) {
        statistics.recorded += 1
        guard phase != .stopped, pendingEvents + inFlightEvents < capacity else {
            statistics.dropped += 1
            return (false, nil)
        }
        let start = pending.count
        guard encode(&pending) else {
            statistics.dropped += 1
            return (false, nil)
        }
        guard pending.count - start <= maxLineBytes else {
            pending.removeSubrange(start...)
            statistics.dropped += 1
            return (false, nil)
        }
        pendingEvents += 1
        accepted += 1
        guard ioIsWaiting else { return (true, nil) }
        ioIsWaiting = false
        return (true, wake)
    }

    /// Moves `pending` into `batch` (which must be empty; its storage becomes the next
    /// `pending`). When there is nothing, marks the event loop as waiting for a producer's
    /// wake-up and returns false.
    mutating func takePending(into batch: inout [UInt8]) -> Bool {
        guard !pending.isEmpty else {
            ioIsWaiting = phase != .stopped
            return false
        }
        swap(&batch, &pending)
        inFlightEvents += pendingEvents
        pendingEvents = 0
        ioIsWaiting = false
        return true
    }

    /// Counts `lines` more events as sent; returns the flush waiters this satisfies.
    mutating func settle(_ lines: Int) -> [CheckedContinuation<Void, Never>] {
        statistics.sent += lines
        inFlightEvents -= lines
        return takeSatisfiedWaiters()
    }

    /// Marks the emitter stopped: what is still buffered is dropped and counted. Returns the
    /// flush waiters and the `run()` continuation to resume.
    mutating func stop() -> (waiters: [CheckedContinuation<Void, Never>], stopped: CheckedContinuation<Void, Never>?) {
        let unsent = pendingEvents + inFlightEvents
        statistics.dropped += unsent
        droppedAfterAcceptance += unsent
        pending = []
        pendingEvents = 0
        inFlightEvents = 0
        phase = .stopped
        wake = nil
        ioIsWaiting = false
        let waiters = flushWaiters.map(\.continuation)
        flushWaiters.removeAll()
        defer { self.stopped = nil }
        return (waiters, self.stopped)
    }

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
