import LLMDevOpsFuzzSupport
import LLMDevOpsMetricsTesting

/// Our exposition parser (`Sources/LLMDevOpsMetricsTesting/Parsing`), which every test uses
/// to judge what the service renders.
///
/// Input: a byte choosing the syntax (text 0.0.4 or OpenMetrics), then the body. Properties:
/// - it returns a parsed exposition or throws `ExpositionParseError` (never crashes or hangs);
/// - what it accepts it reads consistently: the parsed families written back out in the same
///   syntax (metadata, label sets sorted, values and timestamps in their shortest form,
///   exemplars) parse to the same families, samples, labels, values and timestamps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpositionParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let syntax: ExpositionSyntax = input.bool() ? .openMetrics : .prometheusText
    let body = input.remaining()
    guard let parsed = try? ExpositionParser.parse(body, syntax: syntax) else { return 0 }
    let written = ExpositionWriter.write(parsed, syntax: syntax)
    do {
        let again = try ExpositionParser.parse(written, syntax: syntax)
        fuzzCheck(
            ExpositionWriter.equivalent(again, parsed, syntax: syntax),
            "\(syntax): \(quoted(body)) reads as\n\(parsed)\nbut written back\n\(quoted(written))\nit reads "
                + "as\n\(again)"
        )
    } catch {
        fuzzCheck(
            false,
            "\(syntax): \(quoted(body)) parses, but written back as \(quoted(written)) it does not: \(error)"
        )
    }
    return 0
}

/// Writes a parsed exposition back out.
enum ExpositionWriter {
    static func write(_ exposition: ParsedExposition, syntax: ExpositionSyntax) -> [UInt8] {
        let openMetrics = syntax == .openMetrics
        var out = ""
        for family in exposition.families {
            if let help = family.help { out += "# HELP \(family.name) \(escapeHelp(help, openMetrics: openMetrics))\n" }
            out += "# TYPE \(family.name) \(family.type)\n"
            if openMetrics, let unit = family.unit { out += "# UNIT \(family.name) \(unit)\n" }
            for sample in family.samples {
                out += sample.name + labels(sample.labels) + " " + number(sample.value)
                if let timestamp = sample.timestamp {
                    out += " " + (openMetrics ? "\(timestamp)" : milliseconds(timestamp))
                }
                if let exemplar = sample.exemplar {
                    out += " # " + labels(exemplar.labels, always: true) + " " + number(exemplar.value)
                    if let timestamp = exemplar.timestamp { out += " \(timestamp)" }
                }
                out += "\n"
            }
        }
        if openMetrics { out += "# EOF\n" }
        return Array(out.utf8)
    }

    static func labels(_ labels: [String: String], always: Bool = false) -> String {
        guard always || !labels.isEmpty else { return "" }
        let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(escapeLabel($0.value))\"" }
        return "{" + pairs.joined(separator: ",") + "}"
    }

    static func escapeLabel(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func escapeHelp(_ help: String, openMetrics: Bool) -> String {
        var out = ""
        for scalar in help.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where openMetrics: out += "\\\""
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        return "\(value)"
    }

    /// Text-format timestamps are integer milliseconds; the parser reports seconds.
    static func milliseconds(_ seconds: Double) -> String {
        let milliseconds = (seconds * 1000).rounded()
        return Int64(exactly: milliseconds).map(String.init) ?? "0"
    }

    /// Equal, except that a text-format timestamp beyond 2^53 milliseconds may come back one
    /// millisecond off (a double holds no more digits).
    static func equivalent(_ lhs: ParsedExposition, _ rhs: ParsedExposition, syntax: ExpositionSyntax) -> Bool {
        guard syntax == .prometheusText else { return lhs == rhs }
        func tolerant(_ exposition: ParsedExposition) -> ParsedExposition {
            var copy = exposition
            for familyIndex in copy.families.indices {
                for sampleIndex in copy.families[familyIndex].samples.indices {
                    if let timestamp = copy.families[familyIndex].samples[sampleIndex].timestamp,
                        abs(timestamp * 1000) >= 0x1p53
                    {
                        copy.families[familyIndex].samples[sampleIndex].timestamp = 0
                    }
                }
            }
            return copy
        }
        return tolerant(lhs) == tolerant(rhs)
    }
}
