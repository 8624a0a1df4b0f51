import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

@Suite struct CardinalityTests {
    @Test func perMetricLimitReturnsAWorkingUnexportedHandle() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(maxSeriesPerMetric: 2, maxSeries: 100))
        let family = try await registry.makeCounterFamily(name: "c_total", labelNames: ["k"])
        let a = try await family.labels(["k": "a"])
        let b = try await family.labels(["k": "b"])
        let rejected = try await family.labels(["k": "c"])
        rejected.increment(by: 5)
        #expect(a.isExported && b.isExported)
        #expect(!rejected.isExported)
        #expect(rejected.value == 5)
        #expect(await family.seriesCount == 2)
        let lines = await renderLines(registry)
        #expect(!lines.contains { $0.hasPrefix("c_total{k=\"c\"}") })
        #expect(lines.contains(#"llmdevops_registry_series_rejected_total{family="c",reason="metric_limit"} 1"#))
        #expect(lines.contains(#"llmdevops_registry_series{family="c"} 2"#))
    }

    @Test func familyOptionsOverrideThePerMetricLimit() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(maxSeriesPerMetric: 1))
        let family = try await registry.makeGaugeFamily(name: "g", labelNames: ["k"], options: FamilyOptions(maxSeries: 3))
        for value in ["a", "b", "c", "d"] { _ = try await family.labels(["k": value]) }
        #expect(await family.seriesCount == 3)
    }

    @Test func removingSeriesReturnsTheirBudget() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(maxSeriesPerMetric: 10, maxSeries: 2))
        let family = try await registry.makeCounterFamily(name: "c_total", labelNames: ["k"])
        let a = try await family.labels(["k": "a"])
        _ = try await family.labels(["k": "b"])
        #expect(!(try await family.labels(["k": "c"])).isExported)
        #expect(try await family.remove(["k": "a"]))
        #expect(!a.isExported)
        #expect(try await family.labels(["k": "c"]).isExported)
        await family.removeAll()
        #expect(await registry.seriesCount == 0)
        #expect(await family.seriesCount == 0)
    }

    /// Concurrent floods of distinct label sets never exceed either limit; every rejection is
    /// counted; series created before the flood keep updating exactly.
    @Test func concurrentFloodsRespectBothLimits() async throws {
        let perMetric = 50
        let global = 120
        let registry = RegistryActor(configuration: RegistryConfiguration(maxSeriesPerMetric: perMetric, maxSeries: global))
        var families: [CounterFamily] = []
        var steady: [CounterMetric] = []
        for index in 0..<4 {
            let family = try await registry.makeCounterFamily(name: "flood_\(index)_total", labelNames: ["id"])
            families.append(family)
            steady.append(try await family.labels(["id": "steady"]))
        }
        let tasksPerFamily = 8
        let setsPerTask = 100
        let flooded = families
        let steadyHandles = steady
        await withTaskGroup(of: Void.self) { group in
            for (familyIndex, family) in flooded.enumerated() {
                for task in 0..<tasksPerFamily {
                    group.addTask {
                        for set in 0..<setsPerTask {
                            let series = try? await family.labels(["id": "t\(task)-s\(set)"])
                            series?.increment()
                            steadyHandles[familyIndex].increment()
                        }
                    }
                }
            }
        }
        var exported = 0
        for family in families {
            let count = await family.seriesCount
            #expect(count <= perMetric)
            exported += count
        }
        #expect(exported == global, "the global budget is filled exactly")
        #expect(await registry.seriesCount == global)
        for series in steady {
            #expect(series.isExported)
            #expect(series.value == Double(tasksPerFamily * setsPerTask))
        }
        // Every distinct label set offered beyond the limits was rejected exactly once.
        let offered = families.count * (tasksPerFamily * setsPerTask + 1)
        var rejected = 0
        for line in await renderLines(registry) where line.hasPrefix("llmdevops_registry_series_rejected_total{") {
            rejected += Int(line.split(separator: " ").last ?? "") ?? 0
        }
        #expect(rejected == offered - global)
    }

    @Test func idleSeriesExpireAfterTheirTTL() async throws {
        let time = ManualMetricsClock()
        let registry = RegistryActor(configuration: RegistryConfiguration(clock: time.clock, exposeSelfMetrics: false))
        let family = try await registry.makeGaugeFamily(
            name: "g",
            labelNames: ["k"],
            options: FamilyOptions(idleTTL: .seconds(10))
        )
        let busy = try await family.labels(["k": "busy"])
        let idle = try await family.labels(["k": "idle"])
        time.advance(by: .seconds(5))
        busy.set(to: 1)
        _ = await registry.render(.prometheusText)  // sees `busy` active at t=5
        time.advance(by: .seconds(6))
        let lines = await renderLines(registry)  // t=11: `idle` untouched for 11 s
        #expect(lines.contains(#"g{k="busy"} 1"#))
        #expect(!lines.contains { $0.hasPrefix(#"g{k="idle"}"#) })
        #expect(!idle.isExported)
        #expect(busy.isExported)
        #expect(await registry.seriesCount == 1)
        // Resolving the labels again brings the series back.
        #expect(try await family.labels(["k": "idle"]).isExported)
    }
}
