import Foundation
import LLMDevOpsTestSupport
import LLMDevOpsMetricsTesting
import Testing

/// The real service binary with the sidecar listener on a socket in a temporary directory, HTTP
/// on port 0 (read from its log) and no exposition cache. Without a vocabulary it runs with the
/// demo's label universe (`--demo-events 0`: no events of its own); with `vocabularyYAML` (the
/// `llm` / `agent` sections, indented under `prometheus_metrics`) it runs without any demo flag,
/// as a real deployment does. Stopped by PID.
final class SidecarService {
    let child: ChildProcess
    let httpPort: Int
    let socketPath: String
    /// The configuration file; ``rewrite(vocabularyYAML:)`` replaces it (then send SIGHUP).
    let configPath: String
    private let extraSidecarYAML: String

    /// Starts the service and waits (bounded) until both listeners are up.
    init(
        directory: TemporaryDirectory,
        socketName: String = "metrics.sock",
        extraSidecarYAML: String = "",
        vocabularyYAML: String? = nil
    ) async throws {
        socketPath = directory.path(socketName)
        self.extraSidecarYAML = extraSidecarYAML
        configPath = try directory.write(
            "sidecar-\(UUID().uuidString).yaml",
            Self.configuration(
                socketPath: socketPath,
                extraSidecarYAML: extraSidecarYAML,
                vocabularyYAML: vocabularyYAML ?? ""
            ))
        child = try ChildProcess(
            executable: try ChildProcess.serviceExecutable,
            arguments: ["--config", configPath] + (vocabularyYAML == nil ? ["--demo-events", "0"] : []),
            environment: ChildProcess.environment([:]), directory: directory.url)
        do {
            let port = try await child.waitForStandardError(
                #"llmdevops\.http\.port=(\d+)"#, timeout: ChildProcess.startupTimeout)
            httpPort = try #require(
                port.flatMap(Int.init),
                "the service did not report its port: \(child.standardError)"
            )
            let listening = try await child.waitForStandardError(
                "Sidecar listening", timeout: ChildProcess.startupTimeout)
            try #require(listening != nil, "the sidecar listener did not start: \(child.standardError)")
        } catch {
            await child.stop()
            throw error
        }
    }

    static func configuration(socketPath: String, extraSidecarYAML: String, vocabularyYAML: String) -> String {
        """
        prometheus_metrics:
          endpoint: { host: "127.0.0.1", port: 0 }
          cache: { enabled: false }
          cardinality: { max_per_metric: 1000, total_limit: 50000 }
          rate_limit: { enabled: false }
        \(vocabularyYAML)
          sidecar:
            enabled: true
            socket_path: "\(socketPath)"
        \(extraSidecarYAML)
        """
    }

    /// Replaces the configuration file with the same settings and another vocabulary, or with
    /// `raw` text when given (a broken file).
    func rewrite(vocabularyYAML: String, raw: String? = nil) throws {
        let text =
            raw
            ?? Self.configuration(
                socketPath: socketPath,
                extraSidecarYAML: extraSidecarYAML,
                vocabularyYAML: vocabularyYAML
            )
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// GET `/metrics` as text 0.0.4, parsed.
    func scrape(_ client: TestHTTPClient) async throws -> ParsedExposition {
        let response = try await client.fetch("http://127.0.0.1:\(httpPort)/metrics")
        try #require(response.status == 200)
        return try ExpositionParser.parse(response.body, syntax: .prometheusText)
    }

    /// The status of GET `/health`.
    func health(_ client: TestHTTPClient) async throws -> Int {
        try await client.fetch("http://127.0.0.1:\(httpPort)/health").status
    }

    /// Scrapes every 25 ms until `done` holds for the exposition or `within` has passed;
    /// returns the last one. For states with no event to wait on (a connection count, a writer
    /// that is still streaming); the caller checks the result.
    func scrape(
        _ client: TestHTTPClient, within bound: Duration = .seconds(10 * TimeLimitFactor.value),
        until done: (ParsedExposition) -> Bool
    ) async throws -> ParsedExposition {
        let deadline = ContinuousClock.now + bound
        var parsed = try await scrape(client)
        while !done(parsed), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(25))
            parsed = try await scrape(client)
        }
        return parsed
    }

    /// SIGTERM (then SIGKILL after the grace period); returns the exit status.
    @discardableResult
    func stop() async -> Int32? {
        await child.stop()
    }
}

extension ParsedExposition {
    /// The sum of every sample named `name` whose labels satisfy `matches`.
    func sum(_ name: String, where matches: ([String: String]) -> Bool = { _ in true }) -> Double {
        samples.filter { $0.name == name && matches($0.labels) }.reduce(0) { $0 + $1.value }
    }
}

/// The JSON `llmdevops-sidecar-load` prints.
struct SidecarLoadReport: Decodable {
    let recorded: Int
    let sent: Int
    let dropped: Int
    let buffered: Int
    let reconnects: Int
    let connectFailures: Int
    let workloadEvents: Int
    let seconds: Double
    let eventsPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case recorded, sent, dropped, buffered, reconnects, seconds
        case connectFailures = "connect_failures"
        case workloadEvents = "workload_events"
        case eventsPerSecond = "events_per_second"
    }

    init(output: String) throws {
        let line = try #require(output.split(separator: "\n").last, "no report on stdout")
        self = try JSONDecoder().decode(SidecarLoadReport.self, from: Data(line.utf8))
    }
}
