/// Parses one sample line into a `ParsedSample` (syntax only; family rules come later).
struct SampleLineParser {
    let syntax: ExpositionSyntax

    /// Exemplar label names plus values may hold at most this many code points.
    static let maximumExemplarLabelLength = 128

    func parse(_ cursor: inout LineCursor) throws(ExpositionParseError) -> ParsedSample {
        switch syntax {
        case .openMetrics: return try parseOpenMetrics(&cursor)
        case .prometheusText: return try parseText(&cursor)
        }
    }

    // MARK: OpenMetrics

    /// `name[{labels}] SP value [SP timestamp] [SP # SP {labels} SP value [SP timestamp]]`
    private func parseOpenMetrics(_ cursor: inout LineCursor) throws(ExpositionParseError) -> ParsedSample {
        let name = try cursor.readMetricName()
        let labels = cursor.current == ASCII.openBrace ? try LabelSetParser(syntax: syntax).parse(&cursor) : [:]
        try cursor.expect(ASCII.space, "a single space before the value")
        let value = try readValue(&cursor)
        var sample = ParsedSample(name: name, labels: labels, value: value)
        guard !cursor.isAtEnd else { return sample }
        try cursor.expect(ASCII.space, "a space after the value")
        if cursor.current != ASCII.hash {
            sample.timestamp = try readOpenMetricsTimestamp(&cursor, what: "timestamp")
            guard !cursor.isAtEnd else { return sample }
            try cursor.expect(ASCII.space, "a space after the timestamp")
        }
        sample.exemplar = try parseExemplar(&cursor)
        return sample
    }

    private func parseExemplar(_ cursor: inout LineCursor) throws(ExpositionParseError) -> ParsedExemplar {
        try cursor.expect(ASCII.hash, "'#' starting an exemplar")
        try cursor.expect(ASCII.space, "a space after the exemplar '#'")
        guard cursor.current == ASCII.openBrace else {
            throw cursor.failure("expected '{' starting the exemplar label set, found \(cursor.describeCurrent)")
        }
        let labels = try LabelSetParser(syntax: syntax).parse(&cursor)
        let length = labels.reduce(0) { $0 + $1.key.unicodeScalars.count + $1.value.unicodeScalars.count }
        guard length <= Self.maximumExemplarLabelLength else {
            throw cursor.failure("exemplar labels have \(length) code points, more than \(Self.maximumExemplarLabelLength)")
        }
        try cursor.expect(ASCII.space, "a space before the exemplar value")
        var exemplar = ParsedExemplar(labels: labels, value: try readValue(&cursor))
        guard !cursor.isAtEnd else { return exemplar }
        try cursor.expect(ASCII.space, "a space after the exemplar value")
        exemplar.timestamp = try readOpenMetricsTimestamp(&cursor, what: "exemplar timestamp")
        guard cursor.isAtEnd else {
            throw cursor.failure("trailing content after the exemplar (found \(cursor.describeCurrent))")
        }
        return exemplar
    }

    private func readValue(_ cursor: inout LineCursor) throws(ExpositionParseError) -> Double {
        let token = cursor.readToken { $0 == ASCII.space }
        guard let value = NumberSyntax.openMetricsValue(token) else {
            throw cursor.failure("invalid value \(quoted(token))")
        }
        return value
    }

    private func readOpenMetricsTimestamp(_ cursor: inout LineCursor, what: String) throws(ExpositionParseError) -> Double {
        let token = cursor.readToken { $0 == ASCII.space }
        guard let timestamp = NumberSyntax.openMetricsRealNumber(token) else {
            throw cursor.failure("invalid \(what) \(quoted(token)) (must be a finite number of seconds)")
        }
        return timestamp
    }

    // MARK: Text format 0.0.4

    /// `name [{labels}] value [timestamp-ms]`, tokens separated by blanks.
    private func parseText(_ cursor: inout LineCursor) throws(ExpositionParseError) -> ParsedSample {
        let name = try cursor.readMetricName()
        let blanksAfterName = cursor.skipBlanks()
        var labels: [String: String] = [:]
        if cursor.current == ASCII.openBrace {
            labels = try LabelSetParser(syntax: syntax).parse(&cursor)
            cursor.skipBlanks()
        } else if blanksAfterName == 0, !cursor.isAtEnd {
            throw cursor.failure("expected whitespace or '{' after metric name '\(name)', found \(cursor.describeCurrent)")
        }
        let valueToken = cursor.readToken(until: ASCII.isBlank)
        guard !valueToken.isEmpty else { throw cursor.failure("missing value for '\(name)'") }
        guard let value = NumberSyntax.goFloat(valueToken) else {
            throw cursor.failure("invalid value \(quoted(valueToken))")
        }
        var sample = ParsedSample(name: name, labels: labels, value: value)
        cursor.skipBlanks()
        guard !cursor.isAtEnd else { return sample }
        let timestampToken = cursor.readToken(until: ASCII.isBlank)
        guard let milliseconds = NumberSyntax.milliseconds(timestampToken) else {
            throw cursor.failure("invalid timestamp \(quoted(timestampToken)) (must be integer milliseconds)")
        }
        sample.timestamp = Double(milliseconds) / 1000
        cursor.skipBlanks()
        guard cursor.isAtEnd else {
            throw cursor.failure("trailing content after the timestamp (found \(cursor.describeCurrent))")
        }
        return sample
    }

    private func quoted(_ token: ArraySlice<UInt8>) -> String {
        "'\(String(decoding: token, as: UTF8.self))'"
    }
}
