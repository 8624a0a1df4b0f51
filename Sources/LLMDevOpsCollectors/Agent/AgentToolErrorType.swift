/// Why a tool call failed: the `error_type` label of `llmdevops_agent_tool_call_errors_total`.
public enum AgentToolErrorType: String, Sendable, Hashable, CaseIterable {
    /// The tool timed out.
    case timeout
    /// The model produced invalid arguments.
    case invalidArguments = "invalid_arguments"
    /// The tool does not exist.
    case notFound = "not_found"
    /// The tool refused the caller.
    case permissionDenied = "permission_denied"
    /// A service behind the tool failed.
    case upstreamError = "upstream_error"
    /// Anything else (OpenTelemetry spelling).
    case other = "_OTHER"
}
