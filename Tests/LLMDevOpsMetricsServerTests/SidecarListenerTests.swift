import LLMDevOpsTestSupport
import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import LLMDevOpsMetricsTesting
import Logging
import ServiceLifecycle
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The listener of the real service binary against raw socket clients: fuzzed input, the
/// connection limit, idle clients, and the socket file's life.
@Suite(.serialized) struct SidecarListenerTests {
    static func goodLine(_ index: Int) -> (line: [UInt8], isRequest: Bool) {
        var bytes: [UInt8] = []
        if index % 2 == 0 {
            SidecarLineEncoder.append(
                LLMEvent.requestFinished(
                    LLMRequestCompletion(model: "model-openai-1", status: .success, duration: .milliseconds(250), inputTokens: index)),
                to: &bytes)
            return (bytes, true)
        }
        SidecarLineEncoder.append(AgentEvent.step(agent: "router-1", type: .plan), to: &bytes)
        return (bytes, false)
    }

    static func randomJSONValue(_ random: inout SeededRandom, depth: Int = 0) -> String {
        switch Int.random(in: 0..<(depth > 1 ? 4 : 6), using: &random) {
        case 0: return "\"\(String((0..<Int.random(in: 0...8, using: &random)).map { _ in "abcxyz_-é\\\"".randomElement(using: &random) ?? "a" }).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        case 1: return "\(Double.random(in: -1e6...1e6, using: &random))"
        case 2: return Bool.random(using: &random) ? "true" : "false"
        case 3: return "null"
        case 4: return "[\(randomJSONValue(&random, depth: depth + 1)),\(randomJSONValue(&random, depth: depth + 1))]"
        default: return "{\"k\":\(randomJSONValue(&random, depth: depth + 1))}"
        }
    }

    @Test(.timeLimit(minutes: 3))
    func fuzzedInputIsRejectedAndCountedWhileGoodLinesApply() async throws {
        let directory = try TemporaryDirectory()
        let service = try await SidecarService(directory: directory, extraSidecarYAML: "    max_line_bytes: 1024")
        do {
            try await TestHTTPClient.with { client in
                var random = SeededRandom(seed: 20_261_127)
                // Chaos: random bytes, newlines included, over several connections.
                for _ in 0..<4 {
                    let chaos = try RawSocketClient(path: service.socketPath)
                    for _ in 0..<200 {
                        chaos.send((0..<Int.random(in: 0...3000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
                    }
                    chaos.shutdownWrite()
                    #expect(await chaos.waitForEndOfFile(timeout: .seconds(30)))
                    #expect(try await service.health(client) == 200)
                }
                let before = try await service.scrape(client)

                // Known-bad lines of every kind, interleaved with good lines, sent in random pieces.
                var stream: [UInt8] = []
                var good = 0
                var goodRequests = 0
                var counts = [Int](repeating: 0, count: 6)
                for index in 0..<3000 {
                    let kind = Int.random(in: 0..<8, using: &random)
                    switch kind {
                    case 0:  // not JSON
                        stream.append(0xFF)
                        stream += (0..<Int.random(in: 0...200, using: &random)).map { _ in
                            let byte = UInt8.random(in: 0...255, using: &random)
                            return byte == 10 ? 32 : byte
                        }
                    case 1:  // a random object without a version
                        let keys = ["model", "type", "status", "input_tokens", "duration_seconds", "x", "agent"]
                        // Distinct keys: a repeated key is malformed JSON to the decoder.
                        let fields = keys.shuffled(using: &random).prefix(Int.random(in: 0...5, using: &random)).map { key in
                            "\"\(key)\":\(Self.randomJSONValue(&random))"
                        }
                        stream += Array("{\(fields.joined(separator: ","))}".utf8)
                    case 2:
                        stream += Array(#"{"v":2,"type":"llm.retry","model":"m","reason":"timeout"}"#.utf8)
                    case 3:
                        stream += Array(#"{"v":1,"type":"llm.teleport","model":"m"}"#.utf8)
                    case 4:
                        stream += Array(
                            #"{"v":1,"type":"llm.request","model":"m","status":"success","duration_seconds":1,"input_tokens":-\#(index + 1)}"#.utf8)
                    case 5:
                        stream += Array(#"{"v":1,"type":"llm.retry","model":"\#(String(repeating: "a", count: 2000))","reason":"timeout"}"#.utf8)
                    default:
                        let (line, isRequest) = Self.goodLine(index)
                        stream += line.dropLast()  // the newline is added below
                        good += 1
                        if isRequest { goodRequests += 1 }
                    }
                    if kind < 6 { counts[kind] += 1 }
                    stream.append(10)
                }
                let feeder = try RawSocketClient(path: service.socketPath)
                var offset = 0
                while offset < stream.count {
                    let end = min(stream.count, offset + Int.random(in: 1...4096, using: &random))
                    #expect(feeder.send(Array(stream[offset..<end])))
                    offset = end
                }
                feeder.shutdownWrite()
                // The service closes its side once it has handled every line.
                #expect(await feeder.waitForEndOfFile(timeout: .seconds(60)))

                let requestsBefore = before.sum("llmdevops_llm_requests_total")
                // One scrape: the end of file came after every line was applied.
                let after = try await service.scrape(client)
                func delta(_ name: String, reason: String? = nil) -> Int {
                    let matches: ([String: String]) -> Bool = { reason == nil || $0["reason"] == reason }
                    return Int(after.sum(name, where: matches) - before.sum(name, where: matches))
                }
                #expect(delta("llmdevops_sidecar_messages_total") == good)
                #expect(after.sum("llmdevops_llm_requests_total") - requestsBefore == Double(goodRequests))
                let rejected = "llmdevops_sidecar_messages_rejected_total"
                #expect(delta(rejected) == counts.reduce(0, +))
                #expect(delta(rejected, reason: "malformed_json") == counts[0])
                #expect(delta(rejected, reason: "line_too_long") == counts[5])
                #expect(delta(rejected, reason: "out_of_range") == counts[4])
                #expect(delta(rejected, reason: "unsupported_version") >= counts[2])
                #expect(delta(rejected, reason: "unknown_type") >= counts[3])
                #expect(
                    delta(rejected, reason: "unsupported_version") + delta(rejected, reason: "unknown_type")
                        + delta(rejected, reason: "invalid_field") == counts[1] + counts[2] + counts[3])
                #expect(before.sum(rejected) > 0, "the chaos phase was rejected and counted")
                #expect(try await service.health(client) == 200)
                #expect(service.child.isRunning)
            }
        } catch {
            await service.stop()
            throw error
        }
        #expect(await service.stop() == 0)
    }

    @Test(.timeLimit(minutes: 2))
    func connectionsOverTheLimitAreRefusedAndCounted() async throws {
        let directory = try TemporaryDirectory()
        let service = try await SidecarService(directory: directory, extraSidecarYAML: "    max_connections: 2")
        do {
            try await TestHTTPClient.with { client in
                let first = try RawSocketClient(path: service.socketPath)
                let second = try RawSocketClient(path: service.socketPath)
                let open = try await service.scrape(client) { $0.sum("llmdevops_sidecar_connections") == 2 }
                #expect(open.sum("llmdevops_sidecar_connections") == 2)
                let third = try RawSocketClient(path: service.socketPath)
                #expect(await third.waitForEndOfFile(timeout: .seconds(10)), "the connection over the limit is closed")
                for connection in [first, second] {
                    connection.send(Self.goodLine(1).line)
                    connection.shutdownWrite()
                    #expect(await connection.waitForEndOfFile(timeout: .seconds(10)))
                }
                let parsed = try await service.scrape(client) { $0.sum("llmdevops_sidecar_connections") == 0 }
                #expect(parsed.sum("llmdevops_sidecar_connections_rejected_total") == 1)
                #expect(parsed.sum("llmdevops_sidecar_connections_accepted_total") == 2)
                #expect(parsed.sum("llmdevops_sidecar_messages_total") == 2)
            }
        } catch {
            await service.stop()
            throw error
        }
        #expect(await service.stop() == 0)
    }

    /// The optional loopback TCP listener feeds the same pipelines as the Unix socket.
    @Test(.timeLimit(minutes: 2))
    func theLoopbackTCPListenerAppliesLinesLikeTheSocket() async throws {
        let directory = try TemporaryDirectory()
        let service = try await SidecarService(directory: directory, extraSidecarYAML: "    tcp_port: 0")
        do {
            let port = try #require(
                try await service.child.waitForStandardError(#"llmdevops\.sidecar\.tcp_port=(\d+)"#, timeout: .seconds(10))
                    .flatMap(Int.init),
                "the TCP port was not logged: \(service.child.standardError)")
            let connection = try #require(RawConnection(port: port))
            var requests = 0
            for index in 0..<200 {
                let (line, isRequest) = Self.goodLine(index)
                #expect(connection.send(String(decoding: line, as: UTF8.self)))
                if isRequest { requests += 1 }
            }
            #expect(connection.send("not json\n"))
            // A line is counted in messages_total when it is handed to its collector and applied
            // shortly after, so a scrape that sees 200 messages can still miss the last requests
            // (it did in CI). The listener closes a half-closed connection only after its lines
            // are applied: that end of file is the point where every count is final.
            connection.shutdownWrite()
            #expect(await connection.waitForClose(milliseconds: 10_000), "the listener did not finish the connection")
            try await TestHTTPClient.with { client in
                let parsed = try await service.scrape(client) { $0.sum("llmdevops_sidecar_connections") == 0 }
                #expect(parsed.sum("llmdevops_sidecar_messages_total") == 200)
                #expect(parsed.sum("llmdevops_llm_requests_total") == Double(requests))
                #expect(parsed.sum("llmdevops_sidecar_messages_rejected_total") == 1)
                #expect(parsed.sum("llmdevops_sidecar_messages_rejected_total", where: { $0["reason"] == "malformed_json" }) == 1)
            }
        } catch {
            await service.stop()
            throw error
        }
        #expect(await service.stop() == 0)
    }

    @Test(.timeLimit(minutes: 2))
    func aSilentClientBlocksNobodyAndIsClosedWhenIdle() async throws {
        let directory = try TemporaryDirectory()
        let service = try await SidecarService(directory: directory, extraSidecarYAML: "    idle_timeout_ms: 500\n    drain_timeout_ms: 200")
        do {
            let silent = try RawSocketClient(path: service.socketPath)
            silent.send(Array(#"{"v":1,"type":"agent.step","agent":"router-1","#.utf8))  // half a line, then nothing
            let busy = try RawSocketClient(path: service.socketPath)
            for index in 0..<100 { busy.send(Self.goodLine(index).line) }
            busy.shutdownWrite()
            #expect(await busy.waitForEndOfFile(timeout: .seconds(10)))
            #expect(await silent.waitForEndOfFile(timeout: .seconds(10)), "the idle connection is closed")
            try await TestHTTPClient.with { client in
                let parsed = try await service.scrape(client) { $0.sum("llmdevops_sidecar_connections") == 0 }
                #expect(parsed.sum("llmdevops_sidecar_messages_total") == 100)
                #expect(parsed.sum("llmdevops_sidecar_messages_rejected_total", where: { $0["reason"] == "truncated" }) == 1)
            }
        } catch {
            await service.stop()
            throw error
        }
        #expect(await service.stop() == 0)
    }

    /// A peer that vanishes in the middle of a line (closes its socket without finishing it):
    /// every complete line before it applies, the piece is counted once as `truncated`, and the
    /// listener goes on serving the next peer.
    @Test(.timeLimit(minutes: 2))
    func aPeerVanishingMidLineLosesOnlyThatLine() async throws {
        let directory = try TemporaryDirectory()
        let service = try await SidecarService(directory: directory)
        do {
            var requests = 0
            do {
                let peer = try RawSocketClient(path: service.socketPath)
                for index in 0..<500 {
                    let (line, isRequest) = Self.goodLine(index)
                    #expect(peer.send(line))
                    if isRequest { requests += 1 }
                }
                let cut = Self.goodLine(0).line
                #expect(peer.send(Array(cut.prefix(cut.count / 2))))
            }  // the peer's descriptor is closed here, mid-line
            try await TestHTTPClient.with { client in
                let parsed = try await service.scrape(client) {
                    $0.sum("llmdevops_sidecar_connections") == 0 && $0.sum("llmdevops_llm_requests_total") == Double(requests)
                        && $0.sum("llmdevops_sidecar_messages_rejected_total") >= 1
                }
                #expect(parsed.sum("llmdevops_sidecar_messages_total") == 500)
                #expect(parsed.sum("llmdevops_llm_requests_total") == Double(requests))
                #expect(parsed.sum("llmdevops_sidecar_messages_rejected_total", where: { $0["reason"] == "truncated" }) == 1)
                #expect(parsed.sum("llmdevops_sidecar_messages_rejected_total") == 1)

                // The next peer is served as if nothing happened.
                let next = try RawSocketClient(path: service.socketPath)
                for index in 0..<10 { #expect(next.send(Self.goodLine(index).line)) }
                next.shutdownWrite()
                #expect(await next.waitForEndOfFile(timeout: .seconds(10)))
                let after = try await service.scrape(client) { $0.sum("llmdevops_sidecar_messages_total") >= 510 }
                #expect(after.sum("llmdevops_sidecar_messages_total") == 510)
                #expect(after.sum("llmdevops_sidecar_messages_rejected_total") == 1)
                #expect(try await service.health(client) == 200)
            }
        } catch {
            await service.stop()
            throw error
        }
        #expect(await service.stop() == 0)
    }

    /// A writer process killed with SIGKILL while it streams as fast as it can (so its last line
    /// may be cut anywhere): what it delivered is applied, at most one piece is counted as
    /// `truncated` (nothing else is rejected), and a second writer's events all arrive.
    @Test(.timeLimit(minutes: 2))
    func aWriterKilledMidStreamDisturbsNothingElse() async throws {
        let directory = try TemporaryDirectory()
        let service = try await SidecarService(directory: directory)
        do {
            let killed = try ChildProcess(
                executable: try ChildProcess.sidecarLoadExecutable,
                arguments: ["--socket", service.socketPath, "--events", "5000000"],
                environment: ChildProcess.environment([:]), directory: directory.url)
            try await TestHTTPClient.with { client in
                // Streaming for a while (a sanitizer build on a loaded machine sends slowly).
                let streaming = try await service.scrape(client, within: .seconds(90)) {
                    $0.sum("llmdevops_sidecar_messages_total") >= 5_000
                }
                #expect(streaming.sum("llmdevops_sidecar_messages_total") >= 5_000, "the writer did not start")
                #expect(await killed.stop(signal: SIGKILL) != nil)
                // The lines the writer delivered before it died may still be applying (up to the
                // stream's high watermark); a sanitizer build on a loaded machine takes a while.
                let settled = try await service.scrape(client, within: .seconds(90)) {
                    $0.sum("llmdevops_sidecar_connections") == 0
                        && $0.sum("llmdevops_collector_events_total") == $0.sum("llmdevops_sidecar_messages_total")
                }
                let delivered = settled.sum("llmdevops_sidecar_messages_total")
                #expect(settled.sum("llmdevops_sidecar_connections") == 0)
                #expect(settled.sum("llmdevops_collector_events_total") == delivered, "every delivered line is applied")
                #expect(settled.sum("llmdevops_collector_events_dropped_total") == 0)
                let truncated = settled.sum("llmdevops_sidecar_messages_rejected_total", where: { $0["reason"] == "truncated" })
                #expect(truncated <= 1)
                #expect(settled.sum("llmdevops_sidecar_messages_rejected_total") == truncated)

                let second = try await ChildProcess.run(
                    try ChildProcess.sidecarLoadExecutable, ["--socket", service.socketPath, "--events", "2000"],
                    directory: directory.url, timeout: .seconds(60))
                #expect(second.status == 0, "\(second.error)")
                let report = try SidecarLoadReport(output: second.output)
                #expect(report.dropped == 0)
                let after = try await service.scrape(client) {
                    $0.sum("llmdevops_sidecar_messages_total") >= delivered + Double(report.sent)
                }
                #expect(after.sum("llmdevops_sidecar_messages_total") == delivered + Double(report.sent))
                #expect(after.sum("llmdevops_sidecar_messages_rejected_total") == truncated)
                #expect(try await service.health(client) == 200)
                print("sidecar-vanish: delivered_before_kill=\(Int(delivered)) truncated=\(Int(truncated)) second_writer=\(report.sent)")
            }
        } catch {
            await service.stop()
            throw error
        }
        #expect(await service.stop() == 0)
    }

    /// The quiesce point the end-to-end tests rely on: after a client's end of file the
    /// listener closes the connection only once every line has been applied, so a client that
    /// half-closes and waits for our end of file (as `SidecarEmitter` does when it shuts down)
    /// knows its lines are counted. In process, with the recorder held on the first line: no
    /// end of file while it is held, and at the end of file every line is counted.
    @Test(.timeLimit(minutes: 1))
    func theConnectionClosesOnlyAfterItsLinesAreApplied() async throws {
        let directory = try TemporaryDirectory()
        var configuration = ServiceConfiguration.Sidecar()
        configuration.enabled = true
        configuration.socketPath = directory.path("held.sock")
        let recorder = GatedRecorder()
        let (messages, logged) = AsyncStream.makeStream(of: String.self)
        let listener = try await SidecarListener(
            configuration: configuration, llm: recorder, agent: recorder, registry: RegistryActor(),
            logger: Logger(label: "test.sidecar", factory: { _ in LogMessageSignal(continuation: logged) }))
        // Stopped by graceful shutdown, not by cancelling its task: cancellation drops accepted
        // connections not yet served, whose NIOAsyncWriter then traps (apple/swift-nio#3481).
        let services = ServiceGroup(
            configuration: .init(
                services: [listener], logger: Logger(label: "test.sidecar", factory: { _ in SwiftLogNoOpLogHandler() })))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            // Not the socket file, which appears at bind(2): a connect before listen(2) is refused
            // (seen once in 20 rounds). The listener logs this after both.
            for await message in messages where message == "Sidecar listening" { break }
            let client = try RawSocketClient(path: configuration.socketPath)
            let lines = 50
            for index in 0..<lines { #expect(client.send(Self.goodLine(index).line)) }
            client.shutdownWrite()
            // The listener is inside the first `record`, held there.
            var started = recorder.started.makeAsyncIterator()
            _ = await started.next()
            #expect(!(await client.waitForEndOfFile(timeout: .milliseconds(500))), "the connection closed before its lines were applied")
            #expect(listener.messagesAccepted == 0)
            recorder.release()
            #expect(await client.waitForEndOfFile(timeout: .seconds(30)))
            // No waiting: our end of file came after the last line was applied and counted.
            #expect(recorder.recorded == lines)
            #expect(listener.messagesAccepted == lines)
            await services.triggerGracefulShutdown()
            try await group.waitForAll()
        }
        #expect(!FileManager.default.fileExists(atPath: configuration.socketPath), "the socket file is removed at shutdown")
    }

    @Test(.timeLimit(minutes: 2))
    func aRegularFileAtTheSocketPathIsNeverReplaced() async throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("metrics.sock", "precious data")
        let config = try directory.write(
            "service.yaml",
            """
            prometheus_metrics:
              endpoint: { port: 0 }
              sidecar: { enabled: true, socket_path: "\(path)" }
            """)
        let result = try await ChildProcess.run(try ChildProcess.serviceExecutable, ["--config", config], directory: directory.url)
        #expect(result.status == 1)
        #expect(result.error.contains("is not a socket"), "\(result.error)")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "precious data")
    }

    @Test(.timeLimit(minutes: 2))
    func aStaleSocketIsReplacedALiveOneIsNot() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("metrics.sock")
        // A socket file nobody listens on, as a killed instance leaves it.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: Array(path.utf8))
            raw[path.utf8.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(stale)
        try #require(bound == 0)

        let service = try await SidecarService(directory: directory, extraSidecarYAML: "    socket_mode: \"0600\"")
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect(attributes[.type] as? FileAttributeType == .typeSocket)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            // A second instance on the same path must not steal the live socket.
            let config = try directory.write(
                "second.yaml",
                """
                prometheus_metrics:
                  endpoint: { port: 0 }
                  sidecar: { enabled: true, socket_path: "\(path)" }
                """)
            let second = try await ChildProcess.run(try ChildProcess.serviceExecutable, ["--config", config], directory: directory.url)
            #expect(second.status == 1)
            #expect(second.error.contains("another process is listening"), "\(second.error)")
            let client = try RawSocketClient(path: path)
            client.send(Self.goodLine(1).line)
            client.shutdownWrite()
            #expect(await client.waitForEndOfFile(timeout: .seconds(10)), "the first instance still owns the socket")
        } catch {
            await service.stop()
            throw error
        }
        #expect(await service.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: path), "the socket file is removed at shutdown")
    }
}
