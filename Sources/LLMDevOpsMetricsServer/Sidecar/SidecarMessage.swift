import LLMDevOpsCollectors

/// A validated message: the event to hand to the LLM or the agent collector.
enum SidecarMessage: Sendable, Hashable {
    case llm(LLMEvent)
    case agent(AgentEvent)
}
