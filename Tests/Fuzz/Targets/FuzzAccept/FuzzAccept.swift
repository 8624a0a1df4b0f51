import LLMDevOpsFuzzSupport
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting

@testable import LLMDevOpsMetricsServer

/// `Accept` negotiation (`ExpositionFormat.negotiate(accept:)`) and `Accept-Encoding`
/// (`AcceptEncoding.allowsGzip`), the two headers every scrape sends.
///
/// Input: the `Accept` value, a NUL byte, the `Accept-Encoding` value. Properties:
/// - the negotiated format is one the registry renders and our parser reads back, and its
///   own `Content-Type`, sent back as `Accept`, negotiates to it again;
/// - both results equal those of reference implementations written plainly from the
///   documented rules (RFC 9110 media ranges and q-values as `negotiate(accept:)` documents
///   them; gzip allowed by an explicit `gzip`/`x-gzip` entry, else by `*`);
/// - neither depends on the (ASCII) letter case of the header, except protobuf's `proto`
///   value, a message name and case-sensitive: upper case turns a protobuf answer into another.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAccept(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let accept = String(decoding: input.bytes(until: 0), as: UTF8.self)
    let acceptEncoding = String(decoding: input.remaining(), as: UTF8.self)

    let format = ExpositionFormat.negotiate(accept: accept)
    fuzzCheck(Rendered.formats.contains(format), "negotiated \(format) for \(quoted(accept)), which we do not render")
    fuzzCheck(
        ExpositionFormat.negotiate(accept: format.contentType) == format,
        "the Content-Type of \(format) does not negotiate to it"
    )
    let reference = ReferenceAccept.negotiate(accept)
    fuzzCheck(
        format == reference,
        "Accept \(quoted(accept)): negotiated \(format), the documented rules give \(reference)"
    )
    let uppercased = ExpositionFormat.negotiate(accept: asciiUppercased(accept))
    fuzzCheck(
        format == .protobuf ? uppercased != .protobuf : uppercased == format,
        "Accept \(quoted(accept)) negotiates to \(uppercased) in upper case, \(format) as sent"
    )

    let gzip = AcceptEncoding.allowsGzip(acceptEncoding)
    let referenceGzip = ReferenceAcceptEncoding.allowsGzip(acceptEncoding)
    fuzzCheck(
        gzip == referenceGzip,
        "Accept-Encoding \(quoted(acceptEncoding)): gzip \(gzip), the documented rules give \(referenceGzip)"
    )
    fuzzCheck(
        AcceptEncoding.allowsGzip(asciiUppercased(acceptEncoding)) == gzip,
        "Accept-Encoding \(quoted(acceptEncoding)) differs in upper case"
    )
    return 0
}

/// ASCII letters in upper case, everything else unchanged (HTTP tokens are ASCII
/// case-insensitive; Unicode case mapping could turn `ı` into `I`).
func asciiUppercased(_ string: String) -> String {
    var result = ""
    for scalar in string.unicodeScalars {
        if scalar.value >= 0x61, scalar.value <= 0x7A, let upper = Unicode.Scalar(scalar.value - 0x20) {
            result.unicodeScalars.append(upper)
        } else {
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}

/// A registry with a counter, a gauge and a histogram, rendered once per format: the text
/// formats parsed back with our parser, the protobuf body read as one length-delimited
/// message per family with samples in the text body (so a negotiated format is one we can serve).
enum Rendered {
    static let formats: Set<ExpositionFormat> = runBlocking {
        let registry = RegistryActor()
        do {
            try await registry.makeCounterFamily(name: "fuzz_requests", help: "Requests.", labelNames: ["code"])
                .labels(["code": "200"]).increment(by: 3)
            try await registry.makeGauge(name: "fuzz_temperature", help: "A gauge.").set(to: -1.5)
            try await registry.makeHistogram(name: "fuzz_seconds", help: "A histogram.", buckets: [0.1, 1]).observe(0.5)
        } catch {
            fuzzCheck(false, "cannot set up the registry: \(error)")
        }
        var formats: Set<ExpositionFormat> = []
        var families = 0
        for format in [ExpositionFormat.prometheusText, .openMetrics] {
            let body = await registry.render(format)
            do {
                let parsed = try ExpositionParser.parse(
                    body,
                    syntax: format == .openMetrics ? .openMetrics : .prometheusText
                )
                let names = Set(parsed.families.map(\.name))
                // A counter family is `fuzz_requests_total` in text 0.0.4, `fuzz_requests` in OpenMetrics.
                fuzzCheck(
                    ["fuzz_requests", "fuzz_temperature", "fuzz_seconds"].allSatisfy { name in
                        names.contains(name) || names.contains(name + "_total")
                    },
                    "our \(format) body lacks a family: \(names.sorted())"
                )
                // The registry's self-metrics included; a family without series has HELP and
                // TYPE lines in text but no message in protobuf.
                families = parsed.families.filter { !$0.samples.isEmpty }.count
                formats.insert(format)
            } catch {
                fuzzCheck(false, "our \(format) body does not parse: \(error)")
            }
        }
        let messages = MetricsHTTPHandler.protobufFamilyCount(await registry.render(.protobuf))
        fuzzCheck(
            messages == families,
            "our protobuf body is not \(families) length-delimited messages (\(messages))"
        )
        formats.insert(.protobuf)
        return formats
    }
}

/// `negotiate(accept:)`'s documented rules, written with strings rather than byte spans.
enum ReferenceAccept {
    static func negotiate(_ header: String) -> ExpositionFormat {
        var best: ExpositionFormat?
        var bestQuality = 0
        for entry in split(Array(header.unicodeScalars), on: ",") {
            guard let (format, quality) = evaluate(entry), quality > bestQuality else { continue }
            best = format
            bestQuality = quality
        }
        return best ?? .prometheusText
    }

    /// Splits on `separator` outside double-quoted strings (a backslash escapes inside them).
    static func split(_ scalars: [Unicode.Scalar], on separator: Unicode.Scalar) -> [[Unicode.Scalar]] {
        var parts: [[Unicode.Scalar]] = [[]]
        var quoted = false
        var escaped = false
        for scalar in scalars {
            if quoted {
                if escaped {
                    escaped = false
                } else if scalar == "\\" {
                    escaped = true
                } else if scalar == "\"" {
                    quoted = false
                }
            } else if scalar == "\"" {
                quoted = true
            } else if scalar == separator {
                parts.append([])
                continue
            }
            parts[parts.count - 1].append(scalar)
        }
        return parts
    }

    static func trimmed(_ scalars: [Unicode.Scalar]) -> String {
        var view = scalars[...]
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        var string = ""
        string.unicodeScalars.append(contentsOf: view)
        return string
    }

    static func asciiLowercased(_ string: String) -> String {
        var result = ""
        for scalar in string.unicodeScalars {
            if scalar.value >= 0x41, scalar.value <= 0x5A, let lower = Unicode.Scalar(scalar.value + 0x20) {
                result.unicodeScalars.append(lower)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// The entry's format and quality in thousandths; nil when unsupported, `q=0` or malformed.
    static func evaluate(_ entry: [Unicode.Scalar]) -> (ExpositionFormat, Int)? {
        let parts = split(entry, on: ";")
        let range = asciiLowercased(trimmed(parts[0]))
        var quality = 1000
        var version: String?
        var proto: String?
        var encoding: String?
        // Scalars throughout, never Characters: a combining mark after `=` or `"` forms one
        // grapheme with it (`=\u{591}` is not `=` to `firstIndex(of:)`), while the header is
        // bytes to HTTP and to `negotiate(accept:)` (fuzz finding: version=\u{591}... read as
        // no version at all, so the reference took an unsupported version for OpenMetrics).
        for parameter in parts.dropFirst() {
            let text = Array(trimmed(parameter).unicodeScalars)
            guard let equals = text.firstIndex(of: "=") else { continue }
            let name = asciiLowercased(trimmed(Array(text[..<equals])))
            let value = Array(trimmed(Array(text[(equals + 1)...])).unicodeScalars)
            if name == "q" {
                guard let parsed = qvalue(string(value)) else { return nil }
                quality = parsed
            } else if name == "version" || name == "proto" || name == "encoding" {
                var unquoted = value[...]
                if unquoted.count >= 2, unquoted.first == "\"", unquoted.last == "\"" {
                    unquoted = unquoted.dropFirst().dropLast()
                }
                switch name {
                case "version": version = asciiLowercased(string(unquoted))
                case "proto": proto = string(unquoted)  // a message name: case-sensitive
                default: encoding = asciiLowercased(string(unquoted))
                }
            }
        }
        guard quality > 0 else { return nil }
        let format: ExpositionFormat?
        switch range {
        case "application/vnd.google.protobuf":
            format = proto == "io.prometheus.client.MetricFamily" && encoding == "delimited" ? .protobuf : nil
        case "application/openmetrics-text":
            format = version == nil || version == "1.0.0" || version == "0.0.1" ? .openMetrics : nil
        case "text/plain":
            format = version == nil || version == "0.0.4" ? .prometheusText : nil
        case "text/*", "*/*":
            format = .prometheusText
        default:
            format = nil
        }
        return format.map { ($0, quality) }
    }

    static func string<Scalars: Sequence<Unicode.Scalar>>(_ scalars: Scalars) -> String {
        var string = ""
        string.unicodeScalars.append(contentsOf: scalars)
        return string
    }

    /// RFC 9110 `qvalue`: `0[.d{0,3}]` or `1[.0{0,3}]`, in thousandths.
    static func qvalue(_ text: String) -> Int? {
        let scalars = Array(text.unicodeScalars)
        guard let lead = scalars.first, lead == "0" || lead == "1", scalars.count <= 5 else { return nil }
        var thousandths = lead == "1" ? 1000 : 0
        guard scalars.count > 1 else { return thousandths }
        guard scalars[1] == "." else { return nil }
        var scale = 100
        for digit in scalars.dropFirst(2) {
            guard let value = digit.properties.numericType != nil ? Int(String(digit)) : nil,
                digit.isASCII
            else { return nil }
            thousandths += value * scale
            scale /= 10
        }
        return thousandths <= 1000 ? thousandths : nil
    }
}

/// `AcceptEncoding.allowsGzip`'s documented rules: an explicit `gzip` or `x-gzip` entry
/// decides (allowed when its highest q is above 0); otherwise a `*` entry does; a malformed
/// or out-of-range q counts as 0; no header, or neither entry, allows only identity.
enum ReferenceAcceptEncoding {
    static func allowsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var gzip: Double?
        var wildcard: Double?
        for entry in header.split(separator: ",", omittingEmptySubsequences: true) {
            let parameters = entry.split(separator: ";", omittingEmptySubsequences: true)
            guard let first = parameters.first else { continue }
            let coding = ReferenceAccept.trimmed(Array(first.unicodeScalars)).lowercased()
            var quality = 1.0
            for parameter in parameters.dropFirst() {
                let pieces = parameter.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: true)
                guard pieces.count == 2,
                    ReferenceAccept.trimmed(Array(pieces[0].unicodeScalars)).lowercased() == "q"
                else { continue }
                let number = Double(ReferenceAccept.trimmed(Array(pieces[1].unicodeScalars)))
                quality = number.map { $0 >= 0 && $0 <= 1 ? $0 : 0 } ?? 0
            }
            if coding == "gzip" || coding == "x-gzip" {
                gzip = max(gzip ?? 0, quality)
            } else if coding == "*" {
                wildcard = quality
            }
        }
        if let gzip { return gzip > 0 }
        return (wildcard ?? 0) > 0
    }
}
