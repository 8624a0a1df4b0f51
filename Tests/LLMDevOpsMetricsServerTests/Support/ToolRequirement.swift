#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Testing

/// External programs some tests need.
enum ExternalTool: String, Sendable {
    case openssl = "/usr/bin/openssl"
    case prometheus = "/usr/bin/prometheus"
    case promtool = "/usr/bin/promtool"
    case chromium = "/usr/bin/chromium"

    /// The Debian package that installs the tool.
    var debianPackage: String {
        switch self {
        case .openssl: "openssl"
        case .prometheus, .promtool: "prometheus"
        case .chromium: "chromium"
        }
    }

    var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: rawValue) }

    /// Tools are required (missing ones fail) with `LLMDEVOPS_REQUIRE_TOOLS=1` or `CI=true`.
    static var required: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["LLMDEVOPS_REQUIRE_TOOLS"] == "1" || environment["CI"] == "true"
    }

    /// Fails the test when the tool is missing (reached only when tools are required).
    func require(sourceLocation: SourceLocation = #_sourceLocation) throws {
        try #require(
            isInstalled,
            "\(rawValue) is required (LLMDEVOPS_REQUIRE_TOOLS=1 or CI=true) but missing; Scripts/test.sh installs it",
            sourceLocation: sourceLocation)
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when `tool` is installed, or always when tools are required, so that a
    /// missing tool fails in CI instead of silently skipping.
    static func requires(_ tool: ExternalTool) -> Self {
        .enabled(
            if: tool.isInstalled || ExternalTool.required,
            "\(tool.rawValue) is not installed (Debian package \(tool.debianPackage)); Scripts/test.sh installs it"
        )
    }
}
