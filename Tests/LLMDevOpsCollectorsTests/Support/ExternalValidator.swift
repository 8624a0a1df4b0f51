import Foundation
import LLMDevOpsTestSupport

/// Runs promtool and the Python client's OpenMetrics parser on an exposition body. A missing
/// tool skips, unless CI=true or LLMDEVOPS_REQUIRE_TOOLS=1 (Scripts/test.sh under CI).
enum ExternalValidator {
    struct Outcome {
        var exitCode: Int32
        var output: String
    }

    static var toolsRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["LLMDEVOPS_REQUIRE_TOOLS"] == "1" || environment["CI"] == "true"
    }

    static func isAvailable(_ arguments: [String]) -> Bool {
        (try? ProcessRunner.run(arguments))?.exitCode == 0
    }

    static var promtoolAvailable: Bool { isAvailable(["promtool", "--version"]) }
    static var pythonClientAvailable: Bool { isAvailable(["python3", "-c", "import prometheus_client"]) }

    /// `promtool check metrics` on a text 0.0.4 body.
    static func promtoolCheck(_ body: [UInt8]) async throws -> Outcome {
        try await run(["promtool", "check", "metrics"], stdin: body)
    }

    /// The Python client's strict OpenMetrics parser; prints the number of samples.
    static func pythonOpenMetricsParse(_ body: [UInt8]) async throws -> Outcome {
        try await run(
            [
                "python3", "-c",
                """
                import sys
                from prometheus_client.openmetrics.parser import text_string_to_metric_families
                families = list(text_string_to_metric_families(sys.stdin.read()))
                print(sum(len(f.samples) for f in families))
                """,
            ], stdin: body)
    }

    /// Runs the tool through `ProcessRunner`, whose wait happens on a thread of its own.
    static func run(_ arguments: [String], stdin: [UInt8]) async throws -> Outcome {
        let output = try await ProcessRunner.run(arguments, stdin: String(decoding: stdin, as: UTF8.self))
        return Outcome(exitCode: output.exitCode, output: output.combined)
    }
}
