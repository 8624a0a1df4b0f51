#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import LLMDevOpsMetrics
import Logging
import Synchronization

/// The I/O thread of ``SidecarEmitter``: connect with backoff, write batches of whole lines,
/// notice the sidecar closing, drain on shutdown.
extension SidecarEmitter {
    /// The blocking loop; runs on its own thread until shutdown has drained.
    func runIOLoop(wake: SidecarWakeSignal) {
        let clock = ContinuousClock()
        var connection: SidecarSocket?
        var connectedOnce = false
        var backoff = configuration.initialBackoff
        var nextAttempt = clock.now
        var batch: [UInt8] = []
        var offset = 0
        var drainDeadline: ContinuousClock.Instant?

        while true {
            // The next batch: everything buffered, once the current batch is written.
            let stopping = state.withLock { state -> Bool in
                if offset == batch.count {
                    batch.removeAll(keepingCapacity: true)
                    swap(&batch, &state.pending)
                    state.inFlightEvents = state.pendingEvents
                    state.pendingEvents = 0
                    offset = 0
                }
                return state.phase == .stopping
            }
            if stopping, drainDeadline == nil {
                drainDeadline = clock.now.advanced(by: configuration.drainTimeout)
            }
            if let drainDeadline, offset == batch.count || clock.now >= drainDeadline {
                break
            }

            guard let socket = connection else {
                let now = clock.now
                if now < nextAttempt {
                    _ = Self.wait(for: nil, events: 0, wake: wake, until: drainDeadline.map { min($0, nextAttempt) } ?? nextAttempt)
                    continue
                }
                do {
                    connection = try SidecarSocket.open(to: configuration.endpoint, timeout: configuration.connectTimeout)
                    let reconnected = connectedOnce
                    state.withLock { if reconnected { $0.statistics.reconnects += 1 } }
                    connectedOnce = true
                    backoff = configuration.initialBackoff
                    logger.info("Sidecar emitter connected", metadata: ["llmdevops.sidecar.endpoint": "\(configuration.endpoint)"])
                } catch {
                    state.withLock { $0.statistics.connectFailures += 1 }
                    logger.debug(
                        "Sidecar emitter cannot connect",
                        metadata: ["llmdevops.sidecar.endpoint": "\(configuration.endpoint)", "llmdevops.sidecar.error": "\(error)"])
                    nextAttempt = now.advanced(by: backoff)
                    backoff = min(backoff * 2, configuration.maxBackoff)
                }
                continue
            }

            if offset < batch.count {
                switch socket.write(batch, from: offset) {
                case .wrote(let count):
                    let lines = Self.newlines(in: batch, from: offset, count: count)
                    offset += count
                    settle(lines)
                case .wouldBlock:
                    let events = Self.wait(for: socket, events: Int16(POLLOUT | POLLIN), wake: wake, until: drainDeadline)
                    if events & Int16(POLLIN | POLLHUP | POLLERR) != 0, socket.peerHasClosed() {
                        offset = finishLine(of: batch, from: offset, on: socket, wake: wake, clock: clock)
                        close(socket, reason: "the sidecar closed the connection")
                        connection = nil
                    }
                case .failed(let code):
                    // The line being written is sent again, whole, on the next connection.
                    offset = Self.lineStart(in: batch, before: offset)
                    close(socket, reason: String(cString: strerror(code)))
                    connection = nil
                    nextAttempt = clock.now.advanced(by: configuration.initialBackoff)
                }
                continue
            }

            // Nothing to write: sleep until a producer signals or the sidecar closes.
            let idle = state.withLock { state -> Bool in
                guard state.pending.isEmpty, state.phase == .running else { return false }
                state.ioIsWaiting = true
                return true
            }
            guard idle else { continue }
            let events = Self.wait(for: socket, events: Int16(POLLIN), wake: wake, until: nil)
            state.withLock { $0.ioIsWaiting = false }
            if events & Int16(POLLIN | POLLHUP | POLLERR) != 0, socket.peerHasClosed() {
                close(socket, reason: "the sidecar closed the connection")
                connection = nil
            }
        }

        if let socket = connection {
            // Half-close, then wait (bounded) until the sidecar has read everything and closed.
            socket.shutdownWrite()
            let deadline = drainDeadline ?? clock.now.advanced(by: configuration.drainTimeout)
            while clock.now < deadline {
                let events = Self.wait(for: socket, events: Int16(POLLIN), wake: wake, until: deadline)
                if events & Int16(POLLIN | POLLHUP | POLLERR) != 0, socket.peerHasClosed() { break }
            }
            socket.release()
        }
        finishStopped(wake: wake, connection: nil)
    }

    /// Marks the emitter stopped: what is still buffered is dropped and counted, every flush
    /// waiter and ``run()`` resume.
    func finishStopped(wake: SidecarWakeSignal, connection: SidecarSocket?) {
        connection?.release()
        let (waiters, stopped) = state.withLock { state in
            let unsent = state.pendingEvents + state.inFlightEvents
            state.statistics.dropped += unsent
            state.droppedAfterAcceptance += unsent
            state.pending = []
            state.pendingEvents = 0
            state.inFlightEvents = 0
            state.phase = .stopped
            state.wake = nil
            let waiters = state.flushWaiters.map(\.continuation)
            state.flushWaiters.removeAll()
            let stopped = state.stopped
            state.stopped = nil
            return (waiters, stopped)
        }
        wake.release()
        for waiter in waiters { waiter.resume() }
        stopped?.resume()
    }

    /// Counts `lines` more events as sent and resumes the flush waiters they satisfy.
    private func settle(_ lines: Int) {
        guard lines > 0 else { return }
        let ready = state.withLock { state in
            state.statistics.sent += lines
            state.inFlightEvents -= lines
            return state.takeSatisfiedWaiters()
        }
        for waiter in ready { waiter.resume() }
    }

    /// After the sidecar closed its side: writes the rest of a partly written line (it still
    /// reads until our end of file) so that it is not cut; returns the new offset. On failure the
    /// offset goes back to the line's start, to be sent again whole.
    private func finishLine(
        of batch: [UInt8], from offset: Int, on socket: SidecarSocket, wake: SidecarWakeSignal, clock: ContinuousClock
    ) -> Int {
        let start = Self.lineStart(in: batch, before: offset)
        guard start < offset, let end = batch[offset...].firstIndex(of: UInt8(ascii: "\n")) else { return offset }
        let line = Array(batch[offset...end])
        var written = 0
        let deadline = clock.now.advanced(by: configuration.drainTimeout)
        while written < line.count, clock.now < deadline {
            switch socket.write(line, from: written) {
            case .wrote(let count): written += count
            case .wouldBlock: _ = Self.wait(for: socket, events: Int16(POLLOUT), wake: wake, until: deadline)
            case .failed: return start
            }
        }
        guard written == line.count else { return start }
        settle(1)
        return end + 1
    }

    private func close(_ socket: SidecarSocket, reason: String) {
        socket.shutdownWrite()
        socket.release()
        logger.notice(
            "Sidecar emitter disconnected",
            metadata: ["llmdevops.sidecar.endpoint": "\(configuration.endpoint)", "llmdevops.sidecar.reason": "\(reason)"])
    }

    /// poll(2) on the socket (if any) and the wake-up pipe until `deadline` (nil: no limit);
    /// returns the socket's `revents`.
    private static func wait(
        for socket: SidecarSocket?, events: Int16, wake: SidecarWakeSignal, until deadline: ContinuousClock.Instant?
    ) -> Int16 {
        var descriptors = [pollfd(fd: wake.readDescriptor, events: Int16(POLLIN), revents: 0)]
        if let socket { descriptors.append(pollfd(fd: socket.descriptor, events: events, revents: 0)) }
        let timeout = deadline.map { SidecarSocket.milliseconds(ContinuousClock.now.duration(to: $0)) } ?? -1
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
        guard ready > 0 else { return 0 }
        if descriptors[0].revents != 0 { wake.drain() }
        return socket == nil ? 0 : descriptors[1].revents
    }

    /// Complete lines in `bytes[offset..<offset + count]`.
    private static func newlines(in bytes: [UInt8], from offset: Int, count: Int) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var lines = 0
            for index in offset..<(offset + count) where buffer[index] == UInt8(ascii: "\n") { lines += 1 }
            return lines
        }
    }

    /// The index just after the last newline before `offset` (0 when there is none).
    private static func lineStart(in bytes: [UInt8], before offset: Int) -> Int {
        guard offset > 0, let newline = bytes[..<offset].lastIndex(of: UInt8(ascii: "\n")) else { return 0 }
        return newline + 1
    }
}
