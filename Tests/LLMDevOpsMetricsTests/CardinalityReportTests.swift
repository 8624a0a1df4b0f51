import Foundation
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// Issue 17: the registry's cardinality report, checked against the exposition parsed by the
/// test kit's independent parser and against hand-computed counts.
@Suite struct CardinalityReportTests {
    /// A registry with families at three distances from their limits, plus refusals.
    static func populatedRegistry() async throws -> RegistryActor {
        let registry = RegistryActor(
            configuration: RegistryConfiguration(maxSeriesPerMetric: 50, maxSeries: 1000, cacheTTL: .zero))
        // Model m<i> gets i+1 statuses: 78 series, model counts 12, 11, ..., 1 (limit 100: ok).
        let requests = try await registry.makeCounterFamily(
            name: "app_requests_total", labelNames: ["model", "status"], options: FamilyOptions(maxSeries: 100))
        for model in 0..<12 {
            for status in 0...model { try await requests.labels(values: ["m\(model)", "s\(status)"]).increment() }
        }
        // Six values offered to a family capped at 4: two refusals.
        let small = try await registry.makeGaugeFamily(
            name: "app_small", labelNames: ["tenant"], options: FamilyOptions(maxSeries: 4))
        for tenant in 0..<6 { try await small.labels(values: ["t\(tenant)"]).set(to: Double(tenant)) }
        // 40 of the default 50: 80%, near the limit.
        let near = try await registry.makeCounterFamily(name: "app_near_total", labelNames: ["route"])
        for route in 0..<40 { try await near.labels(values: ["/r\(route)"]).increment() }
        _ = try await registry.makeCounter(name: "app_plain_total")
        return registry
    }

    @Test func familiesSeriesLimitsAndStatusesMatchTheRegistry() async throws {
        let registry = try await Self.populatedRegistry()
        let report = await registry.cardinalityReport()

        #expect(report.families.map(\.name) == ["app_requests", "app_near", "app_small", "app_plain"])
        #expect(report.families.map(\.series) == [78, 40, 4, 1])
        #expect(report.families.map(\.seriesLimit) == [100, 50, 4, 50])
        #expect(report.families.map(\.status) == [.ok, .nearLimit, .atLimit, .ok])
        #expect(report.families.map(\.type) == [.counter, .counter, .gauge, .counter])
        let small = try #require(report.families.first { $0.name == "app_small" })
        #expect(small.rejected == [.init(reason: "metric_limit", count: 2), .init(reason: "global_limit", count: 0)])
        #expect(report.rejected == [.init(reason: "metric_limit", count: 2), .init(reason: "global_limit", count: 0)])
        #expect(report.series == 123)
        #expect(report.series == (await registry.seriesCount))
        #expect(report.seriesLimit == 1000)
        #expect(report.status == .ok)
        #expect(report.families.last?.labels == [])
        #expect(report.computeSeconds >= 0)
    }

    @Test func topValuesAreTheValuesWithTheMostSeries() async throws {
        let registry = try await Self.populatedRegistry()
        let report = await registry.cardinalityReport()
        let requests = try #require(report.families.first { $0.name == "app_requests" })
        #expect(requests.labels.map(\.name) == ["model", "status"])
        #expect(requests.labels.map(\.distinctValues) == [12, 12])
        #expect(requests.labels[0].topValues.map(\.value) == (2..<12).reversed().map { "m\($0)" })
        #expect(requests.labels[0].topValues.map(\.series) == Array((3...12).reversed()))
        #expect(requests.labels[1].topValues.map(\.value) == (0..<10).map { "s\($0)" })
        #expect(requests.labels[1].topValues.map(\.series) == Array((3...12).reversed()))

        // Independently: count label values in the parsed exposition.
        let body = String(decoding: await registry.render(.openMetrics), as: UTF8.self)
        let parsed = try ExpositionParser.parse(body, syntax: .openMetrics)
        for family in report.families where family.type == .counter || family.type == .gauge {
            let samples = try #require(parsed.family(named: family.name)).samples
            #expect(samples.count == family.series, "\(family.name)")
            for label in family.labels {
                var counts: [String: Int] = [:]
                for sample in samples { counts[sample.labels[label.name] ?? "", default: 0] += 1 }
                #expect(label.distinctValues == counts.count, "\(family.name) \(label.name)")
                let expected = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                    .prefix(10).map { CardinalityReport.ValueCount(value: $0.key, series: $0.value) }
                #expect(label.topValues == expected, "\(family.name) \(label.name)")
            }
        }
    }

    @Test(arguments: [1, 3, 10, 20]) func topValuesHonourTheRequestedCount(top: Int) async throws {
        let registry = try await Self.populatedRegistry()
        let report = await registry.cardinalityReport(topValues: top)
        let requests = try #require(report.families.first { $0.name == "app_requests" })
        #expect(requests.labels[0].topValues.count == min(top, 12))
        #expect(requests.labels[0].topValues.first == .init(value: "m11", series: 12))
    }

    static let hostile = #""><script>alert(1)</script>&"#

    @Test func escapedKeysComeBackAsTheOriginalValues() async throws {
        let registry = RegistryActor()
        let family = try await registry.makeCounterFamily(name: "odd_total", labelNames: ["a", "b"])
        let values = [Self.hostile, #"back\slash"#, "new\nline", #"quote""#, "plain"]
        for (index, value) in values.enumerated() {
            try await family.labels(values: [value, "v\(index)"]).increment()
            try await family.labels(values: ["x", value]).increment()
        }
        let report = await registry.cardinalityReport()
        let odd = try #require(report.families.first)
        #expect(Set(odd.labels[0].topValues.map(\.value)) == Set(values + ["x"]))
        #expect(odd.labels[0].topValues.first == .init(value: "x", series: 5))
        #expect(Set(odd.labels[1].topValues.map(\.value)) == Set(values + (0..<5).map { "v\($0)" }))
        #expect(odd.labels[1].distinctValues == 10)
    }

    @Test func theJSONParsesAndCarriesTheSameData() async throws {
        let registry = try await Self.populatedRegistry()
        let odd = try await registry.makeCounterFamily(name: "odd_total", labelNames: ["value"])
        try await odd.labels(values: [Self.hostile + "\u{1}\t"]).increment()
        var report = await registry.cardinalityReport()
        report.globalLimitKey = "total_limit"
        let bytes = report.json()
        // <, > and & never appear raw, so the JSON stays inert as HTML.
        #expect(!bytes.contains(UInt8(ascii: "<")) && !bytes.contains(UInt8(ascii: "&")))
        let root = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(root["schema"] as? String == CardinalityReport.schema)
        #expect(root["computed_at"] as? String == CardinalityReport.timestamp(report.computedAt))
        let series = try #require(root["series"] as? [String: Any])
        #expect(series["in_use"] as? Int == 124)
        #expect(series["limit"] as? Int == 1000)
        #expect(series["status"] as? String == "ok")
        #expect(series["limit_key"] as? String == "total_limit")
        #expect((root["rejected"] as? [String: Int]) == ["metric_limit": 2, "global_limit": 0])
        let families = try #require(root["families"] as? [[String: Any]])
        #expect(families.compactMap { $0["name"] as? String } == report.families.map(\.name))
        #expect(families.compactMap { $0["series"] as? Int } == report.families.map(\.series))
        #expect(families.compactMap { $0["status"] as? String } == report.families.map(\.status.rawValue))
        #expect(families.allSatisfy { $0["limit_key"] is NSNull })
        let oddFamily = try #require(families.first { $0["name"] as? String == "odd" })
        let labels = try #require(oddFamily["labels"] as? [[String: Any]])
        let top = try #require(labels.first?["top_values"] as? [[String: Any]])
        #expect(top.first?["value"] as? String == Self.hostile + "\u{1}\t")
        let small = try #require(families.first { $0["name"] as? String == "app_small" })
        #expect(small["share"] as? Double == 1)
        #expect((small["rejected"] as? [String: Int])?["metric_limit"] == 2)
        let near = try #require(families.first { $0["name"] as? String == "app_near" })
        #expect(near["share"] as? Double == 0.8)
    }

    @Test func idleExpiriesAreCounted() async throws {
        let clock = ManualMetricsClock()
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero, clock: clock.clock))
        let family = try await registry.makeGaugeFamily(
            name: "idle_sessions", labelNames: ["session"], options: FamilyOptions(idleTTL: .seconds(1)))
        for session in 0..<3 { try await family.labels(values: ["s\(session)"]).set(to: 1) }
        _ = await registry.render(.openMetrics)  // marks them seen
        clock.advance(by: .seconds(2))
        _ = await registry.render(.openMetrics)  // expires all three
        let report = await registry.cardinalityReport()
        let idle = try #require(report.families.first { $0.name == "idle_sessions" })
        #expect(idle.series == 0)
        #expect(idle.idleExpiries == 3)
        #expect(report.computedAt == clock.clock.wallSeconds())
    }

    @Test func theGlobalLimitAndItsRefusalsAreReported() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(maxSeriesPerMetric: 10, maxSeries: 5))
        let first = try await registry.makeCounterFamily(name: "first_total", labelNames: ["k"])
        let second = try await registry.makeCounterFamily(name: "second_total", labelNames: ["k"])
        for key in 0..<4 { try await first.labels(values: ["\(key)"]).increment() }
        for key in 0..<3 { try await second.labels(values: ["\(key)"]).increment() }
        let report = await registry.cardinalityReport()
        #expect(report.series == 5)
        #expect(report.status == .atLimit)
        #expect(report.rejected == [.init(reason: "metric_limit", count: 0), .init(reason: "global_limit", count: 2)])
        let refused = try #require(report.families.first { $0.name == "second" })
        #expect(refused.series == 1)
        #expect(refused.status == .atLimit)  // refusing, although far below its own limit
    }

    @Test func redactionsAndCollectorOverflowAreListed() async throws {
        let registry = RegistryActor()
        let users = try await registry.makeCounterFamily(
            name: "logins_total", labelNames: ["user"], options: FamilyOptions(screensLabelValues: true))
        try await users.labels(values: ["alice@example.com"]).increment()
        try await users.labels(values: ["bob@example.com"]).increment()
        let overflow = try await registry.makeCounterFamily(
            name: "llmdevops_collector_label_overflow_total", labelNames: ["metric", "label"])
        try await overflow.labels(values: ["llmdevops_llm_requests_total", "model"]).increment(by: 7)
        try await overflow.labels(values: ["llmdevops_agent_tool_calls_total", "tool"]).increment(by: 2)
        _ = try await overflow.labels(values: ["llmdevops_agent_steps_total", "agent"])  // 0: not listed
        let report = await registry.cardinalityReport()
        #expect(report.redactions == [.init(family: "logins", label: "user", reason: "email", count: 2)])
        #expect(
            report.collectorOverflow == [
                .init(metric: "llmdevops_llm_requests_total", label: "model", count: 7),
                .init(metric: "llmdevops_agent_tool_calls_total", label: "tool", count: 2),
            ])
        let logins = try #require(report.families.first { $0.name == "logins" })
        #expect(logins.labels[0].topValues == [.init(value: "_redacted", series: 1)])
    }

    /// Reports computed while writers create series: every report is internally consistent
    /// (no family above its limit, top values never exceed the family), and the last one,
    /// after the writers finished, is exact.
    @Test func reportsDuringConcurrentCreationStayConsistent() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(maxSeriesPerMetric: 5000, maxSeries: 20_000))
        let family = try await registry.makeCounterFamily(name: "busy_total", labelNames: ["shard", "id"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for id in 0..<1000 { try await family.labels(values: ["w\(writer)", "\(id)"]).increment() }
                }
            }
            group.addTask {
                for _ in 0..<20 {
                    let report = await registry.cardinalityReport()
                    let busy = try #require(report.families.first { $0.name == "busy" })
                    #expect(busy.series <= 4000)
                    #expect(busy.labels[0].topValues.reduce(0) { $0 + $1.series } == busy.series)
                }
            }
            try await group.waitForAll()
        }
        let busy = try #require(await registry.cardinalityReport().families.first { $0.name == "busy" })
        #expect(busy.series == 4000)
        #expect(busy.labels[0].topValues.map(\.series) == [1000, 1000, 1000, 1000])
        #expect(busy.labels[1].distinctValues == 1000)
    }

    @Test(arguments: [
        (0.0, "1970-01-01T00:00:00.000Z"),
        (1_700_000_000.5, "2023-11-14T22:13:20.500Z"),
        (951_782_400.0, "2000-02-29T00:00:00.000Z"),
        (4_102_444_799.5, "2099-12-31T23:59:59.500Z"),
    ])
    func timestampsAreUTC(seconds: Double, expected: String) {
        #expect(CardinalityReport.timestamp(seconds) == expected)
    }
}
