import Foundation
import Yams

/// The dashboard and rule files read once, with every query they contain.
struct MonitoringAssets {
    var dashboard: [String: Any]
    var ruleFiles: [(name: String, value: Node)]
    var queries: [MonitoringQuery]
    var recordingRules: Set<String>

    static func load() throws -> MonitoringAssets {
        let dashboard = try DashboardPanels.load(RepositoryFiles.dashboard)
        var queries = MonitoringQuery.dashboardQueries(dashboard)
        var recorded: Set<String> = []
        var ruleFiles: [(name: String, value: Node)] = []
        for url in RepositoryFiles.ruleFiles {
            let value = try YAMLDocument.parse(RepositoryFiles.text(url))
            let (ruleQueries, names) = try MonitoringQuery.ruleQueries(value, file: url.lastPathComponent)
            queries += ruleQueries
            recorded.formUnion(names)
            ruleFiles.append((url.lastPathComponent, value))
        }
        return MonitoringAssets(dashboard: dashboard, ruleFiles: ruleFiles, queries: queries, recordingRules: recorded)
    }

    /// Every rule of every file, in order.
    var rules: [Node] {
        ruleFiles.flatMap { file in file.value["groups"]?.array().flatMap { $0["rules"]?.array() ?? [] } ?? [] }
    }

    var alertNames: [String] { rules.compactMap { $0["alert"]?.string } }
}
