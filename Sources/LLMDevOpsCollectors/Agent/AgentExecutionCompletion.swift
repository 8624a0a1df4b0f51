/// Everything known about one finished agent run.
public struct AgentExecutionCompletion: Sendable, Hashable {
    /// The registered agent name.
    public var agent: String
    /// How the run ended.
    public var status: AgentExecutionStatus
    /// Wall-clock duration of the run.
    public var duration: Duration
    /// Model calls made by the run.
    public var llmCalls: Int
    /// Tool calls made by the run.
    public var toolCalls: Int
    /// Input tokens used by the run.
    public var inputTokens: Int
    /// Output tokens used by the run.
    public var outputTokens: Int
    /// Cost of the run in US dollars; nil when unknown.
    public var costUSD: Double?
    /// A trace id attached as an exemplar to the duration observation.
    public var traceID: String?
    /// Whether a matching ``AgentEventRecording/recordExecutionStarted(agent:)`` raised the
    /// in-flight gauge, which this completion then lowers.
    public var wasStarted: Bool

    /// Creates a completion record.
    public init(
        agent: String,
        status: AgentExecutionStatus,
        duration: Duration,
        llmCalls: Int = 0,
        toolCalls: Int = 0,
        inputTokens: Int = 0,
        outputTokens: Int = 0,
        costUSD: Double? = nil,
        traceID: String? = nil,
        wasStarted: Bool = false
    ) {
        self.agent = agent
        self.status = status
        self.duration = duration
        self.llmCalls = llmCalls
        self.toolCalls = toolCalls
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.costUSD = costUSD
        self.traceID = traceID
        self.wasStarted = wasStarted
    }
}
