/// Settings of the agent collector: the registered agents with their tools, and the registered
/// guardrails. Unregistered agents become `agent="other"`, unregistered tools `tool="_unknown"`,
/// unregistered guardrails `guardrail="other"`; each is counted in
/// `llmdevops_collector_label_overflow_total`.
public struct AgentCollectorConfiguration: Sendable {
    /// Whether the collector registers its metrics and accepts events.
    public var isEnabled: Bool
    /// The registered agents and their tools.
    public var agents: [AgentDefinition]
    /// The registered guardrail names (A17).
    public var guardrails: [String]
    /// The most agents that may be registered.
    public var maxAgents: Int
    /// The most tools one agent may register (METRICS-CATALOG.md §6: 30).
    public var maxToolsPerAgent: Int

    /// Creates a configuration.
    public init(
        isEnabled: Bool = true,
        agents: [AgentDefinition] = [],
        guardrails: [String] = [],
        maxAgents: Int = 200,
        maxToolsPerAgent: Int = 30
    ) {
        self.isEnabled = isEnabled
        self.agents = agents
        self.guardrails = guardrails
        self.maxAgents = maxAgents
        self.maxToolsPerAgent = maxToolsPerAgent
    }
}
