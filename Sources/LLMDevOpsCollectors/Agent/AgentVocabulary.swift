/// The registered agents, their tools and the guardrails, resolved to indices.
struct AgentVocabulary: Sendable {
    let agents: LabelVocabulary
    /// Every registered tool of every agent, with `_unknown` as the fallback.
    let tools: LabelVocabulary
    let guardrails: LabelVocabulary
    /// `agent * tools.size + tool` for each tool registered to its agent.
    private let registered: Set<Int>

    init(configuration: AgentCollectorConfiguration) {
        agents = LabelVocabulary(configuration.agents.map(\.name), fallback: "other")
        tools = LabelVocabulary(configuration.agents.flatMap(\.tools), fallback: "_unknown")
        guardrails = LabelVocabulary(configuration.guardrails, fallback: "other")
        var registered = Set<Int>()
        for definition in configuration.agents {
            let agent = agents.resolve(definition.name).index
            for tool in definition.tools {
                registered.insert(agent * tools.size + tools.resolve(tool).index)
            }
        }
        self.registered = registered
    }

    /// The tool's index if it is registered to `agent`, else the `_unknown` index.
    func tool(_ name: String, agent: Int) -> (index: Int, registered: Bool) {
        let index = tools.resolve(name).index
        if registered.contains(agent * tools.size + index) { return (index, true) }
        return (tools.fallbackIndex, false)
    }
}
