import LLMDevOpsTestSupport
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting

/// A registry filled from a seed with hostile label values (any Unicode scalar, control
/// characters, quotes, backslashes, newlines) and random finite and special values, together with
/// the samples a correct exposition must contain.
struct RandomRegistry {
    struct ExpectedSample: Sendable {
        let name: String
        let labels: [String: String]
        let value: Double
    }

    let registry: RegistryActor
    let expected: [ExpectedSample]

    static func make(seed: UInt64, series: Int) async throws -> RandomRegistry {
        var random = SplitMix64(seed: seed)
        let registry = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        let gauges = try await registry.makeGaugeFamily(name: "prop_level", help: "Random gauge \\ \"values\"\n.", labelNames: ["a", "b"])
        let counters = try await registry.makeCounterFamily(name: "prop_events_total", help: "Random counter.", labelNames: ["a"])
        let histograms = try await registry.makeHistogramFamily(
            name: "prop_latency_seconds",
            help: "Random histogram.",
            unit: "seconds",
            labelNames: ["a"],
            buckets: [0.001, 0.1, 1, 100_000, 1e6]
        )
        var expected: [ExpectedSample] = []
        // Swift compares strings by canonical equivalence, so two label values that differ only in
        // normalisation name one series; keep the first spelling of each.
        var seenGauges = Set<[String]>()
        var seenCounters = Set<String>()
        for _ in 0..<series {
            let a = randomLabelValue(&random)
            let b = randomLabelValue(&random)
            if seenGauges.insert([a, b]).inserted {
                let value = randomValue(&random, allowNegative: true, allowNaN: true)
                try await gauges.labels(["a": a, "b": b]).set(to: value)
                expected.append(ExpectedSample(name: "prop_level", labels: ["a": a, "b": b], value: value))
            }
            if seenCounters.insert(a).inserted {
                let value = randomValue(&random, allowNegative: false, allowNaN: false)
                try await counters.labels(["a": a]).increment(by: value)
                expected.append(ExpectedSample(name: "prop_events_total", labels: ["a": a], value: value))
                let histogram = try await histograms.labels(["a": a])
                var sum = 0.0
                let observations = Int(random.next() % 4)
                for _ in 0..<observations {
                    let observed = Double(random.next() % 2_000_000) / 1000
                    histogram.observe(observed)
                    sum += observed
                }
                expected.append(ExpectedSample(name: "prop_latency_seconds_count", labels: ["a": a], value: Double(observations)))
                expected.append(ExpectedSample(name: "prop_latency_seconds_sum", labels: ["a": a], value: sum))
                expected.append(
                    ExpectedSample(name: "prop_latency_seconds_bucket", labels: ["a": a, "le": "+Inf"], value: Double(observations))
                )
            }
        }
        return RandomRegistry(registry: registry, expected: expected)
    }

    /// 0 to 12 scalars drawn from a mix aimed at the escaping rules.
    static func randomLabelValue(_ random: inout SplitMix64) -> String {
        let length = Int(random.next() % 13)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            let pick = random.next() % 10
            let value: UInt32
            switch pick {
            case 0: value = [0x5C, 0x22, 0x0A][Int(random.next() % 3)]  // \ " newline
            case 1: value = UInt32(random.next() % 0x20)  // C0 controls, \r and \t included
            case 2: value = 0x7F + UInt32(random.next() % 0x81)  // DEL, C1 controls, Latin-1
            case 3: value = 0x100 + UInt32(random.next() % (0xD800 - 0x100))  // BMP below surrogates
            case 4: value = 0xE000 + UInt32(random.next() % 0x2000)  // private use and up
            case 5: value = 0x1F300 + UInt32(random.next() % 0x300)  // emoji
            case 6: value = 0x10000 + UInt32(random.next() % 0xFFFF0)  // astral planes
            default: value = 0x20 + UInt32(random.next() % 0x5F)  // printable ASCII
            }
            if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
        }
        return String(scalars)
    }

    static func randomValue(_ random: inout SplitMix64, allowNegative: Bool, allowNaN: Bool) -> Double {
        switch random.next() % 8 {
        case 0: return .infinity
        case 1: return allowNegative ? -.infinity : 0
        case 2: return allowNaN ? .nan : 1
        case 3: return Double(random.next() % 10_000)
        case 4: return Double(random.next() % 1000) * 1e-7
        default:
            var value = Double(bitPattern: random.next())
            while !value.isFinite { value = Double(bitPattern: random.next()) }
            return allowNegative ? value : abs(value)
        }
    }
}
