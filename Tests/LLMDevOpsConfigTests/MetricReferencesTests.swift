import Testing

@Suite struct MetricReferencesTests {
    @Test(arguments: [
        ("rate(foo_total[5m])", ["foo_total"], []),
        (#"histogram_quantile(0.99, sum by (le, model) (rate(x_seconds_bucket{model=~"$model", job="a"}[$__rate_interval])))"#, ["x_seconds_bucket"], []),
        ("sum(rate(a_total[5m])) by (job) / on (job) group_left(instance) b", ["a_total", "b"], []),
        ("sum without (instance) (llmdevops:llm_requests:rate5m) > bool 0.5", [], ["llmdevops:llm_requests:rate5m"]),
        ("time() - process_start_time_seconds offset 5m", ["process_start_time_seconds"], []),
        (#"{__name__="named_metric", job="x"}"#, ["named_metric"], []),
        ("a and on (job) b or c unless d", ["a", "b", "c", "d"], []),
        ("max_over_time(deriv(m[10m])[1h:5m])", ["m"], []),
        ("topk(10, s) * 1e-3 + -Inf + 0x1F", ["s"], []),
        (#"label_replace(up, "dst", "$1", "instance", "(.*):.*")"#, ["up"], []),
        ("count_values(\"version\", build_info) ^ 2 % 3", ["build_info"], []),
        ("# a comment\nvector(1)", [], []),
        ("sum by (by) (rate(bysum[1m]))", ["bysum"], []),
    ] as [(String, [String], [String])])
    func findsMetricAndRecordingRuleNames(expression: String, metrics: [String], recorded: [String]) throws {
        let references = try MetricReferences(expression: expression)
        #expect(references.metricNames == Set(metrics))
        #expect(references.recordingRuleNames == Set(recorded))
    }

    @Test(arguments: [
        #"label_values(llmdevops_llm_requests_total{job=~"$job"}, model)"#,
        "label_values(llmdevops_llm_requests_total, model)",
    ])
    func readsGrafanaVariableQueries(query: String) throws {
        let references = try MetricReferences(expression: query, grafanaTemplate: true)
        #expect(references.metricNames == ["llmdevops_llm_requests_total"])
    }

    @Test func labelValuesWithOnlyALabelSelectsNoMetric() throws {
        #expect(try MetricReferences(expression: "label_values(model)", grafanaTemplate: true).metricNames.isEmpty)
    }

    @Test(arguments: [
        ("rate(foo[5m]", "unbalanced"),
        ("foo)", "unbalanced"),
        (#"foo{job="x"#, "unterminated string"),
        (#"foo{job=}"#, "malformed label matcher"),
        ("rate(foo[5m)", "unterminated ["),
        ("rat(foo[5m])", "unknown function rat"),
        ("sum by (le foo)", "expected , or )"),
        ("foo ; bar", "unexpected character"),
        ("sum", "aggregation sum without arguments"),
        ("on foo", "on needs a label list"),
    ])
    func rejectsMalformedExpressions(expression: String, reason: String) {
        #expect {
            _ = try MetricReferences(expression: expression)
        } throws: { error in
            (error as? PromQLSyntaxError)?.reason.contains(reason) == true
        }
    }

    @Test func unknownGrafanaTemplateFunctionIsAnError() {
        #expect(throws: PromQLSyntaxError.self) {
            _ = try MetricReferences(expression: "label_valuez(up, job)", grafanaTemplate: true)
        }
    }
}
