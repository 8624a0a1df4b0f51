/// A registered agent and the tools registered to it. Only these tool names become `tool`
/// label values for this agent; any other tool it calls is recorded as `_unknown` and counted in
/// `llmdevops_agent_unknown_tool_calls_total`.
///
/// ```swift
/// AgentDefinition("support-router", tools: ["search_docs", "create_ticket"])
/// ```
public struct AgentDefinition: Sendable, Hashable {
    /// The agent's registered name (never an id such as `asst_…`).
    public var name: String
    /// The tools this agent may call, as they appear in the `tool` label.
    public var tools: [String]

    /// Creates a definition.
    public init(_ name: String, tools: [String] = []) {
        self.name = name
        self.tools = tools
    }
}
