import Foundation
import Testing
import Yams

@Suite struct RuleFileTests {
    let assets: MonitoringAssets

    init() throws {
        assets = try MonitoringAssets.load()
    }

    @Test func everyAlertHasSeveritySummaryAndDescription() throws {
        try #require(assets.alertNames.count >= 8)
        for rule in assets.rules {
            guard let name = rule["alert"]?.string else { continue }
            let severity = rule["labels"]?["severity"]?.string
            #expect(severity == "warning" || severity == "critical", "\(name): severity \(String(describing: severity))")
            for key in ["summary", "description"] {
                let text = rule["annotations"]?[key]?.string ?? ""
                #expect(text.count > 20, "\(name): \(key) is missing or too short")
            }
            let expression = rule["expr"]?.string ?? ""
            #expect(!expression.isEmpty, "\(name): no expr")
        }
    }

    @Test func coversTheSpecifiedAlerts() {
        // Issue 8: LLM error ratio, p99 latency and TTFT over budget, tool-call error ratio,
        // agent limit hits, cardinality rejections, dropped events, target down.
        for name in [
            "LLMDevOpsLLMErrorRatioHigh", "LLMDevOpsLLMLatencyP99High", "LLMDevOpsLLMTimeToFirstTokenP99High",
            "LLMDevOpsToolCallErrorRatioHigh", "LLMDevOpsAgentLimitsHit", "LLMDevOpsCardinalityLimitRejections",
            "LLMDevOpsCollectorEventsDropped", "LLMDevOpsTargetDown",
        ] {
            #expect(assets.alertNames.contains(name), "missing alert \(name)")
        }
    }

    @Test func recordingRulesFollowTheLevelMetricOperationsConvention() {
        for name in assets.recordingRules {
            let parts = name.split(separator: ":", omittingEmptySubsequences: false)
            #expect(parts.count == 3 && parts.allSatisfy { !$0.isEmpty }, "\(name)")
            #expect(name.hasPrefix("llmdevops:"), "\(name)")
        }
    }

    /// Every alert has a promtool test where it fires and one where it stays quiet.
    @Test func everyAlertIsTestedFiringAndQuiet() throws {
        var firing: Set<String> = []
        var quiet: Set<String> = []
        for url in try RepositoryFiles.ruleTestFiles() {
            let file = try YAMLDocument.parse(RepositoryFiles.text(url))
            let ruleFiles = file["rule_files"]?.array().compactMap(\.string) ?? []
            #expect(ruleFiles.contains("../llmdevops-alerts.rules.yml"), "\(url.lastPathComponent) does not load the alerts")
            for test in file["tests"]?.array() ?? [] {
                for check in test["alert_rule_test"]?.array() ?? [] {
                    guard let name = check["alertname"]?.string, let expected = check["exp_alerts"] else { continue }
                    if expected.array().isEmpty { quiet.insert(name) } else { firing.insert(name) }
                }
            }
        }
        for name in assets.alertNames {
            #expect(firing.contains(name), "\(name) is never tested firing")
            #expect(quiet.contains(name), "\(name) is never tested quiet")
        }
    }
}
