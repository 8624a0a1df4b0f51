import Foundation
import Yams

/// One PromQL expression from the dashboard or the rule files, with where it came from.
struct MonitoringQuery: Sendable, CustomStringConvertible {
    /// `dashboard panel "Requests by model" target A`, `rule llmdevops:llm_requests:rate5m`, ...
    var origin: String
    var expression: String
    /// Grafana variable queries may use `label_values(...)` and friends.
    var isGrafanaTemplate = false

    var description: String { origin }

    /// Every `expr` of every dashboard target (rows' nested panels included) and every
    /// query-variable definition.
    static func dashboardQueries(_ dashboard: [String: Any]) -> [MonitoringQuery] {
        var queries: [MonitoringQuery] = []
        for panel in DashboardPanels.all(in: dashboard) {
            let title = panel["title"] as? String ?? "#\(panel["id"] ?? "?")"
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                let reference = target["refId"] as? String ?? "?"
                queries.append(MonitoringQuery(
                    origin: "dashboard panel \"\(title)\" target \(reference)",
                    expression: target["expr"] as? String ?? ""
                ))
            }
        }
        for variable in DashboardPanels.variables(in: dashboard) where variable["type"] as? String == "query" {
            let query = (variable["query"] as? [String: Any])?["query"] as? String ?? variable["query"] as? String ?? ""
            queries.append(MonitoringQuery(
                origin: "dashboard variable $\(variable["name"] as? String ?? "?")",
                expression: query,
                isGrafanaTemplate: true
            ))
        }
        return queries
    }

    /// Every rule's `expr`, and the names the recording rules define.
    static func ruleQueries(
        _ ruleFile: Node,
        file: String
    ) throws -> (queries: [MonitoringQuery], recorded: Set<String>) {
        var queries: [MonitoringQuery] = []
        var recorded: Set<String> = []
        for group in ruleFile["groups"]?.array() ?? [] {
            for rule in group["rules"]?.array() ?? [] {
                let name: String
                if let record = rule["record"]?.string {
                    name = record
                    recorded.insert(record)
                } else if let alert = rule["alert"]?.string {
                    name = alert
                } else {
                    throw RuleFileError(file: file, reason: "a rule in group \(group["name"]?.string ?? "?") has neither record nor alert")
                }
                queries.append(MonitoringQuery(origin: "\(file) rule \(name)", expression: rule["expr"]?.string ?? ""))
            }
        }
        return (queries, recorded)
    }

    struct RuleFileError: Error, CustomStringConvertible {
        var file: String
        var reason: String
        var description: String { "\(file): \(reason)" }
    }
}

/// Walks a Grafana dashboard's panels, descending into rows (collapsed rows keep their panels
/// in the row's own `panels`).
enum DashboardPanels {
    static func all(in dashboard: [String: Any]) -> [[String: Any]] {
        var result: [[String: Any]] = []
        func visit(_ panels: [[String: Any]]) {
            for panel in panels {
                result.append(panel)
                visit(panel["panels"] as? [[String: Any]] ?? [])
            }
        }
        visit(dashboard["panels"] as? [[String: Any]] ?? [])
        return result
    }

    static func variables(in dashboard: [String: Any]) -> [[String: Any]] {
        (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
    }

    static func load(_ url: URL) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        guard let dashboard = object as? [String: Any] else {
            throw MonitoringQuery.RuleFileError(file: url.lastPathComponent, reason: "the top level is not an object")
        }
        return dashboard
    }
}
