import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import LLMDevOpsTestSupport
import Testing

/// A real Prometheus 2.42 with `--enable-feature=native-histograms` ingests what we serve over
/// protobuf: native histogram series for the latency families, the same observations as the
/// classic buckets a text scrape stores, PromQL quantiles over them, and the shipped recording
/// rules. (2.42 stores only the native form of a histogram that carries both, and has no
/// `scrape_classic_histograms`; so the classic side is a second job scraping a second
/// exposition that offers text 0.0.4 only.)
@Suite(.requires(.prometheus)) struct PrometheusNativeHistogramTests {
    /// The catalog's latency families, native by default in the collectors (L3, L4, L5, A5, A6).
    static let latencyFamilies = [
        "llmdevops_llm_request_duration_seconds", "llmdevops_llm_time_to_first_token_seconds",
        "llmdevops_llm_time_per_output_token_seconds", "llmdevops_agent_tool_call_duration_seconds",
        "llmdevops_agent_execution_duration_seconds",
    ]

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let ruleFiles = ["llmdevops-recording.rules.yml", "llmdevops-alerts.rules.yml"].map {
        repositoryRoot.appendingPathComponent("Config/prometheus/rules/\($0)")
    }

    /// Polls `promQL` (bounded: 240 × 250 ms) until `done` accepts its result.
    private func poll(
        _ promQL: String,
        _ prometheus: PrometheusProcess,
        _ client: TestHTTPClient,
        until done: ([PrometheusProcess.Sample]) -> Bool
    ) async throws -> [PrometheusProcess.Sample] {
        var result: [PrometheusProcess.Sample] = []
        for _ in 0..<240 {
            result = try await prometheus.instantQuery(promQL, client)
            if done(result) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        return result
    }

    /// The service binary twice with the shipped configuration and the same seeded demo
    /// workload: `native` as shipped (protobuf offered), `classic` with
    /// `PROMETHEUS_METRICS_FORMATS_PROTOBUF=false` and `..._OPENMETRICS=false` (text 0.0.4).
    /// One Prometheus with native histograms scrapes both and evaluates the shipped rules.
    @Test(.timeLimit(minutes: 4))
    func prometheusStoresNativeHistogramsFromTheServiceAndTheRulesWorkOnBoth() async throws {
        try ExternalTool.prometheus.require()
        let executable = try ChildProcess.serviceExecutable
        let directory = try TemporaryDirectory()
        let config = Self.repositoryRoot.appendingPathComponent("Config/llmdevops-metrics.yaml").path
        let workload = ["--demo-events", "6000", "--demo-rate", "500", "--demo-seed", "14"]
        var services: [ChildProcess] = []
        var prometheus: PrometheusProcess?
        do {
            for textOnly in [false, true] {
                var environment = ["PROMETHEUS_METRICS_ENDPOINT_PORT": "0"]
                if textOnly {
                    environment["PROMETHEUS_METRICS_FORMATS_PROTOBUF"] = "false"
                    environment["PROMETHEUS_METRICS_FORMATS_OPENMETRICS"] = "false"
                }
                services.append(
                    try ChildProcess(
                        executable: executable,
                        arguments: ["--config", config] + workload,
                        environment: ChildProcess.environment(environment),
                        directory: directory.url
                    )
                )
            }
            var ports: [String] = []
            for service in services {
                ports.append(
                    try #require(
                        try await service.waitForStandardError(#"llmdevops\.http\.port=(\d+)"#, timeout: .seconds(60)),
                        "the service did not report its port: \(service.standardError)"
                    )
                )
            }
            let started = try PrometheusProcess.start(
                directory: directory,
                name: "native",
                jobs: [
                    .init(name: "native", target: "127.0.0.1:\(ports[0])"),
                    .init(name: "classic", target: "127.0.0.1:\(ports[1])"),
                ],
                nativeHistograms: true,
                ruleFiles: Self.ruleFiles
            )
            prometheus = started
            try await TestHTTPClient.with { client in
                #expect(try await started.waitUntilUp(["native", "classic"], client), "the targets never came up")
                for service in services {
                    let applied = try await service.waitForStandardError("Demo workload applied", timeout: .seconds(90))
                    #expect(applied != nil, "the demo workload was not applied: \(service.standardError)")
                }
                try await checkTheStoredSeries(started, client)
                try await checkTheDashboard(started, client)
            }
        } catch {
            await prometheus?.stop()
            for service in services { await service.stop() }
            throw error
        }
        #expect(await prometheus?.stop() != nil)
        for service in services {
            #expect(await service.stop() == 0, "the service must exit 0 after SIGTERM: \(service.standardError)")
        }
    }

    private func checkTheStoredSeries(_ prometheus: PrometheusProcess, _ client: TestHTTPClient) async throws {
        // Both services ran the same seeded workload: once it is applied and scraped, the native
        // histograms hold exactly the observations the classic buckets hold.
        for family in Self.latencyFamilies {
            let native = #"sum(histogram_count(\#(family){job="native"}))"#
            let classic = #"sum(\#(family)_count{job="classic"})"#
            let equal = try await poll("\(native) == \(classic)", prometheus, client) {
                ($0.first?.floatValue ?? 0) > 0
            }
            let nativeCount = try await prometheus.instantQuery(native, client).first?.floatValue
            let classicCount = try await prometheus.instantQuery(classic, client).first?.floatValue
            #expect(
                !equal.isEmpty,
                Comment(
                    rawValue: "\(family): native count \(String(describing: nativeCount)), "
                        + "classic \(String(describing: classicCount))")
            )
            let nativeSum = try await prometheus.instantQuery(#"sum(histogram_sum(\#(family){job="native"}))"#, client)
            let classicSum = try await prometheus.instantQuery(#"sum(\#(family)_sum{job="classic"})"#, client)
            if let nativeSum = nativeSum.first?.floatValue, let classicSum = classicSum.first?.floatValue {
                #expect(
                    abs(nativeSum - classicSum) <= 1e-9 * abs(classicSum),
                    "\(family): sums \(nativeSum) / \(classicSum)"
                )
            } else {
                Issue.record("\(family): no sum")
            }

            // The native job stores native histogram series and no classic bucket series.
            let series = try await prometheus.instantQuery(#"\#(family){job="native"}"#, client)
            #expect(
                !series.isEmpty && series.allSatisfy { $0.nativeHistogram != nil },
                "\(family): \(series.count) series"
            )
            #expect(try await prometheus.instantQuery(#"\#(family)_bucket{job="native"}"#, client).isEmpty)
            // The classic job stores the classic buckets: the catalog's bounds and +Inf.
            let buckets = try await prometheus.instantQuery(#"\#(family)_bucket{job="classic"}"#, client)
            let bounds = Set(buckets.compactMap { $0.metric["le"] }.compactMap(Double.init))
            #expect(bounds == Set(Self.catalogBounds(family) + [.infinity]), "\(family): le \(bounds.sorted())")
            #expect(try await prometheus.instantQuery(#"\#(family){job="classic"}"#, client).isEmpty)
        }

        // PromQL over the native histograms answers.
        let quantile = try await prometheus.instantQuery(
            #"histogram_quantile(0.9, sum(rate(llmdevops_llm_request_duration_seconds{job="native"}[1m])))"#,
            client
        )
        let p90 = try #require(quantile.first?.floatValue, "histogram_quantile answered nothing")
        #expect(p90.isFinite && p90 > 0)
        let classicQuantile = try await prometheus.instantQuery(
            #"histogram_quantile(0.9, sum by (le) "#
                + #"(rate(llmdevops_llm_request_duration_seconds_bucket{job="classic"}[1m])))"#,
            client
        )
        #expect(classicQuantile.first?.floatValue.map { $0.isFinite && $0 > 0 } == true)

        // The shipped recording rules return data on both sides.
        for rule in [
            "llmdevops:llm_request_duration_seconds:p99_rate5m", "llmdevops:llm_time_to_first_token_seconds:p99_rate5m",
            "llmdevops:llm_request_duration_seconds_count:rate5m",
            "llmdevops:agent_execution_duration_seconds_count:rate5m",
        ] {
            for job in ["native", "classic"] {
                let result = try await poll(#"\#(rule){job="\#(job)"}"#, prometheus, client) { result in
                    result.contains { ($0.floatValue ?? .nan).isFinite }
                }
                #expect(result.contains { ($0.floatValue ?? .nan).isFinite }, "\(rule) has no data for job \(job)")
            }
        }
        // The native rate rules hold native histograms (Prometheus 2.42 discards some of their
        // evaluations, see the rule file; the latest stored one answers).
        for rule in [
            "llmdevops:llm_request_duration_seconds:rate5m", "llmdevops:agent_execution_duration_seconds:rate5m",
        ] {
            let result = try await poll(#"\#(rule){job="native"}"#, prometheus, client) { !$0.isEmpty }
            #expect(!result.isEmpty && result.allSatisfy { $0.nativeHistogram != nil }, "\(rule)")
            #expect(try await prometheus.instantQuery(#"\#(rule){job="classic"}"#, client).isEmpty)
        }
    }

    /// Every quantile panel of the shipped dashboard answers both for the job whose latency
    /// families Prometheus stores as native histograms and for the one that stores classic
    /// buckets (each panel asks for the native form `or` the `_bucket` series).
    private func checkTheDashboard(_ prometheus: PrometheusProcess, _ client: TestHTTPClient) async throws {
        let file = Self.repositoryRoot.appendingPathComponent("Config/grafana/llmdevops-dashboard.json")
        let dashboard = try JSONSerialization.jsonObject(with: Data(contentsOf: file))
        let expressions = Self.expressions(in: dashboard).filter { $0.contains("histogram_quantile") }
        try #require(expressions.count >= 20, "quantile panels: \(expressions.count)")
        var answered = ["native": 0, "classic": 0]
        for expression in expressions {
            for job in ["native", "classic"] {
                // Grafana's variables: this job, every model, agent and instance. The window
                // outlasts the test (the workload ends early, and a rate over a window past its
                // last observation is zero, whose quantile is NaN in either form).
                let query = expression.replacingOccurrences(of: "$__rate_interval", with: "10m")
                    .replacingOccurrences(of: "$job", with: job)
                    .replacingOccurrences(of: "$model", with: ".+")
                    .replacingOccurrences(of: "$agent", with: ".+")
                    .replacingOccurrences(of: "$instance", with: ".+")
                #expect(!query.contains("$"), "a variable left in \(query)")
                let result = try await poll(query, prometheus, client) { result in
                    result.contains { ($0.floatValue ?? .nan).isFinite }
                }
                if result.contains(where: { ($0.floatValue ?? .nan).isFinite }) {
                    answered[job, default: 0] += 1
                } else {
                    Issue.record("no finite answer for job \(job): \(query)")
                }
            }
        }
        print(
            "dashboard-quantiles: panels_expressions=\(expressions.count) "
                + "native_answered=\(answered["native"] ?? 0) classic_answered=\(answered["classic"] ?? 0)")
    }

    /// The `expr` of every target in a dashboard, nested rows included.
    static func expressions(in value: Any) -> [String] {
        if let object = value as? [String: Any] {
            let own = (object["expr"] as? String).map { [$0] } ?? []
            return own + object.values.flatMap { expressions(in: $0) }
        }
        if let array = value as? [Any] { return array.flatMap { expressions(in: $0) } }
        return []
    }

    static func catalogBounds(_ family: String) -> [Double] {
        switch family {
        case "llmdevops_llm_request_duration_seconds": CatalogBuckets.llmDuration
        case "llmdevops_llm_time_to_first_token_seconds": CatalogBuckets.timeToFirstToken
        case "llmdevops_llm_time_per_output_token_seconds": CatalogBuckets.timePerOutputToken
        case "llmdevops_agent_tool_call_duration_seconds": CatalogBuckets.toolDuration
        default: CatalogBuckets.agentDuration
        }
    }
}
