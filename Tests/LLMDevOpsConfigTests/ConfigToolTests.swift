import Foundation
import LLMDevOpsTestSupport
import Testing
import Yams

/// promtool and amtool judge the rules, the rule unit tests, the scrape configurations, the
/// dashboard's queries and the Alertmanager example.
@Suite struct ConfigToolTests {
    @Test(.requiresConfigTool(.promtool))
    func rulesPassPromtoolCheckRules() async throws {
        try ConfigTool.promtool.requireAvailable()
        for url in RepositoryFiles.ruleFiles {
            let output = try await ConfigTool.promtool.run(["check", "rules", url.path])
            #expect(output.exitCode == 0, "\(url.lastPathComponent): \(output.combined)")
            // promtool and Yams must see the same rules, or the consistency test would be checking
            // something other than what Prometheus loads.
            let value = try YAMLDocument.parse(RepositoryFiles.text(url))
            let readRules = value["groups"]?.array().reduce(0) { $0 + ($1["rules"]?.array().count ?? 0) } ?? 0
            #expect(output.combined.contains("SUCCESS: \(readRules) rules found"), "\(url.lastPathComponent): reader found \(readRules); \(output.combined)")
        }
    }

    @Test(.requiresConfigTool(.promtool))
    func ruleUnitTestsPass() async throws {
        try ConfigTool.promtool.requireAvailable()
        let files = try RepositoryFiles.ruleTestFiles()
        try #require(!files.isEmpty, "no Config/prometheus/rules/tests/*.test.yml")
        let output = try await ConfigTool.promtool.run(["test", "rules"] + files.map(\.path))
        #expect(output.exitCode == 0, "\(output.combined)")
        #expect(output.combined.components(separatedBy: "SUCCESS").count - 1 == files.count, "\(output.combined)")
        #expect(!output.combined.contains("FAILED"), "\(output.combined)")
    }

    /// A rule test that expects the wrong alert must fail: promtool really evaluates them.
    @Test(.requiresConfigTool(.promtool))
    func ruleUnitTestWithWrongExpectationFails() async throws {
        try ConfigTool.promtool.requireAvailable()
        let directory = try TemporaryDirectory()
        try FileManager.default.copyItem(at: RepositoryFiles.rulesDirectory, to: directory.url.appendingPathComponent("rules"))
        let test = directory.url.appendingPathComponent("rules/tests/exporter.test.yml")
        let original = try RepositoryFiles.text(test)
        let broken = original.replacingOccurrences(of: "severity: critical", with: "severity: warning")
        try #require(broken != original)
        try Data(broken.utf8).write(to: test)
        let output = try await ConfigTool.promtool.run(["test", "rules", test.path])
        #expect(output.exitCode != 0)
        #expect(output.combined.contains("LLMDevOpsTargetDown"), "\(output.combined)")
    }

    /// The configs reference `secrets/...` and `rules/...` relative to their own directory, as
    /// they would sit in /etc/prometheus; the test lays that out in a temporary directory with
    /// placeholder secrets and lets promtool check everything, rule files included.
    @Test(.requiresConfigTool(.promtool))
    func scrapeConfigsPassPromtoolCheckConfig() async throws {
        try ConfigTool.promtool.requireAvailable()
        let directory = try PrometheusLayout(withSecrets: true)
        for name in directory.configNames {
            let output = try await ConfigTool.promtool.run(["check", "config", name], in: directory.url)
            #expect(output.exitCode == 0, "\(name): \(output.combined)")
            #expect(output.combined.contains("SUCCESS: \(name) is valid prometheus config file syntax"), "\(output.combined)")
            #expect(output.combined.contains("SUCCESS: 2 rule files found"), "\(output.combined)")
        }
    }

    /// Without the token and CA files the same check fails: promtool does look at the paths.
    @Test(.requiresConfigTool(.promtool))
    func scrapeConfigsFailWithoutTheirSecrets() async throws {
        try ConfigTool.promtool.requireAvailable()
        let directory = try PrometheusLayout(withSecrets: false)
        for name in directory.configNames {
            let output = try await ConfigTool.promtool.run(["check", "config", name], in: directory.url)
            #expect(output.exitCode != 0, "\(name): \(output.combined)")
            #expect(output.combined.contains("secrets/llmdevops-scrape-token"), "\(output.combined)")
        }
    }

    /// Every dashboard query, with Grafana's variables replaced by what they expand to,
    /// is valid PromQL for promtool.
    @Test(.requiresConfigTool(.promtool))
    func dashboardQueriesAreValidPromQL() async throws {
        try ConfigTool.promtool.requireAvailable()
        let dashboard = try DashboardPanels.load(RepositoryFiles.dashboard)
        let queries = MonitoringQuery.dashboardQueries(dashboard).filter { !$0.isGrafanaTemplate }
        try #require(queries.count > 20)
        var lines = ["groups:", "  - name: dashboard", "    rules:"]
        for (index, query) in queries.enumerated() {
            let expanded = await GrafanaVariables.expand(query.expression)
            let quoted = try String(decoding: JSONSerialization.data(withJSONObject: expanded, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self)
            lines += ["      - record: dashboard:query_\(index):expanded", "        expr: \(quoted)"]
        }
        let directory = try TemporaryDirectory()
        let file = directory.url.appendingPathComponent("dashboard.rules.yml")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        let output = try await ConfigTool.promtool.run(["check", "rules", file.path])
        #expect(output.exitCode == 0, "\(output.combined)")
        #expect(output.combined.contains("SUCCESS: \(queries.count) rules found"), "\(output.combined)")
    }

    @Test(.requiresConfigTool(.amtool))
    func alertmanagerExamplePassesAmtool() async throws {
        let config = RepositoryFiles.alertmanagerConfig.path
        let check = try await ConfigTool.amtool.run(["check-config", config])
        #expect(check.exitCode == 0, "\(check.combined)")
        #expect(check.combined.contains("SUCCESS"), "\(check.combined)")
        let routes: [(labels: [String], receiver: String)] = [
            (["alertname=LLMDevOpsTargetDown", "severity=critical"], "oncall-pager"),
            (["alertname=LLMDevOpsToolCallErrorRatioHigh", "severity=warning"], "llm-platform-team"),
            (["alertname=LLMDevOpsLLMErrorRatioHigh", "severity=warning"], "llm-platform-team"),
            (["alertname=LLMDevOpsCollectorEventsDropped", "severity=warning"], "observability-team"),
            (["alertname=SomethingElse", "severity=warning"], "default"),
        ]
        for route in routes {
            let output = try await ConfigTool.amtool.run(["config", "routes", "test", "--config.file=\(config)"] + route.labels)
            #expect(output.exitCode == 0, "\(output.combined)")
            #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == route.receiver, "\(route.labels): \(output.combined)")
        }
    }
}

/// What Grafana substitutes for the dashboard's variables, for handing queries to promtool.
enum GrafanaVariables {
    static func expand(_ expression: String) async -> String {
        var text = expression
        for (variable, value) in [
            ("${__rate_interval}", "1m"), ("$__rate_interval", "1m"), ("$__interval", "30s"), ("$__range", "6h"),
            ("${job}", ".*"), ("$job", ".*"), ("${instance}", ".*"), ("$instance", ".*"),
            ("${model}", ".*"), ("$model", ".*"), ("${agent}", ".*"), ("$agent", ".*"),
        ] {
            text = text.replacingOccurrences(of: variable, with: value)
        }
        return text
    }
}

/// A temporary directory removed when the value goes away.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("llmdevops-config-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// `/etc/prometheus` in miniature: the two configs, `rules/`, and optionally `secrets/`.
struct PrometheusLayout {
    let directory: TemporaryDirectory
    var url: URL { directory.url }
    let configNames: [String]

    init(withSecrets: Bool) throws {
        directory = try TemporaryDirectory()
        let fileManager = FileManager.default
        configNames = RepositoryFiles.prometheusConfigs.map(\.lastPathComponent)
        for config in RepositoryFiles.prometheusConfigs {
            try fileManager.copyItem(at: config, to: directory.url.appendingPathComponent(config.lastPathComponent))
        }
        try fileManager.copyItem(at: RepositoryFiles.rulesDirectory, to: directory.url.appendingPathComponent("rules"))
        if withSecrets {
            let secrets = directory.url.appendingPathComponent("secrets", isDirectory: true)
            try fileManager.createDirectory(at: secrets, withIntermediateDirectories: true)
            try Data("placeholder-token\n".utf8).write(to: secrets.appendingPathComponent("llmdevops-scrape-token"))
            try Data().write(to: secrets.appendingPathComponent("llmdevops-ca.crt"))
        }
    }
}
