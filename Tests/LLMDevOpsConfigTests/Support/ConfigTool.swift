import Dispatch
import Foundation
import LLMDevOpsTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The tools that judge the monitoring assets: `promtool` (Debian `prometheus`) for rules,
/// rule unit tests and scrape configs, `amtool` (Debian `prometheus-alertmanager`) for the
/// Alertmanager example, the `prometheus` server itself for `Scripts/scale-out.sh`.
///
/// Located through `PATH`. A missing promtool skips its tests unless tools are required
/// (`LLMDEVOPS_REQUIRE_TOOLS=1` or `CI=true`, as `Scripts/test.sh` sets under CI), in which
/// case they fail. `Scripts/test.sh` installs both.
enum ConfigTool: String, Sendable, CaseIterable {
    case promtool
    case amtool
    case prometheus

    var displayName: String {
        switch self {
        case .promtool: "promtool (Debian package prometheus)"
        case .amtool: "amtool (Debian package prometheus-alertmanager)"
        case .prometheus: "prometheus (Debian package prometheus)"
        }
    }

    /// Whether a missing tool fails the test instead of skipping it.
    var isRequired: Bool {
        switch self {
        case .promtool, .amtool, .prometheus: Self.toolsRequired
        }
    }

    var isAvailable: Bool {
        switch self {
        case .promtool: Self.promtoolAvailable
        case .amtool: Self.amtoolAvailable
        case .prometheus: Self.prometheusAvailable
        }
    }

    /// env `LLMDEVOPS_REQUIRE_TOOLS == "1"` or `CI == "true"`.
    static var toolsRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["LLMDEVOPS_REQUIRE_TOOLS"] == "1" || environment["CI"] == "true"
    }

    private static let promtoolAvailable = probe(["promtool", "--version"])
    private static let amtoolAvailable = probe(["amtool", "--version"])
    private static let prometheusAvailable = probe(["prometheus", "--version"])

    private static func probe(_ arguments: [String]) -> Bool {
        (try? ProcessRunner.run(arguments, timeout: timeout))?.exitCode == 0
    }

    /// Runs the tool with `arguments`; throws `.toolMissing` when it is not installed.
    func run(_ arguments: [String], in directory: URL? = nil) async throws -> ProcessOutput {
        let output = try await Self.run([rawValue] + arguments, in: directory)
        if output.isCommandNotFound { throw ConfigToolError.toolMissing(rawValue) }
        return output
    }

    /// What a finished process left behind.
    typealias ProcessOutput = ProcessRunner.Output

    /// The longest any single invocation may run before it is terminated.
    static let timeout: Duration = .seconds(30)

    /// Runs `arguments` through `/usr/bin/env`, in `directory` when given, bounded by
    /// ``timeout`` (see `ProcessRunner`).
    static func run(_ arguments: [String], in directory: URL? = nil) async throws -> ProcessOutput {
        try await ProcessRunner.run(arguments, in: directory, timeout: timeout)
    }
}

/// Why a configuration tool (promtool, amtool) could not give a verdict.
typealias ConfigToolError = ExternalToolError
