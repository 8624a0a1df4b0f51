import LLMDevOpsMetrics

extension CardinalityReport {
    /// Label names whose values come from a collector allow-list, and the YAML key that lists
    /// (or admits) them.
    static let allowListKeys: [String: String] = [
        "model": "prometheus_metrics.llm.models (or llm.admit_unlisted_models)",
        "from_model": "prometheus_metrics.llm.models (or llm.admit_unlisted_models)",
        "to_model": "prometheus_metrics.llm.models (or llm.admit_unlisted_models)",
        "team": "prometheus_metrics.llm.teams",
        "agent": "prometheus_metrics.agent.agents (or agent.admit_unlisted_agents)",
        "from_agent": "prometheus_metrics.agent.agents (or agent.admit_unlisted_agents)",
        "to_agent": "prometheus_metrics.agent.agents (or agent.admit_unlisted_agents)",
        "tool": "prometheus_metrics.agent.agents[].tools (or agent.admit_unlisted_tools)",
        "guardrail": "prometheus_metrics.agent.guardrails",
    ]

    static let maxPerMetricKey = "prometheus_metrics.cardinality.max_per_metric"
    static let totalLimitKey = "prometheus_metrics.cardinality.total_limit"
    static let familyOptionsKey = "FamilyOptions.maxSeries (where the family is registered)"

    /// The report with the settings that raise each limit and admit each collector label's
    /// values, as `configuration` maps them: registry families are bounded by
    /// `cardinality.max_per_metric` (the collectors' families too: the service passes it to
    /// them) unless registered with their own ``FamilyOptions/maxSeries``; all of them by
    /// `cardinality.total_limit`.
    func annotated(for configuration: ServiceConfiguration) -> CardinalityReport {
        var report = self
        report.globalLimitKey = Self.totalLimitKey
        for index in report.families.indices {
            var family = report.families[index]
            let refusedByGlobal = family.rejected.contains { $0.reason == "global_limit" && $0.count > 0 }
            let refusedByOwn = family.rejected.contains { $0.reason == "metric_limit" && $0.count > 0 }
            if refusedByGlobal && !refusedByOwn && family.series < family.seriesLimit {
                family.limitKey = Self.totalLimitKey
            } else if family.seriesLimit == configuration.cardinality.maxPerMetric {
                family.limitKey = Self.maxPerMetricKey
            } else {
                family.limitKey = Self.familyOptionsKey
            }
            if family.name.hasPrefix("llmdevops_llm_") || family.name.hasPrefix("llmdevops_agent_") {
                for labelIndex in family.labels.indices {
                    family.labels[labelIndex].allowList = Self.allowListKeys[family.labels[labelIndex].name]
                }
            }
            report.families[index] = family
        }
        return report
    }
}
