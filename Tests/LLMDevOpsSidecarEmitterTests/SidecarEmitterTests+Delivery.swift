import Foundation
import LLMDevOpsCollectors
import LLMDevOpsSidecarEmitter
import LLMDevOpsTestSupport
import Logging
import NIOCore
import NIOPosix
import Testing

/// `SidecarEmitter` against a real socket (``LineSink``): exact delivery, a sidecar that closes
/// gracefully, one that dies, one that stops reading, one that appears late.
extension SidecarEmitterTests {
    /// One line per event, carrying its index: about 1 KB, so that megabytes take few events.
    static func event(_ index: Int) -> LLMEvent {
        .requestStarted(model: "model-\(index)-" + String(repeating: "x", count: 960))
    }

    /// The most lines of ``event(_:)`` one 16 KiB chunk holds.
    static let linesPerChunk = 16 * 1024 / 1000

    /// The index of every line, each of which must be a whole protocol line.
    static func indices(of lines: [String]) throws -> [Int] {
        try lines.map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let model = try #require(object?["model"] as? String, "not a whole line: \(line)")
            #expect(object?["v"] as? Int == 1)
            #expect(object?["type"] as? String == "llm.request_started")
            return try #require(Int(model.split(separator: "-")[1]), "\(line)")
        }
    }

    /// A socket path short enough for `sun_path`, in the temporary directory.
    static func socketPath() -> String {
        "/tmp/llmdevops-emitter-\(UUID().uuidString.prefix(8)).sock"
    }

    static func socketConfiguration(capacity: Int, endpoint: SidecarEmitterConfiguration.Endpoint) -> SidecarEmitterConfiguration {
        var configuration = SidecarEmitterConfiguration(endpoint: endpoint)
        configuration.bufferCapacity = capacity
        configuration.initialBackoff = .milliseconds(1)
        configuration.maxBackoff = .milliseconds(8)
        // Bounds only: the drain ends as soon as the sink has read everything and closed.
        configuration.drainTimeout = .seconds(30)
        return configuration
    }

    /// Runs `emitter` while `body` records, then flushes, shuts down and waits for `run()`.
    static func running(_ emitter: SidecarEmitter, _ body: () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await emitter.run() }
            do {
                try await body()
            } catch {
                emitter.shutdown()
                throw error
            }
            await emitter.flush()
            emitter.shutdown()
            try await group.waitForAll()
        }
    }

    /// Starts a sink, runs `body`, stops the sink and removes its socket file either way.
    static func withSink<Result>(
        _ transport: LineSink.Transport, behaviours: [LineSink.Behaviour] = [], path: String = socketPath(),
        _ body: (LineSink) async throws -> Result
    ) async throws -> Result {
        let sink = try await LineSink.start(transport, path: path, behaviours: behaviours)
        defer { unlink(path) }
        do {
            let result = try await body(sink)
            try await sink.stop()
            return result
        } catch {
            try? await sink.stop()
            throw error
        }
    }

    @Test(.timeLimit(minutes: 3), arguments: LineSink.Transport.allCases)
    func everyEventArrivesOnceAndInOrder(over transport: LineSink.Transport) async throws {
        let count = 5000
        let loops = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        try await Self.withSink(transport) { sink in
            let emitter = SidecarEmitter(
                configuration: Self.socketConfiguration(capacity: count, endpoint: sink.endpoint), eventLoopGroup: loops,
                logger: Self.logger)
            try await Self.running(emitter) {
                for index in 0..<count { await emitter.record(Self.event(index)) }
                await emitter.flush()
                #expect(emitter.statistics.sent == count, "flush returns once every earlier event is written")
            }
            let statistics = emitter.statistics
            #expect(statistics.recorded == count)
            #expect(statistics.sent == count)
            #expect(statistics.dropped == 0)
            #expect(statistics.buffered == 0)
            #expect(statistics.reconnects == 0)
            let connections = sink.connections
            try #require(connections.count == 1)
            let (lines, tail) = connections[0].lines
            #expect(tail.isEmpty)
            #expect(try Self.indices(of: lines) == Array(0..<count))
        }
        try await loops.shutdownGracefully()
    }

    /// The service's graceful shutdown: it half-closes and reads until the emitter closes. The
    /// emitter finishes what it handed to the socket, closes, reconnects to the next instance,
    /// and sends the rest there: every event exactly once, no line cut.
    ///
    /// The rest is recorded once the first connection has closed, so the emitter must reconnect
    /// to send it. (With all of it recorded up front, a clean CI run showed the emitter can hand
    /// every event to the first connection before it sees the half-close, since the sink reads
    /// on; the second connection then had nothing to carry, the test's shutdown finished the
    /// emitter while it was connecting, and `reconnects` stayed 0. Nothing was lost.)
    @Test(.timeLimit(minutes: 3), arguments: LineSink.Transport.allCases)
    func aSidecarClosingGracefullyLosesNothing(over transport: LineSink.Transport) async throws {
        // About 2 MB before the half-close (the sink closes its side after 256 KiB), 8 MB after.
        let count = 10_000
        let firstBatch = 2_000
        try await Self.withSink(transport, behaviours: [.halfCloseAfter(bytes: 256 * 1024)]) { sink in
            // The default event loop group (the NIO singleton).
            let emitter = SidecarEmitter(
                configuration: Self.socketConfiguration(capacity: count, endpoint: sink.endpoint), logger: Self.logger)
            for index in 0..<firstBatch { emitter.recordNow(Self.event(index)) }
            try await Self.running(emitter) {
                // The sink closes the connection once the emitter has closed its side, that is
                // once the emitter has written all it handed over (bounded: 30 s).
                let clock = ContinuousClock()
                let deadline = clock.now + .seconds(30)
                while sink.connections.first?.isClosed != true, clock.now < deadline {
                    try await Task.sleep(for: .milliseconds(5))
                }
                try #require(sink.connections.first?.isClosed == true, "the first connection never closed")
                for index in firstBatch..<count { emitter.recordNow(Self.event(index)) }
            }
            let statistics = emitter.statistics
            #expect(statistics.sent == count)
            #expect(statistics.dropped == 0)
            #expect(statistics.reconnects == 1)
            let connections = sink.connections
            try #require(connections.count == 2)
            let first = connections[0].lines
            let second = connections[1].lines
            #expect(first.tail.isEmpty, "the line being written when the sidecar closed was finished")
            #expect(second.tail.isEmpty)
            #expect(first.complete.count * 1000 >= 256 * 1024)
            #expect(second.complete.count >= count - firstBatch)
            #expect(try Self.indices(of: first.complete) + Self.indices(of: second.complete) == Array(0..<count))
        }
    }

    /// A sidecar that dies mid-stream drops what it had not read (no acknowledgements), and the
    /// emitter's writes fail: what failed goes again, whole, on the next connection, and from
    /// there every event follows in order.
    @Test(.timeLimit(minutes: 3), arguments: LineSink.Transport.allCases)
    func afterAWriteErrorTheNextConnectionStartsWithAWholeLine(over transport: LineSink.Transport) async throws {
        let count = 10_000  // 10 MB, buffered before run(), as above
        try await Self.withSink(transport, behaviours: [.closeAfter(bytes: 256 * 1024)]) { sink in
            let emitter = SidecarEmitter(
                configuration: Self.socketConfiguration(capacity: count, endpoint: sink.endpoint), logger: Self.logger)
            for index in 0..<count { emitter.recordNow(Self.event(index)) }
            try await Self.running(emitter) {}
            let statistics = emitter.statistics
            #expect(statistics.recorded == statistics.sent + statistics.dropped)
            #expect(statistics.dropped == 0)
            #expect(statistics.reconnects == 1)
            let connections = sink.connections
            try #require(connections.count == 2)
            let first = try Self.indices(of: connections[0].lines.complete)
            #expect(first == Array(0..<first.count), "the first connection got a prefix")
            let (lines, tail) = connections[1].lines
            #expect(tail.isEmpty)
            let second = try Self.indices(of: lines)  // every line whole
            let start = try #require(second.first)
            #expect(second == Array(start..<count), "from the first line resent, every event follows in order")
            // Only the chunk whose write failed part-way can reach both connections: lines of it
            // that the first one had read arrive twice.
            #expect(start >= first.count - Self.linesPerChunk, "at most one chunk's lines twice")
        }
    }

    /// A sidecar that accepts and never reads: the emitter holds at most its buffer (plus what
    /// the kernel and NIO's high-water mark took), `recordNow` returns and counts drops; once
    /// the sidecar reads, everything buffered arrives.
    @Test(.timeLimit(minutes: 3), arguments: LineSink.Transport.allCases)
    func aSidecarThatStopsReadingCostsDropsNotWaits(over transport: LineSink.Transport) async throws {
        let count = 10_000  // 10 MB: more than the kernel holds for a reader that does not read
        let capacity = 100
        try await Self.withSink(transport, behaviours: [.stalled]) { sink in
            let emitter = SidecarEmitter(
                configuration: Self.socketConfiguration(capacity: capacity, endpoint: sink.endpoint), logger: Self.logger)
            try await Self.running(emitter) {
                var accepted = 0
                for index in 0..<count {
                    if emitter.recordNow(Self.event(index)) { accepted += 1 }
                }
                let statistics = emitter.statistics
                #expect(statistics.recorded == count)
                #expect(statistics.dropped == count - accepted)
                #expect(statistics.dropped > 0)
                #expect(statistics.buffered <= capacity)
                sink.startReading()
            }
            let statistics = emitter.statistics
            #expect(statistics.recorded == statistics.sent + statistics.dropped)
            #expect(statistics.buffered == 0)
            let connections = sink.connections
            try #require(connections.count == 1)
            let (lines, tail) = connections[0].lines
            #expect(tail.isEmpty)
            let indices = try Self.indices(of: lines)
            #expect(indices.count == statistics.sent)
            #expect(indices == indices.sorted() && Set(indices).count == indices.count, "in order, once each")
        }
    }

    /// Nobody listens at first: connection attempts fail and are counted, the events wait in
    /// the buffer, and once the sidecar appears they arrive and `flush()` returns.
    @Test(.timeLimit(minutes: 1))
    func eventsWaitForASidecarThatAppearsLater() async throws {
        let path = Self.socketPath()
        let emitter = SidecarEmitter(
            configuration: Self.socketConfiguration(capacity: 1000, endpoint: .unixDomainSocket(path: path)), logger: Self.logger)
        for index in 0..<100 { emitter.recordNow(Self.event(index)) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await emitter.run() }
            // Bounded wait for three failed attempts (the backoff is 1, 2, 4 ms).
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(20))
            while emitter.statistics.connectFailures < 3, clock.now < deadline {
                try await clock.sleep(for: .milliseconds(5))
            }
            #expect(emitter.statistics.connectFailures >= 3)
            #expect(emitter.statistics.buffered == 100)
            try await Self.withSink(.unixDomainSocket, path: path) { sink in
                await emitter.flush()
                #expect(emitter.statistics.sent == 100)
                emitter.shutdown()
                try await group.waitForAll()
                let connections = sink.connections
                try #require(connections.count == 1)
                #expect(try Self.indices(of: connections[0].lines.complete) == Array(0..<100))
            }
        }
        #expect(emitter.statistics.reconnects == 0, "the first successful connection is not a reconnect")
    }
}
