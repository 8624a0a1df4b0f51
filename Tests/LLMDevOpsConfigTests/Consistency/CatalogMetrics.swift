import LLMDevOpsMetrics

/// The metric families the service is specified to expose, by name, type and label names:
/// `../shared/METRICS-CATALOG.md` (LLM L1-L16, agent A1-A17, collector self-metrics of §6),
/// issue 3 (exporter), issue 4 (process, runtime, pipeline) and issue 5 (sidecar). The
/// registry's own self-metrics (`llmdevops_registry_*`, `llmdevops_exporter_cache_*`) are not
/// listed: the real `RegistryActor` adds them when it renders.
///
/// Until a `llmdevops-metrics --demo` run can be scraped in the suite, ``exposition()`` renders
/// these families through the real registry and encoder as the stand-in exposition the
/// consistency test checks the dashboard and rules against.
enum CatalogMetrics {
    enum Kind: Sendable { case counter, gauge, histogram, info }

    struct Family: Sendable {
        var name: String
        var kind: Kind
        var labelNames: [String]
    }

    static let families: [Family] = llm + agent + collectors + process + runtime + exporter + sidecar

    /// The latency histograms with native buckets beside the classic ones (L3, L4, L5, A5, A6;
    /// `CollectorsConfiguration.nativeHistograms`, on by default).
    static let nativeHistograms: Set<String> = [
        "llmdevops_llm_request_duration_seconds", "llmdevops_llm_time_to_first_token_seconds",
        "llmdevops_llm_time_per_output_token_seconds", "llmdevops_agent_tool_call_duration_seconds",
        "llmdevops_agent_execution_duration_seconds",
    ]

    // METRICS-CATALOG.md §3.
    static let llm: [Family] = [
        Family(name: "llmdevops_llm_requests_total", kind: .counter, labelNames: ["model", "status"]),
        Family(name: "llmdevops_llm_tokens_total", kind: .counter, labelNames: ["model", "type"]),
        Family(name: "llmdevops_llm_request_duration_seconds", kind: .histogram, labelNames: ["model", "outcome"]),
        Family(name: "llmdevops_llm_time_to_first_token_seconds", kind: .histogram, labelNames: ["model"]),
        Family(name: "llmdevops_llm_time_per_output_token_seconds", kind: .histogram, labelNames: ["model"]),
        Family(name: "llmdevops_llm_token_details_total", kind: .counter, labelNames: ["model", "type"]),
        Family(name: "llmdevops_llm_request_tokens", kind: .histogram, labelNames: ["model", "type"]),
        Family(name: "llmdevops_llm_requests_in_flight", kind: .gauge, labelNames: ["model"]),
        Family(name: "llmdevops_llm_request_errors_total", kind: .counter, labelNames: ["model", "error_type"]),
        Family(name: "llmdevops_llm_finish_reasons_total", kind: .counter, labelNames: ["model", "finish_reason"]),
        Family(name: "llmdevops_llm_cost_usd_total", kind: .counter, labelNames: ["model"]),
        Family(name: "llmdevops_llm_retries_total", kind: .counter, labelNames: ["model", "reason"]),
        Family(name: "llmdevops_llm_fallbacks_total", kind: .counter, labelNames: ["from_model", "to_model", "outcome"]),
        Family(name: "llmdevops_llm_queue_duration_seconds", kind: .histogram, labelNames: ["model"]),
        Family(name: "llmdevops_llm_ratelimit_remaining", kind: .gauge, labelNames: ["model", "kind"]),
        Family(name: "llmdevops_llm_model_info", kind: .gauge, labelNames: ["model", "provider", "family"]),
    ]

    // METRICS-CATALOG.md §4.
    static let agent: [Family] = [
        Family(name: "llmdevops_agent_executions_total", kind: .counter, labelNames: ["agent", "status"]),
        Family(name: "llmdevops_agent_steps_total", kind: .counter, labelNames: ["agent", "step_type"]),
        Family(name: "llmdevops_agent_tool_calls_total", kind: .counter, labelNames: ["agent", "tool"]),
        Family(name: "llmdevops_agent_tool_call_errors_total", kind: .counter, labelNames: ["tool", "error_type"]),
        Family(name: "llmdevops_agent_tool_call_duration_seconds", kind: .histogram, labelNames: ["tool"]),
        Family(name: "llmdevops_agent_execution_duration_seconds", kind: .histogram, labelNames: ["agent", "outcome"]),
        Family(name: "llmdevops_agent_llm_calls_per_execution", kind: .histogram, labelNames: ["agent"]),
        Family(name: "llmdevops_agent_tool_calls_per_execution", kind: .histogram, labelNames: ["agent"]),
        Family(name: "llmdevops_agent_executions_in_flight", kind: .gauge, labelNames: ["agent"]),
        Family(name: "llmdevops_agent_handoffs_total", kind: .counter, labelNames: ["from_agent", "to_agent"]),
        Family(name: "llmdevops_agent_limits_hit_total", kind: .counter, labelNames: ["agent", "limit"]),
        Family(name: "llmdevops_agent_retries_total", kind: .counter, labelNames: ["agent", "kind"]),
        Family(name: "llmdevops_agent_tokens_total", kind: .counter, labelNames: ["agent", "type"]),
        Family(name: "llmdevops_agent_cost_usd_total", kind: .counter, labelNames: ["agent"]),
        Family(name: "llmdevops_agent_execution_cost_usd", kind: .histogram, labelNames: ["agent"]),
        Family(name: "llmdevops_agent_unknown_tool_calls_total", kind: .counter, labelNames: ["agent"]),
        Family(name: "llmdevops_agent_guardrail_triggers_total", kind: .counter, labelNames: ["agent", "guardrail"]),
    ]

    // Issue 4 (event pipeline) and METRICS-CATALOG.md §6 (series caps and label overflow).
    static let collectors: [Family] = [
        Family(name: "llmdevops_collector_events_total", kind: .counter, labelNames: ["collector"]),
        Family(name: "llmdevops_collector_events_dropped_total", kind: .counter, labelNames: ["collector"]),
        Family(name: "llmdevops_collector_series", kind: .gauge, labelNames: ["metric"]),
        Family(name: "llmdevops_collector_label_overflow_total", kind: .counter, labelNames: ["metric", "label"]),
    ]

    // Issue 4, item 5.
    static let process: [Family] = [
        Family(name: "process_cpu_seconds_total", kind: .counter, labelNames: []),
        Family(name: "process_open_fds", kind: .gauge, labelNames: []),
        Family(name: "process_max_fds", kind: .gauge, labelNames: []),
        Family(name: "process_virtual_memory_bytes", kind: .gauge, labelNames: []),
        Family(name: "process_virtual_memory_max_bytes", kind: .gauge, labelNames: []),
        Family(name: "process_resident_memory_bytes", kind: .gauge, labelNames: []),
        Family(name: "process_start_time_seconds", kind: .gauge, labelNames: []),
        Family(name: "process_threads", kind: .gauge, labelNames: []),
        Family(name: "process_heap_bytes", kind: .gauge, labelNames: []),
        Family(name: "process_network_receive_bytes_total", kind: .counter, labelNames: []),
        Family(name: "process_network_transmit_bytes_total", kind: .counter, labelNames: []),
        // Issue 19: per-source health of the /proc samplers.
        Family(name: "llmdevops_process_read_errors_total", kind: .counter, labelNames: ["source"]),
        Family(name: "llmdevops_process_read_stalled", kind: .gauge, labelNames: ["source"]),
    ]

    // Issue 4, item 6 (the only runtime names it fixes).
    static let runtime: [Family] = [
        Family(name: "swift_info", kind: .info, labelNames: ["version"]),
        Family(name: "llmdevops_build_info", kind: .info, labelNames: ["revision", "version"]),
        // Issue 19: the task-start-delay probe, one observation per sampling interval.
        Family(name: "swift_concurrency_task_start_delay_seconds", kind: .histogram, labelNames: []),
    ]

    // Issue 3, item 8. The duration's type and the last two names are assumptions (issue 3
    // names "auth failures" and "rate-limited requests" without a metric name).
    static let exporter: [Family] = [
        Family(name: "llmdevops_exporter_scrapes_total", kind: .counter, labelNames: ["format", "code"]),
        Family(name: "llmdevops_exporter_scrape_duration_seconds", kind: .histogram, labelNames: []),
        Family(name: "llmdevops_exporter_requests_in_flight", kind: .gauge, labelNames: []),
        Family(name: "llmdevops_exporter_auth_failures_total", kind: .counter, labelNames: ["reason"]),
        Family(name: "llmdevops_exporter_rate_limited_total", kind: .counter, labelNames: []),
    ]

    // Issue 5, item 2 (the rejected-messages name is the issue's; the others are ours).
    static let sidecar: [Family] = [
        Family(name: "llmdevops_sidecar_messages_rejected_total", kind: .counter, labelNames: ["reason"]),
        Family(name: "llmdevops_sidecar_messages_total", kind: .counter, labelNames: []),
        Family(name: "llmdevops_sidecar_connections", kind: .gauge, labelNames: []),
        Family(name: "llmdevops_sidecar_connections_accepted_total", kind: .counter, labelNames: []),
        Family(name: "llmdevops_sidecar_connections_rejected_total", kind: .counter, labelNames: []),
    ]

    /// The families registered in a real registry with one sample each, rendered as text 0.0.4.
    static func exposition(omitting omitted: Set<String> = []) async throws -> String {
        let registry = RegistryActor()
        for family in families where !omitted.contains(family.name) {
            let values = family.labelNames.map { "\($0)_value" }
            switch family.kind {
            case .counter:
                try await registry.makeCounterFamily(name: family.name, help: "Catalog stand-in.", labelNames: family.labelNames)
                    .labels(values: values).increment()
            case .gauge:
                try await registry.makeGaugeFamily(name: family.name, help: "Catalog stand-in.", labelNames: family.labelNames)
                    .labels(values: values).set(to: 1)
            case .histogram:
                try await registry.makeHistogramFamily(name: family.name, help: "Catalog stand-in.", labelNames: family.labelNames)
                    .labels(values: values).observe(0.5)
            case .info:
                _ = try await registry.makeInfoFamily(name: family.name, help: "Catalog stand-in.", labelNames: family.labelNames)
                    .labels(values: values)
            }
        }
        return String(decoding: await registry.render(.prometheusText), as: UTF8.self)
    }
}
