/// The registered agents, their tools and the guardrails, resolved to indices, with the agents
/// and tools admitted at runtime (``AgentCollectorConfiguration/admitUnlistedAgents``,
/// ``AgentCollectorConfiguration/admitUnlistedTools``).
///
/// Tool indices: every tool registered to some agent (in configuration order), then room for
/// the tools agents admit (`agents × admitUnlistedTools`, where `agents` counts the registered
/// and the admitted ones; `other` admits none), then `_unknown`. A tool admitted by one agent
/// reuses the index its name already has (registered to another agent, or admitted by one).
struct AgentVocabulary: Sendable {
    let agents: LabelVocabulary
    /// Every registered tool of every agent, then admitted tools, with `_unknown` as the fallback.
    let tools: LabelVocabulary
    let guardrails: LabelVocabulary
    /// `agent * tools.size + tool` for each tool registered to its agent.
    private let registered: Set<Int>

    init(configuration: AgentCollectorConfiguration) {
        let agentCap = configuration.admitUnlistedAgents
        let agents = LabelVocabulary(configuration.agents.map(\.name), fallback: "other") { base, _ in
            agentCap > 0 ? LabelAdmission(base: base, capacity: agentCap, perScope: agentCap, fallback: "other") : nil
        }
        let toolCap = configuration.admitUnlistedTools
        let scopes = agents.fallbackIndex
        tools = LabelVocabulary(configuration.agents.flatMap(\.tools), fallback: "_unknown") { base, listed in
            toolCap > 0 && scopes > 0
                ? LabelAdmission(
                    base: base,
                    capacity: scopes * toolCap,
                    perScope: toolCap,
                    scopes: scopes,
                    fallback: "_unknown",
                    listed: listed
                )
                : nil
        }
        guardrails = LabelVocabulary(configuration.guardrails, fallback: "other")
        var registered = Set<Int>()
        for definition in configuration.agents {
            let agent = agents.listedIndex(definition.name) ?? agents.fallbackIndex
            for tool in definition.tools {
                registered.insert(agent * tools.size + (tools.listedIndex(tool) ?? tools.fallbackIndex))
            }
        }
        self.agents = agents
        self.registered = registered
    }

    /// The tool's index if it is registered to, or admitted by, `agent`; else the `_unknown`
    /// index. May admit it (under a lock, once per agent and tool).
    @inline(__always)
    func tool(_ name: String, agent: Int) -> (index: Int, registered: Bool) {
        if let index = tools.listedIndex(name), registered.contains(agent * tools.size + index) { return (index, true) }
        if agent != agents.fallbackIndex, let admission = tools.admission,
            let index = admission.index(of: name, scope: agent) ?? admission.admit(name, scope: agent)
        {
            return (index, true)
        }
        return (tools.fallbackIndex, false)
    }

    /// Admits again what `previous` admitted, in its order, where this vocabulary has room:
    /// agents first, then each agent's tools (names now registered are skipped).
    func carryOver(from previous: AgentVocabulary) {
        if let admission = agents.admission {
            for (_, name) in previous.agents.admission?.admitted ?? [] where agents.listedIndex(name) == nil {
                _ = admission.admit(name)
            }
        }
        guard tools.admission != nil else { return }
        for (scope, tool) in previous.tools.admission?.admitted ?? [] {
            let agentName = previous.agents.label(scope)
            guard let agent = agents.listedIndex(agentName) ?? agents.admission?.index(of: agentName) else { continue }
            _ = self.tool(tool, agent: agent)
        }
    }
}
