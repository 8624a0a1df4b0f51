extension ExpositionFormat {
    /// Chooses the format for an HTTP `Accept` header value (nil = header absent).
    ///
    /// The header is parsed as comma-separated media ranges with parameters and q-values
    /// (RFC 9110: `q` is `0`…`1` with at most three decimals; an entry with a malformed `q` is
    /// ignored). The supported entry with the highest q wins; ties go to the earlier entry and
    /// `q=0` means "not acceptable".
    ///
    /// Supported ranges:
    /// - `application/vnd.google.protobuf` with `proto=io.prometheus.client.MetricFamily` and
    ///   `encoding=delimited` → ``protobuf`` (what Prometheus sends first with
    ///   `--enable-feature=native-histograms`; other encodings are not supported);
    /// - `application/openmetrics-text` with `version` `1.0.0`, `0.0.1` or no version → ``openMetrics``
    ///   (other versions, such as `2.0.0`, are not supported);
    /// - `text/plain` with `version` `0.0.4` or no version → ``prometheusText``
    ///   (`text/plain;version=1.0.0` is not supported);
    /// - `text/*` and `*/*` → ``prometheusText``.
    ///
    /// Other parameters (`charset`, `escaping`, …) are ignored. Types and parameter names are
    /// case-insensitive and whitespace around separators is tolerated. A missing or empty
    /// header, garbage, or a header naming nothing supported yields ``prometheusText``;
    /// negotiation never fails.
    public static func negotiate(accept: String?) -> ExpositionFormat {
        negotiate(accept: accept, offering: everyFormat)
    }

    /// Every format, built once (a `Set` literal per call would allocate).
    private static let everyFormat = Set(allCases)

    /// Chooses the format for an `Accept` header among `offering`, as
    /// ``negotiate(accept:)`` does. ``prometheusText`` is always offered: it is the answer when
    /// nothing offered is acceptable, so a server that turned protobuf off still answers a
    /// Prometheus that asks for it first.
    ///
    /// ```swift
    /// let format = ExpositionFormat.negotiate(accept: header, offering: [.openMetrics])  // no protobuf
    /// ```
    public static func negotiate(accept: String?, offering: Set<ExpositionFormat>) -> ExpositionFormat {
        guard var header = accept, !header.isEmpty else { return .prometheusText }
        return header.withUTF8 { AcceptParser.negotiate($0, offering: offering) } ?? .prometheusText
    }
}

/// Allocation-free parser for `Accept` header bytes.
private enum AcceptParser {
    /// A half-open byte range `[lower, upper)` into the header buffer.
    typealias Span = (lower: Int, upper: Int)

    /// Returns the best supported format in `bytes`, or `nil` when nothing supported is acceptable.
    static func negotiate(_ bytes: UnsafeBufferPointer<UInt8>, offering: Set<ExpositionFormat>) -> ExpositionFormat? {
        var best: ExpositionFormat?
        var bestQuality = 0
        var position = 0
        while position <= bytes.count {
            let end = scan(bytes, from: position, until: ASCII.comma)
            if let candidate = evaluateEntry(bytes, (position, end)),
               candidate.format == .prometheusText || offering.contains(candidate.format),
               candidate.quality > bestQuality {
                best = candidate.format
                bestQuality = candidate.quality
            }
            position = end + 1
        }
        return best
    }

    /// Evaluates one media range: its format (if supported) and its quality in thousandths.
    /// Returns `nil` for unsupported, unacceptable (`q=0`) or malformed entries.
    private static func evaluateEntry(
        _ bytes: UnsafeBufferPointer<UInt8>, _ entry: Span
    ) -> (format: ExpositionFormat, quality: Int)? {
        let rangeEnd = scan(bytes, from: entry.lower, until: ASCII.semicolon, limit: entry.upper)
        let mediaRange = trim(bytes, (entry.lower, rangeEnd))

        var quality = 1000
        var version: Span?
        var parameters = ProtobufParameters()
        var position = rangeEnd + 1
        while position <= entry.upper {
            let paramEnd = scan(bytes, from: position, until: ASCII.semicolon, limit: entry.upper)
            let param = trim(bytes, (position, paramEnd))
            position = paramEnd + 1
            guard param.upper > param.lower else { continue }
            guard let equals = firstIndex(of: ASCII.equals, in: bytes, param) else { continue }
            let name = trim(bytes, (param.lower, equals))
            let value = trim(bytes, (equals + 1, param.upper))
            if equalsIgnoringCase(bytes, name, "q") {
                guard let parsed = parseQuality(bytes, value) else { return nil }
                quality = parsed
            } else if equalsIgnoringCase(bytes, name, "version") {
                version = unquote(bytes, value)
            } else if equalsIgnoringCase(bytes, name, "proto") {
                parameters.proto = unquote(bytes, value)
            } else if equalsIgnoringCase(bytes, name, "encoding") {
                parameters.encoding = unquote(bytes, value)
            }
        }
        guard quality > 0,
            let format = format(bytes, mediaRange: mediaRange, version: version, protobuf: parameters)
        else {
            return nil
        }
        return (format, quality)
    }

    /// The parameters that select the protobuf format.
    private struct ProtobufParameters {
        var proto: Span?
        var encoding: Span?
    }

    /// Maps a media range plus its `version` (text) or `proto` and `encoding` (protobuf)
    /// parameters to a supported format.
    private static func format(
        _ bytes: UnsafeBufferPointer<UInt8>, mediaRange: Span, version: Span?, protobuf: ProtobufParameters
    ) -> ExpositionFormat? {
        if equalsIgnoringCase(bytes, mediaRange, "application/vnd.google.protobuf") {
            // The message name is case-sensitive; the encoding is a token.
            guard let proto = protobuf.proto, let encoding = protobuf.encoding,
                equals(bytes, proto, "io.prometheus.client.MetricFamily"),
                equalsIgnoringCase(bytes, encoding, "delimited")
            else { return nil }
            return .protobuf
        }
        if equalsIgnoringCase(bytes, mediaRange, "application/openmetrics-text") {
            guard let version else { return .openMetrics }
            if equalsIgnoringCase(bytes, version, "1.0.0") || equalsIgnoringCase(bytes, version, "0.0.1") {
                return .openMetrics
            }
            return nil
        }
        if equalsIgnoringCase(bytes, mediaRange, "text/plain") {
            guard let version else { return .prometheusText }
            return equalsIgnoringCase(bytes, version, "0.0.4") ? .prometheusText : nil
        }
        if equalsIgnoringCase(bytes, mediaRange, "text/*") || equalsIgnoringCase(bytes, mediaRange, "*/*") {
            return .prometheusText
        }
        return nil
    }

    /// Parses an RFC 9110 `qvalue` into thousandths: `0[.ddd]` or `1[.000]`; `nil` when malformed.
    private static func parseQuality(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Span) -> Int? {
        let length = span.upper - span.lower
        guard length >= 1, length <= 5 else { return nil }
        let lead = bytes[span.lower]
        guard lead == ASCII.zero || lead == ASCII.one else { return nil }
        var thousandths = lead == ASCII.one ? 1000 : 0
        guard length > 1 else { return thousandths }
        guard bytes[span.lower + 1] == ASCII.dot else { return nil }
        var scale = 100
        for index in (span.lower + 2)..<span.upper {
            let byte = bytes[index]
            guard byte >= ASCII.zero, byte <= ASCII.nine else { return nil }
            thousandths += Int(byte - ASCII.zero) * scale
            scale /= 10
        }
        return thousandths <= 1000 ? thousandths : nil
    }

    /// Index of the first `delimiter` at or after `start` (outside quoted strings), or `limit`.
    private static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, from start: Int, until delimiter: UInt8, limit: Int? = nil
    ) -> Int {
        let end = limit ?? bytes.count
        var index = start
        var inQuotes = false
        while index < end {
            let byte = bytes[index]
            if inQuotes {
                if byte == ASCII.backslash {
                    index += 1
                } else if byte == ASCII.quote {
                    inQuotes = false
                }
            } else if byte == ASCII.quote {
                inQuotes = true
            } else if byte == delimiter {
                return index
            }
            index += 1
        }
        return end
    }

    /// First index of `byte` within `span`, if any.
    private static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, _ span: Span) -> Int? {
        var index = span.lower
        while index < span.upper {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    /// `span` without leading and trailing spaces and tabs.
    private static func trim(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Span) -> Span {
        var lower = span.lower
        var upper = max(span.upper, lower)
        while lower < upper, bytes[lower] == ASCII.space || bytes[lower] == ASCII.tab { lower += 1 }
        while upper > lower, bytes[upper - 1] == ASCII.space || bytes[upper - 1] == ASCII.tab { upper -= 1 }
        return (lower, upper)
    }

    /// `span` without surrounding double quotes, if it is a quoted string.
    private static func unquote(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Span) -> Span {
        if span.upper - span.lower >= 2, bytes[span.lower] == ASCII.quote, bytes[span.upper - 1] == ASCII.quote {
            return (span.lower + 1, span.upper - 1)
        }
        return span
    }

    /// Byte-exact comparison of `span` with `literal`.
    private static func equals(
        _ bytes: UnsafeBufferPointer<UInt8>, _ span: Span, _ literal: StaticString
    ) -> Bool {
        guard span.upper - span.lower == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount where bytes[span.lower + offset] != expected[offset] {
            return false
        }
        return true
    }

    /// ASCII case-insensitive comparison of `span` with the lowercase ASCII `literal`.
    private static func equalsIgnoringCase(
        _ bytes: UnsafeBufferPointer<UInt8>, _ span: Span, _ literal: StaticString
    ) -> Bool {
        guard span.upper - span.lower == literal.utf8CodeUnitCount else { return false }
        let expected = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount {
            var byte = bytes[span.lower + offset]
            if ASCII.isUpper(byte) { byte |= 0x20 }
            if byte != expected[offset] { return false }
        }
        return true
    }
}
