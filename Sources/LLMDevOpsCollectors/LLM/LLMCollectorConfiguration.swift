/// Settings of the LLM collector: which models get their own `model` label value, the names
/// folded onto them, their prices, the configured fallback chains, and optional metrics.
///
/// A model name is resolved to a label value in this order: a listed model (``models``), an
/// alias (``aliases``, exact names before patterns, patterns in order), a name admitted at
/// runtime (the first ``admitUnlistedModels`` distinct other names), else `other`; every
/// name folded into `other` is counted in
/// `llmdevops_collector_label_overflow_total{metric,label="model"}`.
///
/// ```swift
/// var llm = LLMCollectorConfiguration(models: [LLMModel("gpt-4o", provider: "openai")])
/// llm.aliases = [LLMModelAlias("gpt-4o-*", model: "gpt-4o")]
/// llm.prices = ["gpt-4o": LLMPrice(inputPerMillion: 2.5, outputPerMillion: 10, cacheReadPerMillion: 1.25)]
/// llm.admitUnlistedModels = 20
/// ```
public struct LLMCollectorConfiguration: Sendable, Hashable {
    /// Whether the collector registers its metrics and accepts events.
    public var isEnabled: Bool
    /// The model allow-list (canonical ids) with provider, family and price.
    public var models: [LLMModel]
    /// The most models the allow-list may hold (100 by default).
    public var maxModels: Int
    /// Fallback chains, each an ordered list of model ids: a fallback from a model to any later
    /// model of one of its chains is recorded with both names; any other pair as `other`/`other`.
    public var fallbackChains: [[String]]
    /// Export `llmdevops_llm_queue_duration_seconds`; only platforms that queue should.
    public var exportsQueueDuration: Bool
    /// Teams that get their own `team` label on `llmdevops_llm_cost_usd_total`. Empty: the
    /// cost metric has no `team` label. Other teams are charged to `team="other"` and counted.
    public var teams: [String]
    /// The most teams the allow-list may hold (50 by default; never more than 50).
    public var maxTeams: Int
    /// Names folded onto listed models (``LLMModelAlias``): exact names first, then the
    /// patterns in order.
    public var aliases: [LLMModelAlias]
    /// A price table by model name (the YAML `prices_file`), used where ``LLMModel/price`` is
    /// nil: for listed models without a price, for names admitted at runtime, and for unlisted
    /// names folded into `other` (their cost is charged to `model="other"`). A name folded onto
    /// a listed model by an alias costs what the listed model costs.
    public var prices: [String: LLMPrice]
    /// How many distinct unlisted model names get their own `model` label value, in the order
    /// they first arrive (after alias folding); later ones fold into `other`. 0 (the default)
    /// admits none. A name is admitted only if it is at most 128 bytes of UTF-8 without control
    /// characters, is not `other`, and passes the label-value secret screen (`LabelValueScreen`
    /// of LLMDevOpsMetrics: nothing that looks like a key, a token or an e-mail address).
    /// At most 1000.
    public var admitUnlistedModels: Int

    /// Creates a configuration.
    public init(
        isEnabled: Bool = true,
        models: [LLMModel] = [],
        maxModels: Int = 100,
        fallbackChains: [[String]] = [],
        exportsQueueDuration: Bool = false,
        teams: [String] = [],
        maxTeams: Int = 50,
        aliases: [LLMModelAlias] = [],
        prices: [String: LLMPrice] = [:],
        admitUnlistedModels: Int = 0
    ) {
        self.isEnabled = isEnabled
        self.models = models
        self.maxModels = maxModels
        self.fallbackChains = fallbackChains
        self.exportsQueueDuration = exportsQueueDuration
        self.teams = teams
        self.maxTeams = maxTeams
        self.aliases = aliases
        self.prices = prices
        self.admitUnlistedModels = admitUnlistedModels
    }
}
