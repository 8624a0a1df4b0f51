import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

@Suite struct MetricFamilyTests {
    /// Many tasks resolve overlapping label sets at once, by values and by name: each label set
    /// gets exactly one series (every handle is the same object) and its increments all land.
    @Test func concurrentLookupsNeverCreateTwoSeriesForOneLabelSet() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        let family = try await registry.makeCounterFamily(name: "race_total", labelNames: ["route", "code"])
        let routes = (0..<20).map { "/api/v1/route_\($0)" }
        let codes = ["200", "500", ""]
        let tasks = 8
        let handles = try await withThrowingTaskGroup(of: [ObjectIdentifier: [String]].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var seen: [ObjectIdentifier: [String]] = [:]
                    for round in 0..<routes.count * codes.count {
                        let index = (round * 7 + task) % (routes.count * codes.count)
                        let values = [routes[index / codes.count], codes[index % codes.count]]
                        let series = task.isMultiple(of: 2)
                            ? try await family.labels(values: values)
                            : try await family.labels(["code": values[1], "route": values[0]])
                        series.increment()
                        seen[ObjectIdentifier(series)] = values
                    }
                    return seen
                }
            }
            var all: [ObjectIdentifier: [String]] = [:]
            for try await seen in group {
                for (identifier, values) in seen {
                    #expect(all[identifier] == nil || all[identifier] == values)
                    all[identifier] = values
                }
            }
            return all
        }
        #expect(handles.count == routes.count * codes.count)
        #expect(await family.seriesCount == routes.count * codes.count)
        let exposition = try await registry.parsedExposition(.prometheusText)
        for route in routes {
            for code in codes {
                let sample = exposition.sample(named: "race_total", labels: ["route": route, "code": code])
                #expect(sample?.value == Double(tasks))
            }
        }
    }

    /// Concurrent creation past the per-family and global limits admits exactly the limit and
    /// counts every refused creation.
    @Test func concurrentCreationKeepsLimitsExact() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(maxSeriesPerMetric: 30, maxSeries: 1_000))
        let first = try await registry.makeGaugeFamily(name: "limited_a", labelNames: ["id"])
        let second = try await registry.makeGaugeFamily(
            name: "limited_b",
            labelNames: ["id"],
            options: FamilyOptions(maxSeries: 100)
        )
        let global = RegistryActor(configuration: RegistryConfiguration(maxSeriesPerMetric: 1_000, maxSeries: 25))
        let third = try await global.makeGaugeFamily(name: "limited_c", labelNames: ["id"])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for id in stride(from: task, to: 80, by: 8) {
                        try await first.labels(values: ["\(id)"]).set(to: 1)
                        try await second.labels(["id": "\(id)"]).set(to: 1)
                        try await third.labels(values: ["id-\(id)"]).set(to: 1)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await first.seriesCount == 30)
        #expect(await second.seriesCount == 80)
        #expect(await third.seriesCount == 25)
        #expect(await global.seriesCount == 25)
        let exposition = try await registry.parsedExposition(.prometheusText)
        let rejected = exposition.sample(
            named: "llmdevops_registry_series_rejected_total",
            labels: ["family": "limited_a", "reason": "metric_limit"]
        )
        #expect(rejected?.value == 50)
        let globalExposition = try await global.parsedExposition(.prometheusText)
        let globalRejected = globalExposition.sample(
            named: "llmdevops_registry_series_rejected_total",
            labels: ["family": "limited_c", "reason": "global_limit"]
        )
        #expect(globalRejected?.value == 55)
    }

    /// Values that need escaping take the slow path and still resolve to one series, whichever
    /// form they come in.
    @Test func valuesThatNeedEscapingResolveToOneSeries() async throws {
        let registry = RegistryActor()
        let family = try await registry.makeCounterFamily(name: "escaped_total", labelNames: ["path", "note"])
        let byValues = try await family.labels(values: ["C:\\dir", "say \"hi\"\n"])
        let byName = try await family.labels(["note": "say \"hi\"\n", "path": "C:\\dir"])
        let again = try await family.labels(values: ["C:\\dir", "say \"hi\"\n"])
        #expect(byValues === byName)
        #expect(byValues === again)
        #expect(await family.seriesCount == 1)
    }

    /// Series created through each entry point (values, names, values that need escaping) are
    /// found again through every other one, across table growth: creation stores each key under
    /// the hash that lookups probe, so no label set ever gets a second series.
    @Test func seriesCreatedByOneEntryPointAreFoundByTheOthers() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(maxSeriesPerMetric: 5_000, exposeSelfMetrics: false))
        let family = try await registry.makeCounterFamily(name: "entry_total", labelNames: ["route", "code"])
        func values(_ index: Int) -> [String] {
            let route = index.isMultiple(of: 5) ? "/q?name=\"\(index)\"" : "/api/v1/items/\(index)"
            return [route, ["200", "404", ""][index % 3]]
        }
        var created: [ObjectIdentifier] = []
        for index in 0..<3_000 {
            let series = index.isMultiple(of: 2)
                ? try await family.labels(values: values(index))
                : try await family.labels(["code": values(index)[1], "route": values(index)[0]])
            series.increment()
            created.append(ObjectIdentifier(series))
        }
        #expect(await family.seriesCount == 3_000)
        for index in 0..<3_000 {
            let byValues = try await family.labels(values: values(index))
            let byName = try await family.labels(["route": values(index)[0], "code": values(index)[1]])
            #expect(ObjectIdentifier(byValues) == created[index])
            #expect(byName === byValues)
        }
        #expect(await family.seriesCount == 3_000)
        let exposition = try await registry.parsedExposition(.prometheusText)
        #expect(exposition.sample(named: "entry_total", labels: ["route": values(10)[0], "code": values(10)[1]])?.value == 1)
    }

    /// Families from registrations, pull collectors and self-metrics come out in one name order,
    /// and a second render of an unchanged registry is byte-identical.
    @Test func renderMergesFamiliesByNameAndIsRepeatable() async throws {
        let registry = RegistryActor()
        try await registry.makeCounterFamily(name: "aaa_total", labelNames: ["x"]).labels(values: ["1"]).increment()
        try await registry.makeGauge(name: "zzz_gauge").set(to: 2)
        try await registry.makeHistogramFamily(name: "mmm_seconds", labelNames: ["x"], buckets: [1, 2])
            .labels(["x": "b"]).observe(1.5)
        for format in [ExpositionFormat.prometheusText, .openMetrics] {
            let first = await registry.render(format)
            let second = await registry.render(format)
            let text = String(decoding: first, as: UTF8.self)
            let names = text.split(separator: "\n")
                .filter { $0.hasPrefix("# TYPE ") }
                .map { $0.split(separator: " ")[2] }
            #expect(names == names.sorted())
            #expect(names.contains("aaa_total") || names.contains("aaa"))
            #expect(names.contains("llmdevops_registry_series"))
            if format == .prometheusText {
                // Self-metrics change between renders only in the cache counters, which render() does not touch.
                #expect(first == second)
            }
        }
    }
}
