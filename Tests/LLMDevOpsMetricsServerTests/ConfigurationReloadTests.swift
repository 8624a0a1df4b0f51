import Foundation
import HTTPTypes
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import Logging
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// SIGHUP re-reads the configuration (issue 7, item 5): `auth` and `rate_limit` apply at once,
/// a broken file keeps the previous configuration, says why in one line and is counted.
@Suite(.timeLimit(minutes: 2)) struct ConfigurationReloadTests {
    static func config(token: String, rateLimit: Bool = false, port: String = "0") -> String {
        """
        prometheus_metrics:
          endpoint: { host: "127.0.0.1", port: \(port), path: "/metrics" }
          rate_limit: { enabled: \(rateLimit), requests_per_second: 1, burst: 1 }
          auth:
            enabled: true
            tokens:
              prometheus: { sha256: "\(sha256Hex(token))", scopes: ["metrics:read"] }
        """
    }

    /// The value of a sample in a Prometheus text body, or nil.
    static func sample(_ body: String, _ series: String) -> Double? {
        for line in body.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1).split(separator: " ")[0])
        }
        return nil
    }

    @Test func sighupSwapsTokensAndABrokenFileKeepsThePreviousConfiguration() async throws {
        let executable = try ChildProcess.serviceExecutable
        let directory = try TemporaryDirectory()
        let tokenA = "token-a-\(UUID().uuidString)"
        let tokenB = "token-b-\(UUID().uuidString)"
        let config = try directory.write("service.yaml", Self.config(token: tokenA))
        let service = try ChildProcess(
            executable: executable, arguments: ["--config", config],
            environment: ChildProcess.environment([:]), directory: directory.url)
        do {
            let port = try #require(
                try await service.waitForStandardError(#"llmdevops\.http\.port=(\d+)"#, timeout: ChildProcess.startupTimeout),
                "the service did not report its port: \(service.standardError)")
            let url = "http://127.0.0.1:\(port)/metrics"
            try await TestHTTPClient.with { client in
                func status(_ token: String) async -> Int {
                    (try? await client.fetch(url, headers: [("Authorization", "Bearer \(token)")]))?.status ?? -1
                }
                #expect(await status(tokenA) == 200)
                #expect(await status(tokenB) == 401)

                // Token B replaces token A (and the port change is reported as needing a restart).
                _ = try directory.write("service.yaml", Self.config(token: tokenB, port: "1"))
                kill(service.pid, SIGHUP)
                var swapped = false
                let deadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < deadline, !swapped {
                    swapped = await status(tokenB) == 200
                    if !swapped { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(swapped, "token B never became valid: \(service.standardError)")
                #expect(await status(tokenA) == 401)
                #expect(service.isRunning)
                #expect(
                    try await service.waitForStandardError(
                        #"llmdevops\.config\.restart_required=(\S+)"#, timeout: .seconds(5))
                        == "prometheus_metrics.endpoint")

                // A broken file: counted, one line with the loader's reason, token B still works.
                _ = try directory.write("service.yaml", "prometheus_metrics:\n  rate_limit:\n    burst: lots\n")
                kill(service.pid, SIGHUP)
                var failures: Double?
                let failureDeadline = ContinuousClock.now + .seconds(10)
                while ContinuousClock.now < failureDeadline, failures != 1 {
                    let body = try await client.fetch(url, headers: [("Authorization", "Bearer \(tokenB)")])
                    #expect(body.status == 200)
                    _ = try ExpositionParser.parse(body.text, syntax: .prometheusText)
                    failures = Self.sample(body.text, #"llmdevops_exporter_config_reloads_total{result="failure"}"#)
                    if failures != 1 { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(failures == 1)
                let last = try await client.fetch(url, headers: [("Authorization", "Bearer \(tokenB)")])
                #expect(last.status == 200)
                #expect(Self.sample(last.text, #"llmdevops_exporter_config_reloads_total{result="success"}"#) == 1)
                #expect(await status(tokenA) == 401)
                let reason = service.standardError.split(separator: "\n").filter { $0.contains("Configuration reload failed") }
                #expect(reason.count == 1, "\(service.standardError)")
                #expect(
                    reason.first?.contains(
                        "llmdevops.config.error=configuration error: prometheus_metrics.rate_limit.burst:") == true,
                    "\(reason)")
            }
            #expect(await service.stop() == 0)
        } catch {
            await service.stop(signal: SIGKILL)
            throw error
        }
    }

    @Test func reloadAppliesRateLimitAndCountsInProcess() async throws {
        let registry = RegistryActor()
        var configuration = ServiceConfiguration()
        configuration.rateLimit.enabled = true
        configuration.rateLimit.requestsPerSecond = 0.001
        configuration.rateLimit.burst = 1
        let handler = try await MetricsHTTPHandler(
            registry: registry, configuration: configuration, deadlineClock: ManualTestClock())
        let request = MetricsHTTPRequest(method: .get, path: "/metrics", remoteAddress: "127.0.0.1")
        #expect(await handler.handle(request).status == 200)
        #expect(await handler.handle(request).status == 429)

        var next = configuration
        next.rateLimit.enabled = false
        next.cache.ttlMilliseconds = 5
        let reloader = try await ConfigurationReloader(
            handler: handler, registry: registry,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { [next] in next }
        #expect(await reloader.reload())
        #expect(await handler.handle(request).status == 200)
        #expect(MetricsHTTPHandler.keysNeedingRestart(from: configuration, to: next) == ["prometheus_metrics.cache"])

        // An unusable token digest fails the reload and changes nothing.
        var broken = configuration
        broken.auth = .init(enabled: true, tokens: [.init(name: "x", sha256: "nope", scopes: ["metrics:read"])])
        let failing = try await ConfigurationReloader(
            handler: handler, registry: RegistryActor(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { [broken] in broken }
        #expect(await failing.reload() == false)
        #expect(await handler.handle(request).status == 200)
        let text = String(decoding: await registry.render(.prometheusText), as: UTF8.self)
        #expect(Self.sample(text, #"llmdevops_exporter_config_reloads_total{result="success"}"#) == 1)
    }
}
