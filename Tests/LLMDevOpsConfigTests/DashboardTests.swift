import Foundation
import Testing

@Suite struct DashboardTests {
    let dashboard: [String: Any]

    init() throws {
        dashboard = try DashboardPanels.load(RepositoryFiles.dashboard)
    }

    @Test func usesACurrentSchema() throws {
        let version = try #require(dashboard["schemaVersion"] as? Int)
        #expect(version >= 39)
        #expect(dashboard["uid"] as? String == "llmdevops-metrics")
    }

    @Test func everyPanelHasANonEmptyQuery() throws {
        let panels = DashboardPanels.all(in: dashboard).filter { $0["type"] as? String != "row" }
        try #require(panels.count >= 30)
        // Collapsed rows keep their panels nested; the walk must reach them.
        let nested = (dashboard["panels"] as? [[String: Any]] ?? []).flatMap { $0["panels"] as? [[String: Any]] ?? [] }
        #expect(!nested.isEmpty)
        for panel in panels {
            let title = panel["title"] as? String ?? "?"
            let targets = panel["targets"] as? [[String: Any]] ?? []
            #expect(!targets.isEmpty, "panel \(title) has no targets")
            for target in targets {
                let expr = target["expr"] as? String ?? ""
                #expect(!expr.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "panel \(title) has an empty query")
            }
        }
    }

    @Test func everyDatasourceIsTheVariable() throws {
        var checked = 0
        func expectVariable(_ datasource: Any?, _ place: String) {
            let object = datasource as? [String: Any]
            #expect(object?["uid"] as? String == "${datasource}", "\(place): \(String(describing: datasource))")
            #expect(object?["type"] as? String == "prometheus", "\(place)")
            checked += 1
        }
        for panel in DashboardPanels.all(in: dashboard) where panel["type"] as? String != "row" {
            let title = panel["title"] as? String ?? "?"
            expectVariable(panel["datasource"], "panel \(title)")
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                expectVariable(target["datasource"], "panel \(title) target \(target["refId"] ?? "?")")
            }
        }
        for variable in DashboardPanels.variables(in: dashboard) where variable["type"] as? String == "query" {
            expectVariable(variable["datasource"], "variable \(variable["name"] ?? "?")")
        }
        #expect(checked > 60)
    }

    @Test func hasTheDatasourceModelAndAgentVariables() throws {
        let variables = DashboardPanels.variables(in: dashboard)
        let byName = Dictionary(variables.map { ($0["name"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
        let datasource = try #require(byName["datasource"])
        #expect(datasource["type"] as? String == "datasource")
        #expect(datasource["query"] as? String == "prometheus")
        for (name, metric) in [("model", "llmdevops_llm_requests_total"), ("agent", "llmdevops_agent_executions_total")] {
            let variable = try #require(byName[name], "no $\(name) variable")
            let query = (variable["query"] as? [String: Any])?["query"] as? String ?? ""
            #expect(query.hasPrefix("label_values(\(metric)"), "\(query)")
            #expect(query.hasSuffix(", \(name))"), "\(query)")
            #expect(variable["includeAll"] as? Bool == true)
        }
    }

    @Test func panelIDsAreUnique() {
        let ids = DashboardPanels.all(in: dashboard).compactMap { $0["id"] as? Int }
        #expect(ids.count == DashboardPanels.all(in: dashboard).count)
        #expect(Set(ids).count == ids.count)
    }

    /// Issue 8's panel list, checked through the names the queries select.
    @Test func coversEveryAreaOfTheSpecification() throws {
        let (references, problems) = MetricConsistency.references(of: MonitoringQuery.dashboardQueries(dashboard))
        #expect(problems.isEmpty, "\(problems)")
        let used = references.metricNames.union(references.recordingRuleNames)
        let required = [
            "llmdevops_llm_requests_total", "llmdevops_llm_request_errors_total",
            "llmdevops_llm_request_duration_seconds_bucket", "llmdevops_llm_time_to_first_token_seconds_bucket",
            "llmdevops_llm_tokens_total", "llmdevops_llm_cost_usd_total",
            "llmdevops_agent_executions_total", "llmdevops_agent_steps_total", "llmdevops_agent_tool_calls_total",
            "llmdevops_agent_tool_call_errors_total", "process_cpu_seconds_total", "process_resident_memory_bytes",
            "llmdevops_exporter_scrape_duration_seconds_bucket", "llmdevops_exporter_cache_hits_total",
            "llmdevops_exporter_cache_misses_total", "llmdevops_registry_series_rejected_total",
            "llmdevops_collector_events_dropped_total",
        ]
        for name in required {
            #expect(used.contains(name), "the dashboard never queries \(name)")
        }
        let quantiles = MonitoringQuery.dashboardQueries(dashboard).map(\.expression).filter {
            $0.contains("histogram_quantile(") && $0.contains("_bucket") && $0.contains("le)")
        }
        #expect(quantiles.count >= 8)
    }
}
