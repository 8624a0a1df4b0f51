/// Settings of the LLM collector: which models get their own `model` label value, their
/// prices, the configured fallback chains, and optional metrics.
///
/// Any model not in ``models`` is recorded as `model="other"` and counted in
/// `llmdevops_collector_label_overflow_total{metric,label="model"}`.
public struct LLMCollectorConfiguration: Sendable {
    /// Whether the collector registers its metrics and accepts events.
    public var isEnabled: Bool
    /// The model allow-list (canonical ids) with provider, family and price.
    public var models: [LLMModel]
    /// The most models the allow-list may hold (METRICS-CATALOG.md §6 hard cap).
    public var maxModels: Int
    /// Fallback chains, each an ordered list of model ids: a fallback from a model to any later
    /// model of one of its chains is recorded with both names; any other pair as `other`/`other`.
    public var fallbackChains: [[String]]
    /// Export `llmdevops_llm_queue_duration_seconds` (L14); only platforms that queue should.
    public var exportsQueueDuration: Bool
    /// Teams that get their own `team` label on `llmdevops_llm_cost_usd_total` (L11). Empty: the
    /// cost metric has no `team` label. Other teams are charged to `team="other"` and counted.
    public var teams: [String]
    /// The most teams the allow-list may hold (METRICS-CATALOG.md §6: at most 50).
    public var maxTeams: Int

    /// Creates a configuration.
    public init(
        isEnabled: Bool = true,
        models: [LLMModel] = [],
        maxModels: Int = 100,
        fallbackChains: [[String]] = [],
        exportsQueueDuration: Bool = false,
        teams: [String] = [],
        maxTeams: Int = 50
    ) {
        self.isEnabled = isEnabled
        self.models = models
        self.maxModels = maxModels
        self.fallbackChains = fallbackChains
        self.exportsQueueDuration = exportsQueueDuration
        self.teams = teams
        self.maxTeams = maxTeams
    }
}
