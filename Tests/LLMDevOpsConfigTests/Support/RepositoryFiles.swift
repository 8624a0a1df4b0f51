import Foundation

/// Paths of the monitoring assets under `Config/`, found from this file's location so the
/// tests work from any working directory.
enum RepositoryFiles {
    /// The package root (three levels above `Tests/LLMDevOpsConfigTests/Support/`).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static let config = root.appendingPathComponent("Config", isDirectory: true)

    /// The built service executable: next to the test bundle (any configuration), else
    /// `.build/debug`.
    static var serviceExecutable: String? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("llmdevops-metrics").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let fallback = root.appendingPathComponent(".build/debug/llmdevops-metrics").path
        return FileManager.default.isExecutableFile(atPath: fallback) ? fallback : nil
    }
    static let dashboard = config.appendingPathComponent("grafana/llmdevops-dashboard.json")
    static let rulesDirectory = config.appendingPathComponent("prometheus/rules", isDirectory: true)
    static let recordingRules = rulesDirectory.appendingPathComponent("llmdevops-recording.rules.yml")
    static let alertingRules = rulesDirectory.appendingPathComponent("llmdevops-alerts.rules.yml")
    static let ruleFiles = [recordingRules, alertingRules]
    static let prometheusConfigs = ["prometheus-embedded.yml", "prometheus-sidecar.yml"].map {
        config.appendingPathComponent("prometheus/\($0)")
    }
    static let alertmanagerConfig = config.appendingPathComponent("alertmanager/alertmanager.yml")
    /// The scale-out topology's Prometheus configurations (the "Scaling Out" article).
    static let scaleOutDirectory = config.appendingPathComponent("prometheus/scale-out", isDirectory: true)
    static let scaleOutScript = root.appendingPathComponent("Scripts/scale-out.sh")
    /// The DocC article that documents the scale-out topology with snippets of its files.
    static let scalingOutArticle = root.appendingPathComponent(
        "Sources/LLMDevOpsMetricsServer/Documentation.docc/ScalingOut.md")

    /// The promtool unit-test files, `Config/prometheus/rules/tests/*.test.yml`, sorted.
    static func ruleTestFiles() throws -> [URL] {
        let directory = rulesDirectory.appendingPathComponent("tests", isDirectory: true)
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasSuffix(".test.yml") }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    static func text(_ url: URL) throws -> String {
        try String(decoding: Data(contentsOf: url), as: UTF8.self)
    }
}
