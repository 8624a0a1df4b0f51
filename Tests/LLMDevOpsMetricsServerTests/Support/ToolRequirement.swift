#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LLMDevOpsTestSupport
import Testing

/// External programs some tests need.
enum ExternalTool: String, Sendable {
    case openssl = "/usr/bin/openssl"
    case prometheus = "/usr/bin/prometheus"
    case promtool = "/usr/bin/promtool"
    case chromium = "/usr/bin/chromium"
    /// protoc, Python's protobuf runtime and `../shared/proto/metrics.proto`
    /// (`Scripts/protobuf-exposition.py`, see ``ProtobufOracle``).
    case protobufDecoder = "protoc"

    var isInstalled: Bool {
        self == .protobufDecoder ? ProtobufOracle.isAvailable : FileManager.default.isExecutableFile(atPath: rawValue)
    }

    /// Where to get it, for skip and failure messages.
    var source: String {
        switch self {
        case .openssl: "Debian package openssl"
        case .prometheus, .promtool: "Debian package prometheus"
        case .chromium: "Debian package chromium"
        case .protobufDecoder: "Debian protobuf-compiler, PyPI protobuf, ../shared/proto/metrics.proto"
        }
    }

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
            "\(tool.rawValue) is not installed (\(tool.source)); Scripts/test.sh installs it"
        )
    }
}
