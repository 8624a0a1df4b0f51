import LLMDevOpsMetrics

/// The LLM collector's families, registered once.
struct LLMMetricFamilies: Sendable {
    static let requests = "llmdevops_llm_requests_total"
    static let tokens = "llmdevops_llm_tokens_total"
    static let duration = "llmdevops_llm_request_duration_seconds"
    static let timeToFirstToken = "llmdevops_llm_time_to_first_token_seconds"
    static let timePerOutputToken = "llmdevops_llm_time_per_output_token_seconds"
    static let tokenDetails = "llmdevops_llm_token_details_total"
    static let requestTokens = "llmdevops_llm_request_tokens"
    static let inFlight = "llmdevops_llm_requests_in_flight"
    static let errors = "llmdevops_llm_request_errors_total"
    static let finishReasons = "llmdevops_llm_finish_reasons_total"
    static let cost = "llmdevops_llm_cost_usd_total"
    static let retries = "llmdevops_llm_retries_total"
    static let fallbacks = "llmdevops_llm_fallbacks_total"
    static let queueDuration = "llmdevops_llm_queue_duration_seconds"
    static let rateLimitRemaining = "llmdevops_llm_ratelimit_remaining"
    static let modelInfo = "llmdevops_llm_model_info"

    let requests: CounterFamily
    let tokens: CounterFamily
    let duration: HistogramFamily
    let timeToFirstToken: HistogramFamily
    let timePerOutputToken: HistogramFamily
    let tokenDetails: CounterFamily
    let requestTokens: HistogramFamily
    let inFlight: GaugeFamily
    let errors: CounterFamily
    let finishReasons: CounterFamily
    let cost: CounterFamily
    let retries: CounterFamily
    let fallbacks: CounterFamily
    let queueDuration: HistogramFamily?
    let rateLimitRemaining: GaugeFamily
    let modelInfo: InfoFamily

    /// `latencyOptions` apply to the latency histograms (L3, L4, L5: native buckets when the
    /// collectors' configuration asks for them), `options` to every other family.
    static func register(
        in registry: RegistryActor,
        options: FamilyOptions,
        latencyOptions: FamilyOptions,
        exportsQueueDuration: Bool,
        chargesTeams: Bool = false
    ) async throws(MetricsError) -> LLMMetricFamilies {
        LLMMetricFamilies(
            requests: try await registry.makeCounterFamily(
                name: requests, help: "LLM requests finished, by model and status.",
                labelNames: ["model", "status"], options: options),
            tokens: try await registry.makeCounterFamily(
                name: tokens,
                help: "Billable tokens: input includes cached tokens, output includes reasoning tokens.",
                labelNames: ["model", "type"], options: options),
            duration: try await registry.makeHistogramFamily(
                name: duration, help: "End-to-end LLM request duration as the client saw it, failures included.",
                unit: "seconds", labelNames: ["model", "outcome"], buckets: CatalogBuckets.llmDuration,
                options: latencyOptions),
            timeToFirstToken: try await registry.makeHistogramFamily(
                name: timeToFirstToken, help: "Time to the first token of successful streamed responses.",
                unit: "seconds", labelNames: ["model"], buckets: CatalogBuckets.timeToFirstToken,
                options: latencyOptions),
            timePerOutputToken: try await registry.makeHistogramFamily(
                name: timePerOutputToken,
                help: "Mean time per output token after the first, per successful streamed response with at least two output tokens.",
                unit: "seconds", labelNames: ["model"], buckets: CatalogBuckets.timePerOutputToken,
                options: latencyOptions),
            tokenDetails: try await registry.makeCounterFamily(
                name: tokenDetails,
                help: "Cache-read, cache-write and reasoning tokens; subsets of llmdevops_llm_tokens_total, never add them to it.",
                labelNames: ["model", "type"], options: options),
            requestTokens: try await registry.makeHistogramFamily(
                name: requestTokens, help: "Input and output tokens per request.",
                labelNames: ["model", "type"], buckets: CatalogBuckets.tokens, options: options),
            inFlight: try await registry.makeGaugeFamily(
                name: inFlight, help: "LLM requests started and not yet finished.",
                labelNames: ["model"], options: options),
            errors: try await registry.makeCounterFamily(
                name: errors, help: "Failed LLM requests by error type.",
                labelNames: ["model", "error_type"], options: options),
            finishReasons: try await registry.makeCounterFamily(
                name: finishReasons, help: "Finished LLM requests by finish reason (one per request).",
                labelNames: ["model", "finish_reason"], options: options),
            cost: try await registry.makeCounterFamily(
                name: cost, help: "Cost of LLM requests in US dollars, from the configured price table.",
                unit: "usd", labelNames: chargesTeams ? ["model", "team"] : ["model"], options: options),
            retries: try await registry.makeCounterFamily(
                name: retries, help: "LLM request retries by reason.",
                labelNames: ["model", "reason"], options: options),
            fallbacks: try await registry.makeCounterFamily(
                name: fallbacks, help: "Fallbacks along configured model chains; other pairs are recorded as other.",
                labelNames: ["from_model", "to_model", "outcome"], options: options),
            queueDuration: exportsQueueDuration
                ? try await registry.makeHistogramFamily(
                    name: queueDuration, help: "Time LLM requests waited in the platform's queue.",
                    unit: "seconds", labelNames: ["model"], buckets: CatalogBuckets.llmDuration, options: options)
                : nil,
            rateLimitRemaining: try await registry.makeGaugeFamily(
                name: rateLimitRemaining, help: "Requests or tokens remaining in the provider's rate-limit window, as last reported.",
                labelNames: ["model", "kind"], options: options),
            modelInfo: try await registry.makeInfoFamily(
                name: modelInfo, help: "Configured models with their provider and family.",
                labelNames: ["model", "provider", "family"], options: options)
        )
    }
}
