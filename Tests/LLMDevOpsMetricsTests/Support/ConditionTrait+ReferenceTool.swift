import Testing

extension Trait where Self == ConditionTrait {
    /// Runs the test only when `tool` is installed — or always when tools are required
    /// (`LLMDEVOPS_REQUIRE_TOOLS=1` / `CI=true`), so that a missing tool fails in CI instead of
    /// silently skipping. Pair it with ``ReferenceValidators/requireAvailable(_:sourceLocation:)``
    /// at the top of the test body.
    ///
    /// ```swift
    /// @Test(.requiresReferenceTool(.promtool))
    /// func outputPassesPromtool() throws {
    ///     try ReferenceValidators.requireAvailable(.promtool)
    ///     ...
    /// }
    /// ```
    static func requiresReferenceTool(_ tool: ReferenceTool) -> Self {
        .enabled(
            if: ReferenceValidators.isAvailable(tool) || ReferenceValidators.toolsRequired,
            "\(tool.displayName) is not installed; Scripts/test.sh installs it"
        )
    }
}

extension ReferenceValidators {
    /// Fails the current test when `tool` is missing (reached only when tools are required).
    static func requireAvailable(
        _ tool: ReferenceTool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        try #require(
            isAvailable(tool),
            "\(tool.displayName) is required (LLMDEVOPS_REQUIRE_TOOLS=1 or CI=true) but not installed",
            sourceLocation: sourceLocation
        )
    }
}
