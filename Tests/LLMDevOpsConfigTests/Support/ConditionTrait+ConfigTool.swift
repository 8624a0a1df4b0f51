import Testing

extension Trait where Self == ConditionTrait {
    /// Runs the test only when `tool` is installed, or always when it is required
    /// (``ConfigTool/isRequired``), so that a missing promtool fails in CI instead of skipping.
    /// Pair it with ``ConfigTool/requireAvailable(sourceLocation:)`` at the top of the test.
    static func requiresConfigTool(_ tool: ConfigTool) -> Self {
        .enabled(
            if: tool.isAvailable || tool.isRequired,
            "\(tool.displayName) is not installed"
        )
    }
}

extension ConfigTool {
    /// Fails the current test when the tool is missing (reached only when it is required).
    func requireAvailable(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(
            isAvailable,
            "\(displayName) is required (LLMDEVOPS_REQUIRE_TOOLS=1 or CI=true) but not installed",
            sourceLocation: sourceLocation
        )
    }
}
