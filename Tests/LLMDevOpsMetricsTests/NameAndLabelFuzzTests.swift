import LLMDevOpsTestSupport
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// Issue 7, item 3 (metric names and label values): seeded random strings (any Unicode scalar,
/// control characters, exposition syntax characters) as metric names, label names and label
/// values through registration and `labels(...)`. Every call gives a series or a typed
/// `MetricsError`; every rendering parses with the strict parser in both formats; and every
/// gauge series that was admitted comes back with exactly its label values.
@Suite(.ownThread) struct NameAndLabelFuzzTests {
    static let cases = 3000
    static let batch = 25

    static let tricky: [Unicode.Scalar] = [
        "\0", "\u{1}", "\t", "\n", "\r", "\u{1B}", "\u{7F}", "\u{85}", "\u{A0}", "\u{2028}", "\u{2029}", "\u{FEFF}",
        "\u{301}", "\u{FFFD}", "\u{10FFFF}", "\"", "\\", "{", "}", "=", ",", "#", " ", ":", "_", ".", "-", "/", "é", "💥",
        "a", "Z", "0", "9",
    ]

    /// A random string: tricky scalars, identifier characters and any Unicode scalar.
    static func string(_ random: inout SplitMix64, maxLength: Int = 24) -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...maxLength, using: &random) {
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                scalars.append(tricky.randomElement(using: &random) ?? "a")
            case 1:
                let ascii = Array("abcdefghijklmnopqrstuvwxyz_:0123456789".unicodeScalars)
                scalars.append(ascii.randomElement(using: &random) ?? "a")
            default:
                var scalar: Unicode.Scalar?
                while scalar == nil {
                    let limit: UInt32 = Bool.random(using: &random) ? 0x80 : 0x10FFFF
                    scalar = Unicode.Scalar(UInt32.random(in: 0..<limit, using: &random))
                }
                if let scalar { scalars.append(scalar) }
            }
        }
        return String(scalars)
    }

    /// A metric or label name: a valid identifier, one with a random tail, or any string.
    static func name(_ random: inout SplitMix64, prefix: String) -> String {
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<5:
            let ascii = Array("abcdefghijklmnopqrstuvwxyz_0123456789")
            return prefix + String((0..<Int.random(in: 0...8, using: &random)).map { _ in ascii.randomElement(using: &random) ?? "a" })
        case 5..<8: return prefix + string(&random, maxLength: 8)
        default: return string(&random)
        }
    }

    struct Tally {
        var familiesAdmitted = 0
        var familiesRefused = 0
        var seriesAdmitted = 0
        var seriesRefused = 0
        var renders = 0
        var codes: [String: Int] = [:]
    }

    @Test func randomNamesAndLabelsGiveASeriesOrATypedErrorAndAlwaysRenderParseably() async throws {
        var random = SplitMix64(seed: 0x4E41_4D45)
        var tally = Tally()
        for batchStart in stride(from: 0, to: Self.cases, by: Self.batch) {
            let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
            var gauges: [(name: String, labels: [String: String])] = []
            for index in batchStart..<min(Self.cases, batchStart + Self.batch) {
                let name = Self.name(&random, prefix: "fuzz_\(index)_")
                let labelNames = (0..<Int.random(in: 0...3, using: &random)).map { Self.name(&random, prefix: "l\($0)_") }
                do {
                    switch index % 3 {
                    case 0:
                        let family = try await registry.makeGaugeFamily(name: name, help: Self.string(&random), labelNames: labelNames)
                        tally.familiesAdmitted += 1
                        for _ in 0..<3 {
                            let values = labelNames.map { _ in Self.string(&random) }
                            do {
                                try await family.labels(values: values).set(to: Double(index))
                                tally.seriesAdmitted += 1
                                gauges.append((name, Dictionary(zip(labelNames, values)) { first, _ in first }))
                            } catch {
                                tally.seriesRefused += 1
                                tally.codes["\(error.code)", default: 0] += 1
                            }
                        }
                    case 1:
                        let family = try await registry.makeCounterFamily(name: name, help: Self.string(&random), labelNames: labelNames)
                        tally.familiesAdmitted += 1
                        // By name, with random (usually wrong) label names half of the time.
                        let names = Bool.random(using: &random) ? labelNames : labelNames.map { _ in Self.string(&random, maxLength: 4) }
                        let labels = Dictionary(names.map { ($0, Self.string(&random)) }) { first, _ in first }
                        do {
                            try await family.labels(labels).increment()
                            tally.seriesAdmitted += 1
                        } catch {
                            tally.seriesRefused += 1
                            tally.codes["\(error.code)", default: 0] += 1
                        }
                    default:
                        let family = try await registry.makeHistogramFamily(
                            name: name, help: Self.string(&random), labelNames: labelNames, buckets: [0.1, 1])
                        tally.familiesAdmitted += 1
                        do {
                            try await family.labels(values: labelNames.map { _ in Self.string(&random) }).observe(0.5)
                            tally.seriesAdmitted += 1
                        } catch {
                            tally.seriesRefused += 1
                            tally.codes["\(error.code)", default: 0] += 1
                        }
                    }
                } catch {
                    tally.familiesRefused += 1
                    tally.codes["\(error.code)", default: 0] += 1
                }
            }
            for format in ExpositionFormat.allCases where format.isText {
                let body = await registry.render(format)
                tally.renders += 1
                let syntax: ExpositionSyntax = format == .openMetrics ? .openMetrics : .prometheusText
                do {
                    let parsed = try ExpositionParser.parse(body, syntax: syntax)
                    for gauge in gauges {
                        #expect(
                            parsed.sample(named: gauge.name, labels: gauge.labels) != nil,
                            "\(format): \(gauge.name.debugDescription) \(gauge.labels.debugDescription) is missing")
                    }
                } catch {
                    Issue.record("batch \(batchStart), \(format): \(error)\n\(String(decoding: body, as: UTF8.self))")
                }
            }
        }
        print(
            "name-label-fuzz: cases=\(Self.cases) families_admitted=\(tally.familiesAdmitted) "
                + "families_refused=\(tally.familiesRefused) series_admitted=\(tally.seriesAdmitted) "
                + "series_refused=\(tally.seriesRefused) renders_parsed=\(tally.renders) errors="
                + tally.codes.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ","))
        #expect(tally.familiesAdmitted + tally.familiesRefused == Self.cases)
        #expect(tally.familiesAdmitted > 0 && tally.familiesRefused > 0)
        #expect(tally.seriesAdmitted > 0 && tally.seriesRefused > 0)
    }

    /// Found by the fuzzer: a help text ending in a carriage return used to end its `# HELP`
    /// line with "\r\n". The trailing carriage returns are dropped; one inside the text stays.
    @Test func helpEndingInACarriageReturnStillRendersParseableLines() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        try await registry.makeGauge(name: "cr_help", help: "ends with CR\r\r").set(to: 1)
        try await registry.makeGauge(name: "cr_inside", help: "a\rb").set(to: 2)
        for (format, syntax) in [(ExpositionFormat.prometheusText, ExpositionSyntax.prometheusText), (.openMetrics, .openMetrics)] {
            let body = await registry.render(format)
            let parsed = try ExpositionParser.parse(body, syntax: syntax)
            #expect(parsed.sample(named: "cr_help", labels: [:])?.value == 1)
            #expect(parsed.sample(named: "cr_inside", labels: [:])?.value == 2)
            let text = String(decoding: body, as: UTF8.self)
            #expect(text.contains("# HELP cr_help ends with CR\n"))
            #expect(text.contains("# HELP cr_inside a\rb\n"))
        }
    }
}
