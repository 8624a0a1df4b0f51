import Foundation
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 12 with the real service: a YAML vocabulary and no demo flag, NDJSON written over the
/// Unix socket by a plain POSIX client (not `SidecarEmitter`), `/metrics` read back with the
/// strict parser and `promtool check metrics`, SIGHUP reloads of the same running process.
///
/// Waiting: the lines go over one connection, so the listener records them one after the other
/// on one task; nothing else records, so the collectors' backlog stays empty and every line is
/// applied directly, before `llmdevops_sidecar_messages_total` counts it. Once that counter
/// equals the lines sent, every line is applied: the tests poll it (bounded), never sleep.
@Suite(.serialized, .timeLimit(minutes: 3)) struct VocabularyEndToEndTests {
    /// The price table, written to `prices.yaml` beside the configuration (relative path).
    static let prices: [(name: String, input: Double, output: Double, cacheRead: Double?, cacheWrite: Double?)] = [
        ("gpt-5.1", 1.25, 10, 0.125, nil),
        ("claude-sonnet-4-5", 3, 15, 0.30, 3.75),
    ]

    static var pricesYAML: String {
        var lines = ["prices:"]
        for price in prices {
            lines.append("  \(price.name):")
            lines.append("    input_per_million: \(price.input)")
            lines.append("    output_per_million: \(price.output)")
            if let read = price.cacheRead { lines.append("    cache_read_per_million: \(read)") }
            if let write = price.cacheWrite { lines.append("    cache_write_per_million: \(write)") }
            lines.append("    source: \"test\"")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static let vocabulary = """
          llm:
            models:
              - { name: "gpt-5.1", provider: "openai" }
              - { name: "claude-sonnet-4-5", provider: "anthropic", family: "claude-sonnet" }
              - name: "in-house-llm"
                provider: "self-hosted"
                price: { input_per_million: 0.5, output_per_million: 0.5 }
            aliases:
              - { pattern: "gpt-5.1-*", model: "gpt-5.1" }
              - { pattern: "claude-sonnet-4-5-*", model: "claude-sonnet-4-5" }
            prices_file: "prices.yaml"
            fallback_chains: [["gpt-5.1", "claude-sonnet-4-5"]]
          agent:
            agents:
              - { name: "support-router", tools: ["search_docs", "create_ticket"] }
            guardrails: ["pii_filter"]
        """

    /// The dollars of one request from the table above, computed here (not by the library).
    static func dollars(_ model: String, input: Int, output: Int, cacheRead: Int = 0, cacheWrite: Int = 0) -> Double {
        let price = prices.first { $0.name == model }!
        let plain = Double(input - cacheRead - cacheWrite) * price.input
        let read = Double(cacheRead) * (price.cacheRead ?? price.input)
        let write = Double(cacheWrite) * (price.cacheWrite ?? price.input)
        return (plain + read + write + Double(output) * price.output) / 1_000_000
    }

    static func expectClose(
        _ actual: Double,
        _ expected: Double,
        _ what: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(expected > 0, sourceLocation: sourceLocation)
        #expect(
            abs(actual - expected) <= 1e-12 * expected,
            "\(what): \(actual) != \(expected)",
            sourceLocation: sourceLocation
        )
    }

    static func line(_ fields: String) -> String { "{\"v\":1,\(fields)}\n" }

    static func request(
        _ model: String,
        status: String = "success",
        input: Int,
        output: Int,
        read: Int = 0,
        write: Int = 0
    ) -> String {
        line(
            "\"type\":\"llm.request\",\"model\":\"\(model)\",\"status\":\"\(status)\",\"duration_seconds\":0.5,"
                + "\"input_tokens\":\(input),\"output_tokens\":\(output),"
                + "\"cache_read_tokens\":\(read),\"cache_write_tokens\":\(write)"
        )
    }

    /// Sends `lines` on one connection, closes it, and waits (bounded) until the service
    /// counted `total` messages; returns the last exposition and its raw text.
    static func send(
        _ lines: [String],
        to service: SidecarService,
        total: Int,
        client: TestHTTPClient
    ) async throws -> (ParsedExposition, String) {
        let socket = try RawSocketClient(path: service.socketPath)
        #expect(socket.send(Array(lines.joined().utf8)))
        socket.shutdownWrite()
        #expect(await socket.waitForEndOfFile(timeout: .seconds(10)), "the service did not finish reading")
        let parsed = try await service.scrape(client) { $0.sum("llmdevops_sidecar_messages_total") == Double(total) }
        try #require(parsed.sum("llmdevops_sidecar_messages_total") == Double(total), "not every line was accepted")
        #expect(parsed.sum("llmdevops_sidecar_messages_rejected_total") == 0)
        let text = try await client.fetch("http://127.0.0.1:\(service.httpPort)/metrics").text
        return (try ExpositionParser.parse(Array(text.utf8), syntax: .prometheusText), text)
    }

    static func promtool(_ text: String) throws {
        guard ExternalTool.promtool.isInstalled || ExternalTool.required else { return }
        try ExternalTool.promtool.require()
        let result = try ProcessRunner.run(["promtool", "check", "metrics"], stdin: text)
        #expect(result.exitCode == 0, "promtool: \(result.combined.prefix(2000))")
    }

    @Test func aYAMLVocabularyLabelsRealTrafficWithoutTheDemo() async throws {
        let directory = try TemporaryDirectory()
        _ = try directory.write("prices.yaml", Self.pricesYAML)
        let service = try await SidecarService(directory: directory, vocabularyYAML: Self.vocabulary)
        do {
            let lines = [
                Self.request("gpt-5.1", input: 1000, output: 200, read: 400),
                Self.request("gpt-5.1-2025-11-13", input: 500, output: 50),  // alias
                Self.request("claude-sonnet-4-5", input: 2000, output: 300, read: 1000, write: 500),
                Self.request("in-house-llm", input: 100, output: 100),
                Self.request("mystery-model-x", input: 10, output: 10),
                Self.request("mystery-model-y", status: "error", input: 10, output: 0),
                Self.line(
                    "\"type\":\"llm.fallback\",\"from\":\"gpt-5.1\","
                        + "\"to\":\"claude-sonnet-4-5\",\"outcome\":\"success\""
                ),
                Self.line(
                    "\"type\":\"agent.execution\",\"agent\":\"support-router\","
                        + "\"status\":\"success\",\"duration_seconds\":2,"
                        + "\"llm_calls\":2,\"tool_calls\":2"
                ),
                Self.line(
                    "\"type\":\"agent.tool_call\",\"agent\":\"support-router\",\"tool\":\"search_docs\","
                        + "\"duration_seconds\":0.3"
                ),
                Self.line(
                    "\"type\":\"agent.tool_call\",\"agent\":\"support-router\",\"tool\":\"hallucinated_tool\","
                        + "\"duration_seconds\":0.1"
                ),
                Self.line("\"type\":\"agent.step\",\"agent\":\"rogue-agent\",\"step_type\":\"llm_call\""),
                Self.line(
                    "\"type\":\"agent.guardrail_triggered\",\"agent\":\"support-router\",\"guardrail\":\"pii_filter\""
                ),
                Self.line(
                    "\"type\":\"agent.guardrail_triggered\",\"agent\":\"support-router\","
                        + "\"guardrail\":\"made_up_guard\""
                ),
            ]
            try await TestHTTPClient.with { client in
                let (metrics, text) = try await Self.send(lines, to: service, total: lines.count, client: client)
                try Self.promtool(text)
                #expect(!service.child.standardError.contains("demo"))

                let requests = "llmdevops_llm_requests_total"
                #expect(
                    metrics.labelValues(requests, "model") == ["gpt-5.1", "claude-sonnet-4-5", "in-house-llm", "other"]
                )
                #expect(metrics.value(requests, ["model": "gpt-5.1", "status": "success"]) == 2)
                #expect(metrics.value(requests, ["model": "claude-sonnet-4-5", "status": "success"]) == 1)
                #expect(metrics.value(requests, ["model": "other", "status": "success"]) == 1)
                #expect(metrics.value(requests, ["model": "other", "status": "error"]) == 1)
                #expect(metrics.value("llmdevops_llm_tokens_total", ["model": "gpt-5.1", "type": "input"]) == 1500)

                let cost = "llmdevops_llm_cost_usd_total"
                Self.expectClose(
                    metrics.value(cost, ["model": "gpt-5.1"]),
                    Self.dollars("gpt-5.1", input: 1000, output: 200, cacheRead: 400)
                        + Self.dollars("gpt-5.1", input: 500, output: 50),
                    "gpt-5.1 cost"
                )
                Self.expectClose(
                    metrics.value(cost, ["model": "claude-sonnet-4-5"]),
                    Self.dollars("claude-sonnet-4-5", input: 2000, output: 300, cacheRead: 1000, cacheWrite: 500),
                    "claude cost"
                )
                Self.expectClose(
                    metrics.value(cost, ["model": "in-house-llm"]),
                    (100 * 0.5 + 100 * 0.5) / 1e6,
                    "inline price"
                )
                #expect(metrics.sample(named: cost, labels: ["model": "other"]) == nil)

                #expect(
                    metrics.value(
                        "llmdevops_llm_fallbacks_total",
                        ["from_model": "gpt-5.1", "to_model": "claude-sonnet-4-5", "outcome": "success"]
                    ) == 1
                )
                #expect(
                    metrics.value(
                        "llmdevops_llm_model_info",
                        ["model": "claude-sonnet-4-5", "provider": "anthropic", "family": "claude-sonnet"]
                    ) == 1
                )
                #expect(
                    metrics.labelValues("llmdevops_llm_model_info", "model") == [
                        "gpt-5.1", "claude-sonnet-4-5", "in-house-llm",
                    ]
                )

                let toolCalls = "llmdevops_agent_tool_calls_total"
                #expect(metrics.value(toolCalls, ["agent": "support-router", "tool": "search_docs"]) == 1)
                #expect(metrics.value(toolCalls, ["agent": "support-router", "tool": "_unknown"]) == 1)
                #expect(metrics.value("llmdevops_agent_unknown_tool_calls_total", ["agent": "support-router"]) == 1)
                #expect(
                    metrics.value("llmdevops_agent_executions_total", ["agent": "support-router", "status": "success"])
                        == 1
                )
                #expect(metrics.value("llmdevops_agent_steps_total", ["agent": "other", "step_type": "llm_call"]) == 1)
                let guardrails = "llmdevops_agent_guardrail_triggers_total"
                #expect(metrics.value(guardrails, ["agent": "support-router", "guardrail": "pii_filter"]) == 1)
                #expect(metrics.value(guardrails, ["agent": "support-router", "guardrail": "other"]) == 1)

                let overflow = "llmdevops_collector_label_overflow_total"
                #expect(metrics.value(overflow, ["metric": requests, "label": "model"]) == 2)
                #expect(metrics.value(overflow, ["metric": toolCalls, "label": "tool"]) == 1)
                #expect(metrics.value(overflow, ["metric": "llmdevops_agent_steps_total", "label": "agent"]) == 1)
                #expect(metrics.value(overflow, ["metric": guardrails, "label": "guardrail"]) == 1)
                #expect(metrics.sum(overflow) == 5)
            }
        } catch {
            await service.stop()
            throw error
        }
        #expect(await service.stop() == 0)
    }

    @Test func admissionThroughYAMLAdmitsTheFirstTwentyNames() async throws {
        let directory = try TemporaryDirectory()
        let vocabulary = """
              llm:
                models: [{ name: "gpt-5.1", provider: "openai" }]
                admit_unlisted_models: 20
            """
        let service = try await SidecarService(directory: directory, vocabularyYAML: vocabulary)
        do {
            let lines = (0..<1000).map { Self.request("vendor-model-\($0)", input: 1, output: 1) }
            try await TestHTTPClient.with { client in
                let (metrics, text) = try await Self.send(lines, to: service, total: lines.count, client: client)
                try Self.promtool(text)
                let requests = "llmdevops_llm_requests_total"
                let expected = Set((0..<20).map { "vendor-model-\($0)" }).union(["other"])
                #expect(metrics.labelValues(requests, "model") == expected)
                #expect(metrics.value(requests, ["model": "other", "status": "success"]) == 980)
                #expect(
                    metrics.value("llmdevops_collector_label_overflow_total", ["metric": requests, "label": "model"])
                        == 980
                )
            }
        } catch {
            await service.stop()
            throw error
        }
        #expect(await service.stop() == 0)
    }

    static func reloadVocabulary(alphaInput: Double, third: String) -> String {
        """
          llm:
            models:
              - { name: "alpha", provider: "test", price: { input_per_million: \(alphaInput), output_per_million: 2 } }
              - { name: "\(third)", provider: "test", price: { input_per_million: 1, output_per_million: 1 } }
        """
    }

    /// Waits (bounded) until `llmdevops_exporter_config_reloads_total{result}` reaches `count`.
    static func waitForReloads(_ result: String, _ count: Double, service: SidecarService, client: TestHTTPClient)
        async throws
    {
        let parsed = try await service.scrape(client) {
            $0.value("llmdevops_exporter_config_reloads_total", ["result": result]) == count
        }
        try #require(
            parsed.value("llmdevops_exporter_config_reloads_total", ["result": result]) == count,
            "no \(result) reload was counted: \(service.child.standardError)"
        )
    }

    @Test func sighupAppliesTheVocabularyToTheRunningProcess() async throws {
        let directory = try TemporaryDirectory()
        let service = try await SidecarService(
            directory: directory,
            vocabularyYAML: Self.reloadVocabulary(alphaInput: 1, third: "beta")
        )
        let requests = "llmdevops_llm_requests_total"
        let cost = "llmdevops_llm_cost_usd_total"
        let overflow = "llmdevops_collector_label_overflow_total"
        let firstAlpha = (1000 * 1.0 + 100 * 2.0) / 1e6
        do {
            try await TestHTTPClient.with { client in
                let round = [
                    Self.request("alpha", input: 1000, output: 100), Self.request("beta", input: 10, output: 10),
                ]
                let (before, _) = try await Self.send(round, to: service, total: 2, client: client)
                #expect(before.value(cost, ["model": "alpha"]) == firstAlpha)

                // beta removed, gamma added, alpha's input price 1 -> 3.
                try service.rewrite(vocabularyYAML: Self.reloadVocabulary(alphaInput: 3, third: "gamma"))
                kill(service.child.pid, SIGHUP)
                try await Self.waitForReloads("success", 1, service: service, client: client)
                let reloaded = try await service.scrape(client)
                #expect(reloaded.labelValues("llmdevops_llm_model_info", "model") == ["alpha", "beta", "gamma"])
                for sample in before.samples where sample.name.hasPrefix("llmdevops_llm_") {
                    #expect(
                        reloaded.sample(named: sample.name, labels: sample.labels)?.value == sample.value,
                        "\(sample.name)"
                    )
                }

                let second = round + [Self.request("gamma", input: 5, output: 5)]
                let (after, text) = try await Self.send(second, to: service, total: 5, client: client)
                try Self.promtool(text)
                #expect(after.value(requests, ["model": "alpha", "status": "success"]) == 2)
                #expect(after.value(cost, ["model": "alpha"]) == firstAlpha + (1000 * 3.0 + 100 * 2.0) / 1e6)
                #expect(after.value(requests, ["model": "beta", "status": "success"]) == 1)
                #expect(after.value(requests, ["model": "other", "status": "success"]) == 1)
                #expect(after.value(requests, ["model": "gamma", "status": "success"]) == 1)
                #expect(after.value(overflow, ["metric": requests, "label": "model"]) == 1)

                // A broken file: counted, the previous vocabulary stays (gamma labelled, beta folded).
                try service.rewrite(
                    vocabularyYAML: "",
                    raw: "prometheus_metrics:\n  llm:\n    models:\n      - { name: \"gamma\", provider: \"\" }\n"
                )
                kill(service.child.pid, SIGHUP)
                try await Self.waitForReloads("failure", 1, service: service, client: client)
                let third = [Self.request("gamma", input: 5, output: 5), Self.request("beta", input: 10, output: 10)]
                let (last, _) = try await Self.send(third, to: service, total: 7, client: client)
                #expect(last.value(requests, ["model": "gamma", "status": "success"]) == 2)
                #expect(last.value(requests, ["model": "other", "status": "success"]) == 2)
                #expect(last.value("llmdevops_exporter_config_reloads_total", ["result": "success"]) == 1)
                let reason = service.child.standardError.split(separator: "\n").filter {
                    $0.contains("Configuration reload failed")
                }
                #expect(reason.count == 1)
                #expect(
                    reason.first?.contains("prometheus_metrics.llm.models[0].provider: required (line 4)") == true,
                    "\(reason)"
                )
            }
        } catch {
            await service.stop()
            throw error
        }
        #expect(await service.stop() == 0)
    }
}
