/// Settings of the agent collector: the registered agents with their tools, and the registered
/// guardrails. Unregistered agents become `agent="other"`, unregistered tools `tool="_unknown"`,
/// unregistered guardrails `guardrail="other"`; each is counted in
/// `llmdevops_collector_label_overflow_total`, unless admission is switched on
/// (``admitUnlistedAgents``, ``admitUnlistedTools``).
///
/// ```swift
/// var agent = AgentCollectorConfiguration(agents: [AgentDefinition("support-router", tools: ["search_docs"])])
/// agent.admitUnlistedTools = 5   // each agent may add five tools nobody listed
/// ```
public struct AgentCollectorConfiguration: Sendable, Hashable {
    /// Whether the collector registers its metrics and accepts events.
    public var isEnabled: Bool
    /// The registered agents and their tools.
    public var agents: [AgentDefinition]
    /// The registered guardrail names (`llmdevops_agent_guardrail_triggers_total`).
    public var guardrails: [String]
    /// The most agents that may be registered.
    public var maxAgents: Int
    /// The most tools one agent may register (30 by default).
    public var maxToolsPerAgent: Int
    /// How many distinct unregistered agent names get their own `agent` label value, in the
    /// order they first arrive; later ones fold into `other`. 0 (the default) admits none. The
    /// same screen as ``LLMCollectorConfiguration/admitUnlistedModels`` applies. At most 1000.
    public var admitUnlistedAgents: Int
    /// How many tools that are not registered to an agent each agent (registered or admitted;
    /// never `other`) may add as `tool` label values, in the order they are first called; later
    /// ones are `_unknown` and counted in `llmdevops_agent_unknown_tool_calls_total`. 0 (the
    /// default) admits none. A tool admitted for one agent is not registered to any other. At
    /// most 100.
    public var admitUnlistedTools: Int

    /// Creates a configuration.
    public init(
        isEnabled: Bool = true,
        agents: [AgentDefinition] = [],
        guardrails: [String] = [],
        maxAgents: Int = 200,
        maxToolsPerAgent: Int = 30,
        admitUnlistedAgents: Int = 0,
        admitUnlistedTools: Int = 0
    ) {
        self.isEnabled = isEnabled
        self.agents = agents
        self.guardrails = guardrails
        self.maxAgents = maxAgents
        self.maxToolsPerAgent = maxToolsPerAgent
        self.admitUnlistedAgents = admitUnlistedAgents
        self.admitUnlistedTools = admitUnlistedTools
    }
}
