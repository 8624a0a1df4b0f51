/// Parses a brace-enclosed label set `{name="value",...}`.
///
/// OpenMetrics: no whitespace, no trailing comma. Text format: blanks around tokens and a
/// trailing comma are allowed, as in Go's `expfmt` parser. Both: label names
/// `[a-zA-Z_][a-zA-Z0-9_]*`, unique within the set, values in double quotes.
struct LabelSetParser {
    let syntax: ExpositionSyntax

    private var isLenient: Bool { syntax == .prometheusText }

    func parse(_ cursor: inout LineCursor) throws(ExpositionParseError) -> [String: String] {
        try cursor.expect(ASCII.openBrace, "'{'")
        var labels: [String: String] = [:]
        skipBlanksIfLenient(&cursor)
        if cursor.consume(ASCII.closeBrace) { return labels }
        while true {
            let (name, value) = try parseLabel(&cursor)
            guard labels.updateValue(value, forKey: name) == nil else {
                throw cursor.failure("duplicate label name '\(name)'")
            }
            skipBlanksIfLenient(&cursor)
            if cursor.consume(ASCII.closeBrace) { return labels }
            try cursor.expect(ASCII.comma, "',' or '}' in label set")
            skipBlanksIfLenient(&cursor)
            if isLenient, cursor.consume(ASCII.closeBrace) { return labels }
        }
    }

    private func parseLabel(_ cursor: inout LineCursor) throws(ExpositionParseError) -> (String, String) {
        let name = try cursor.readLabelName()
        skipBlanksIfLenient(&cursor)
        try cursor.expect(ASCII.equals, "'=' after label name '\(name)'")
        skipBlanksIfLenient(&cursor)
        try cursor.expect(ASCII.quote, "'\"' opening the value of label '\(name)'")
        let value = try readQuotedValue(&cursor, labelName: name)
        return (name, value)
    }

    /// Reads an escaped label value up to and including its closing quote.
    private func readQuotedValue(_ cursor: inout LineCursor, labelName: String) throws(ExpositionParseError) -> String {
        let rules = EscapeRules.labelValue(syntax)
        var output: [UInt8] = []
        while let byte = cursor.current {
            cursor.advance()
            switch byte {
            case ASCII.quote:
                return String(decoding: output, as: UTF8.self)
            case ASCII.backslash:
                let decoded = try rules.decode(after: cursor.current, cursor: cursor)
                // An unknown OpenMetrics escape keeps its backslash; the next byte is then read
                // as ordinary content (it is neither `"` nor `\`, so it cannot close the value).
                output.append(contentsOf: decoded.bytes)
                if decoded.consumedNext { cursor.advance() }
            default:
                output.append(byte)
            }
        }
        throw cursor.failure("unterminated value of label '\(labelName)'")
    }

    private func skipBlanksIfLenient(_ cursor: inout LineCursor) {
        if isLenient { cursor.skipBlanks() }
    }
}
