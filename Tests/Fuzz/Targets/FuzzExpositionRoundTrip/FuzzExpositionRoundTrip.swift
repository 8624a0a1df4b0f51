import LLMDevOpsFuzzSupport
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting

/// The registry's exposition of fuzzed names, help texts, label values and numbers, read back
/// with our parser (`Sources/LLMDevOpsMetrics/Exposition`, `Sources/LLMDevOpsMetricsTesting/Parsing`).
///
/// Input: the family type, then the metric name, help text and label name (each up to a NUL),
/// then up to three series (a label value and a number each). Properties, for both text
/// 0.0.4 and OpenMetrics 1.0.0:
/// - whatever the registry accepts renders to a body our strict parser accepts;
/// - the body reads back to the same samples: every label value exactly, help text exactly,
///   gauge values bit for bit (NaN as NaN), counter totals and histogram counts and sums;
/// - OpenMetrics has no `_sum` or `_count` for a histogram series whose sum is negative or NaN
///   (the sum is a counter there); text 0.0.4 has both.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpositionRoundTrip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let type = input.byte() % 3
    let name = String(decoding: input.bytes(until: 0), as: UTF8.self)
    let help = String(decoding: input.bytes(until: 0), as: UTF8.self)
    let label = String(decoding: input.bytes(until: 0), as: UTF8.self)
    var series: [(value: String, number: Double)] = []
    for _ in 0..<3 where !input.isEmpty {
        series.append((input.string(maxBytes: 48), input.double()))
    }

    let fixedSeries = series
    let outcome: Outcome? = runBlocking {
        let registry = RegistryActor(configuration: RegistryConfiguration(exposeSelfMetrics: false))
        var expected: [String: Expected] = [:]
        do {
            switch type {
            case 0:
                let family = try await registry.makeCounterFamily(name: name, help: help, labelNames: [label])
                for (value, number) in fixedSeries {
                    try await family.labels([label: value]).increment(by: number)
                    let valid = !number.isNaN && number >= 0  // negative and NaN increments are refused
                    expected[value, default: .counter(0)] = .counter(
                        (expected[value]?.total ?? 0) + (valid ? number : 0)
                    )
                }
            case 1:
                let family = try await registry.makeGaugeFamily(name: name, help: help, labelNames: [label])
                for (value, number) in fixedSeries {
                    try await family.labels([label: value]).set(to: number)
                    expected[value] = .gauge(number)
                }
            default:
                let family = try await registry.makeHistogramFamily(
                    name: name,
                    help: help,
                    labelNames: [label],
                    buckets: [0, 1, 10]
                )
                // Signed observations: a negative sum is this target's first finding (reproducer:
                // Tests/Fuzz/Findings/exposition-roundtrip-negative-sum), fixed in the encoder.
                for (value, number) in fixedSeries {
                    try await family.labels([label: value]).observe(number)
                    var (count, sum) = expected[value]?.histogram ?? (0, 0)
                    if !number.isNaN {
                        count += 1
                        sum += number
                    }
                    expected[value] = .histogram(count: count, sum: sum)
                }
            }
        } catch {
            return nil  // refused names and label sets are the name rules' target
        }
        return Outcome(
            text: await registry.render(.prometheusText),
            openMetrics: await registry.render(.openMetrics),
            expected: expected
        )
    }
    guard let outcome else { return 0 }

    let base = type == 0 && name.hasSuffix("_total") && name.utf8.count > 6 ? String(name.dropLast(6)) : name
    for (syntax, body) in [(ExpositionSyntax.prometheusText, outcome.text), (.openMetrics, outcome.openMetrics)] {
        let parsed: ParsedExposition
        do {
            parsed = try ExpositionParser.parse(body, syntax: syntax)
        } catch {
            fuzzCheck(false, "our \(syntax) body does not parse (\(error)):\n\(quoted(body))")
            return 0
        }
        for (value, expected) in outcome.expected {
            let labels = [label: value]
            func sample(_ suffix: String) -> Double? { parsed.sample(named: base + suffix, labels: labels)?.value }
            switch expected {
            case .counter(let total):
                // The counter keeps whole and fractional increments apart, so its sum may round
                // differently from one in call order.
                let read = sample("_total")
                fuzzCheck(
                    read.map { $0 == total || abs($0 - total) <= 1e-9 * max(1, abs(total)) } ?? false,
                    "\(syntax): counter \(quoted(name)){\(quoted(value))} is \(String(describing: read)), "
                        + "expected \(total)\n\(quoted(body))"
                )
            case .gauge(let number):
                let read = sample("")
                fuzzCheck(
                    read.map { $0 == number || ($0.isNaN && number.isNaN) } ?? false,
                    "\(syntax): gauge \(quoted(name)){\(quoted(value))} is \(String(describing: read)), "
                        + "expected \(number)\n\(quoted(body))"
                )
            case .histogram(let count, let sum):
                let infinity = parsed.sample(named: base + "_bucket", labels: [label: value, "le": "+Inf"])?.value
                fuzzCheck(
                    infinity == Double(count),
                    "\(syntax): histogram +Inf bucket of \(quoted(value)) is \(String(describing: infinity)), "
                        + "expected \(count)"
                )
                // OpenMetrics: the sum is a counter, never negative or NaN (the bounds here are
                // not negative), and `_count` comes only with `_sum`; text 0.0.4 prints both.
                guard syntax == .prometheusText || sum >= 0 else {
                    fuzzCheck(
                        sample("_sum") == nil && sample("_count") == nil,
                        "\(syntax): histogram \(quoted(value)) with sum \(sum) has _sum "
                            + "\(String(describing: sample("_sum"))) or _count \(String(describing: sample("_count")))"
                    )
                    continue
                }
                fuzzCheck(
                    sample("_count") == Double(count),
                    "\(syntax): histogram count of \(quoted(value)) is "
                        + "\(String(describing: sample("_count"))), expected \(count)"
                )
                let read = sample("_sum")
                fuzzCheck(
                    read.map { $0 == sum || ($0.isNaN && sum.isNaN) } ?? false,
                    "\(syntax): histogram sum of \(quoted(value)) is \(String(describing: read)), expected \(sum)"
                )
            }
        }
        if !outcome.expected.isEmpty {
            let family = parsed.families.first { family in family.samples.contains { $0.labels[label] != nil } }
            // An empty help is no help: no # HELP line (MetricDescriptor), so it reads as nil.
            // The encoder drops carriage returns at the end of a help text, which would end the
            // line with "\r\n" (dd4bfc0). Text 0.0.4 cannot carry blanks at the start of a help
            // text: parsers (Prometheus' too) skip the blanks after the name. OpenMetrics has
            // exactly one space there.
            var written = Array(help.utf8)
            while written.last == UInt8(ascii: "\r") { written.removeLast() }
            if syntax == .prometheusText {
                written = Array(written.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            }
            let expected = String(decoding: written, as: UTF8.self)
            fuzzCheck(
                help.isEmpty
                    ? family?.help == nil
                    : family?.help == expected || (expected.isEmpty && family?.help == nil),
                "\(syntax): help \(quoted(help)) reads back as \(String(describing: family?.help))"
            )
        }
    }
    return 0
}

enum Expected: Sendable {
    case counter(Double)
    case gauge(Double)
    case histogram(count: Int, sum: Double)

    var total: Double? {
        if case .counter(let total) = self { return total }
        return nil
    }

    var histogram: (Int, Double)? {
        if case .histogram(let count, let sum) = self { return (count, sum) }
        return nil
    }
}

struct Outcome: Sendable {
    let text: [UInt8]
    let openMetrics: [UInt8]
    let expected: [String: Expected]
}
