import Foundation
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import Testing

/// Issue 7, item 2: a million distinct label sets offered concurrently through the public API.
/// Series never exceed the limits, every refusal is counted, memory stays bounded and renders
/// stay small. Render time is measured and printed, not asserted (house rule: no wall-clock
/// assertions); the deterministic stand-ins are the series count and the body size.
@Suite(.timeLimit(minutes: 3)) struct CardinalityFloodTests {
    static let families = 20
    static let offeredPerFamily = 50_000
    static let writers = 8

    /// Resident set size in bytes, from /proc/self/statm (pages × page size).
    static func residentBytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func makeRegistry() async throws -> (RegistryActor, [CounterFamily]) {
        let registry = RegistryActor(
            configuration: RegistryConfiguration(maxSeriesPerMetric: 1000, maxSeries: 10_000, cacheTTL: .zero))
        var families: [CounterFamily] = []
        for index in 0..<Self.families {
            families.append(
                try await registry.makeCounterFamily(name: "flood_\(index)_total", labelNames: ["user", "request"]))
        }
        return (registry, families)
    }

    /// Writers offer disjoint slices of the label space; a renderer renders while they run.
    /// Returns each render's time and size.
    static func flood(_ registry: RegistryActor, _ families: [CounterFamily]) async throws -> [(Duration, Int)] {
        let offered = Self.families * Self.offeredPerFamily
        return try await withThrowingTaskGroup(of: [(Duration, Int)].self) { group in
            for writer in 0..<Self.writers {
                group.addTask {
                    var index = writer
                    while index < offered {
                        let family = families[index % Self.families]
                        try await family.labels(values: ["u\(index / 1000)", "r\(index)"]).increment()
                        index += Self.writers
                    }
                    return []
                }
            }
            group.addTask {
                var measured: [(Duration, Int)] = []
                // Bounded: 40 renders, whatever the writers' speed.
                for _ in 0..<40 {
                    let clock = ContinuousClock()
                    var size = 0
                    let elapsed = await clock.measure { size = await registry.render(.prometheusText).count }
                    measured.append((elapsed, size))
                    await Task.yield()
                }
                return measured
            }
            var all: [(Duration, Int)] = []
            for try await result in group { all.append(contentsOf: result) }
            return all
        }
    }

    /// Resident memory is measured in a process of its own (an exit test): in the test run's
    /// process the other suites allocate in parallel, and a full run once added 300 MiB there
    /// while this flood alone adds about 1 MiB. 10,000 series need a few MiB; a leak per offered
    /// label set (a million of them) would need hundreds.
    @Test func aMillionLabelSetsLeaveResidentMemoryBounded() async {
        await #expect(processExitsWith: .success) {
            let (registry, families) = try await CardinalityFloodTests.makeRegistry()
            let before = CardinalityFloodTests.residentBytes()
            _ = try await CardinalityFloodTests.flood(registry, families)
            let grown = CardinalityFloodTests.residentBytes() - before
            print("cardinality-flood: resident memory grew by \(grown >> 20) MiB in a process of its own")
            if grown >= 128 * 1024 * 1024 { exit(1) }
        }
    }

    @Test func aMillionLabelSetsStayWithinTheLimits() async throws {
        let (registry, families) = try await Self.makeRegistry()
        let offered = Self.families * Self.offeredPerFamily
        let renders = try await Self.flood(registry, families)

        let seriesHeld = await registry.seriesCount
        #expect(seriesHeld == 10_000)
        var perFamilyMax = 0
        for family in families { perFamilyMax = max(perFamilyMax, await family.seriesCount) }
        #expect(perFamilyMax <= 1000)

        let body = await registry.render(.prometheusText)
        let parsed = try ExpositionParser.parse(body, syntax: .prometheusText)
        let floodSamples = parsed.samples.filter { $0.name.hasPrefix("flood_") }
        #expect(floodSamples.count == 10_000)
        #expect(floodSamples.allSatisfy { $0.value == 1 })
        let rejected = parsed.samples.filter { $0.name == "llmdevops_registry_series_rejected_total" }.map(\.value).reduce(0, +)
        #expect(Int(rejected) == offered - 10_000)

        // Every render during the flood is bounded by the limit: at most the final body's size
        // (all 10,000 series) plus a little for self-metric values that grow.
        let largest = renders.map(\.1).max() ?? 0
        #expect(largest <= body.count + 4096)
        let slowest = renders.map(\.0).max() ?? .zero
        print(
            "cardinality-flood: offered=\(offered) admitted=\(seriesHeld) rejected=\(Int(rejected))",
            "renders=\(renders.count) max_render_ms=\(slowest.components.seconds * 1000 + slowest.components.attoseconds / 1_000_000_000_000_000)",
            "max_body_bytes=\(largest)")
    }
}
