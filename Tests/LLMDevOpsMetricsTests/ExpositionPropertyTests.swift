import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import LLMDevOpsTestSupport
import PropertyBased
import Testing

/// Random label values and values round-trip through our strict parser, both Python reference
/// parsers, and promtool, in both formats.
@Suite(.ownThread) struct ExpositionPropertyTests {
    private static func sameValue(_ lhs: Double, _ rhs: Double) -> Bool {
        lhs == rhs || (lhs.isNaN && rhs.isNaN)
    }

    @Test func randomRegistriesRoundTripThroughOurParser() async throws {
        await propertyCheck(count: 150, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            do {
                let random = try await RandomRegistry.make(seed: UInt64(seed), series: 12)
                for format in ExpositionFormat.allCases where format.isText {
                    let parsed = try await random.registry.parsedExposition(format)
                    for sample in random.expected {
                        let found = parsed.sample(named: sample.name, labels: sample.labels)
                        #expect(found.map { Self.sameValue($0.value, sample.value) } == true, "\(format) \(sample)")
                    }
                    // Nothing else: one gauge and counter sample per series, 6 buckets + sum + count per histogram.
                    let histograms = random.expected.filter { $0.name == "prop_latency_seconds_count" }.count
                    let others = random.expected.filter { !$0.name.hasPrefix("prop_latency") }.count
                    #expect(parsed.samples.count == others + histograms * 8)
                }
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    @Test(.requiresReferenceTool(.pythonPrometheusClient), arguments: [1, 2, 3] as [UInt64])
    func randomRegistriesParseWithThePythonReferenceParsers(seed: UInt64) async throws {
        try ReferenceValidators.requireAvailable(.pythonPrometheusClient)
        let random = try await RandomRegistry.make(seed: seed, series: 200)
        for (format, syntax) in [(ExpositionFormat.prometheusText, ReferenceValidators.PythonSyntax.text), (.openMetrics, .openMetrics)] {
            let body = String(decoding: await random.registry.render(format), as: UTF8.self)
            let samples = try await ReferenceValidators.pythonParse(body, syntax: syntax)
            for expected in random.expected {
                let matching = samples.filter { $0.name == expected.name && $0.labels == expected.labels }
                #expect(matching.count == 1, "\(syntax): \(expected.name)\(expected.labels) appears \(matching.count) times")
                if let value = matching.first.flatMap({ ReferenceValidators.double(fromPython: $0.value) }) {
                    #expect(Self.sameValue(value, expected.value), "\(syntax): \(expected.name)\(expected.labels)")
                }
            }
        }
    }

    @Test(.requiresReferenceTool(.promtool), arguments: [1, 2, 3] as [UInt64])
    func randomRegistriesPassPromtool(seed: UInt64) async throws {
        try ReferenceValidators.requireAvailable(.promtool)
        let random = try await RandomRegistry.make(seed: seed, series: 200)
        let body = String(decoding: await random.registry.render(.prometheusText), as: UTF8.self)
        let result = try await ReferenceValidators.promtoolCheckMetrics(body)
        #expect(result.errors.isEmpty, "\(result.output)")
        #expect(result.lintWarnings.isEmpty, "\(result.output)")
        #expect(result.exitCode == 0)
    }
}
