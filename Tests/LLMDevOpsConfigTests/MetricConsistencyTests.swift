import Foundation
import LLMDevOpsTestSupport
import LLMDevOpsMetricsTesting
import Testing

/// Issue 8, item 5: every metric name the dashboard and the rules use is exposed, and the
/// check fails as soon as one of them is not.
@Suite struct MetricConsistencyTests {
    @Test func dashboardAndRulesUseOnlyExposedMetrics() async throws {
        let assets = try MonitoringAssets.load()
        let exposed = try ExposedMetrics(exposition: await CatalogMetrics.exposition(), syntax: .prometheusText)
        let problems = MetricConsistency.check(assets.queries, recordingRules: assets.recordingRules, against: exposed)
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
        // The check saw what it should: dozens of queries and names, not an empty parse.
        let (references, _) = MetricConsistency.references(of: assets.queries)
        #expect(assets.queries.count > 100)
        #expect(references.metricNames.count > 40)
        #expect(references.recordingRuleNames.count > 10)
    }

    /// Removing any one used family from the exposition makes the check fail and name it.
    @Test func removingAnyUsedMetricFailsTheCheck() async throws {
        let assets = try MonitoringAssets.load()
        let exposed = try ExposedMetrics(exposition: await CatalogMetrics.exposition(), syntax: .prometheusText)
        let (references, _) = MetricConsistency.references(of: assets.queries)
        let usedFamilies = Set(references.metricNames.compactMap { exposed.family(of: $0) })
            .subtracting(ExposedMetrics.synthesizedByPrometheus)
        try #require(usedFamilies.count > 30)
        for family in usedFamilies.sorted() {
            let problems = MetricConsistency.check(assets.queries, recordingRules: assets.recordingRules, against: exposed.removing(family: family))
            let missing = Set(problems.compactMap { problem -> String? in
                if case .unknownMetric(let name) = problem.kind { return name }
                return nil
            })
            #expect(!missing.isEmpty, "removing \(family) went unnoticed")
            #expect(missing.allSatisfy { exposed.family(of: $0) == family }, "removing \(family) reported \(missing)")
        }
    }

    /// The same end to end: the registry renders the catalog without one family.
    @Test func anExpositionWithoutARenamedMetricFailsTheCheck() async throws {
        let assets = try MonitoringAssets.load()
        let body = try await CatalogMetrics.exposition(omitting: ["llmdevops_llm_time_to_first_token_seconds"])
        let exposed = try ExposedMetrics(exposition: body, syntax: .prometheusText)
        let problems = MetricConsistency.check(assets.queries, recordingRules: assets.recordingRules, against: exposed)
        #expect(problems.contains { $0.kind == .unknownMetric("llmdevops_llm_time_to_first_token_seconds_bucket") })
        #expect(problems.contains { $0.origin.contains("llmdevops:llm_time_to_first_token_seconds_bucket:rate5m") })
        #expect(problems.contains { $0.origin.contains("dashboard panel \"Time to first token\"") })
    }

    @Test func anUndefinedRecordingRuleFailsTheCheck() async throws {
        let assets = try MonitoringAssets.load()
        let exposed = try ExposedMetrics(exposition: await CatalogMetrics.exposition(), syntax: .prometheusText)
        var recorded = assets.recordingRules
        // Read by the dashboard and by the LLMDevOpsLLMErrorRatioHigh alert.
        let rule = "llmdevops:llm_requests:rate5m"
        try #require(recorded.remove(rule) != nil)
        let problems = MetricConsistency.check(assets.queries, recordingRules: recorded, against: exposed)
        #expect(problems.contains {
            $0.kind == .undefinedRecordingRule(rule) && $0.origin.contains("LLMDevOpsLLMErrorRatioHigh")
        })
        #expect(problems.contains { $0.kind == .undefinedRecordingRule(rule) && $0.origin.hasPrefix("dashboard") })
    }

    @Test func suffixesResolveOnlyAgainstTheRightType() throws {
        let body = """
            # TYPE lat histogram
            lat_bucket{le="+Inf"} 1
            lat_sum 1
            lat_count 1
            # TYPE sum_only summary
            sum_only_sum 1
            sum_only_count 1
            # TYPE requests_total counter
            requests_total 3
            # TYPE temp gauge
            temp 1

            """
        let exposed = try ExposedMetrics(exposition: body, syntax: .prometheusText)
        #expect(exposed.family(of: "lat_bucket") == "lat")
        #expect(exposed.family(of: "lat_count") == "lat")
        #expect(exposed.family(of: "sum_only_count") == "sum_only")
        #expect(exposed.family(of: "sum_only_bucket") == nil)
        #expect(exposed.family(of: "temp_bucket") == nil)
        #expect(exposed.family(of: "requests_total") == "requests_total")
        #expect(exposed.family(of: "requests") == nil)
        #expect(exposed.family(of: "up") == "up")
        // The bare name of a histogram is a series only when it carries native buckets.
        #expect(exposed.family(of: "lat") == nil)
        let native = try ExposedMetrics(exposition: body, syntax: .prometheusText, nativeHistograms: ["lat", "temp"])
        #expect(native.family(of: "lat") == "lat")
        #expect(native.family(of: "lat_bucket") == "lat")
        #expect(native.family(of: "temp") == "temp")
    }

    @Test func openMetricsCountersOfferTheirTotalSample() throws {
        let body = "# TYPE jobs counter\n# HELP jobs Jobs.\n# TYPE idle histogram\n# EOF\n"
        let exposed = try ExposedMetrics(exposition: body, syntax: .openMetrics)
        #expect(exposed.family(of: "jobs_total") == "jobs")
        #expect(exposed.family(of: "idle_bucket") == "idle")
    }

    /// The real thing: the exposition of a `llmdevops-metrics --demo-events N --render-once` run
    /// (the service binary, its collectors and the synthetic workload, rendered as a scrape
    /// would get it) holds every metric the dashboard and the rules use.
    @Test func dashboardAndRulesUseOnlyMetricsOfTheDemoExposition() async throws {
        let executable = try #require(
            RepositoryFiles.serviceExecutable,
            "the llmdevops-metrics executable was not built (swift build --build-tests builds it)"
        )
        let run = try await ConfigTool.run(
            [executable, "--config", RepositoryFiles.config.appendingPathComponent("llmdevops-metrics.yaml").path,
             "--demo-events", "20000", "--render-once"]
        )
        try #require(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("# EOF\n"))
        let exposed = try ExposedMetrics(exposition: run.stdout, syntax: .openMetrics)
        let assets = try MonitoringAssets.load()
        let problems = MetricConsistency.check(assets.queries, recordingRules: assets.recordingRules, against: exposed)
        #expect(problems.isEmpty, "\(problems.map(\.description).joined(separator: "\n"))")
    }
}
