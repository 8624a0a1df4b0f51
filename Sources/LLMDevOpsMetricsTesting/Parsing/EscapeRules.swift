/// Unescaping of label values and HELP text.
///
/// Text format 0.0.4 is strict: label values know `\\`, `\"`, `\n`; HELP knows `\\`, `\n`;
/// any other escape is an error. OpenMetrics knows `\\`, `\"`, `\n` in both places and keeps
/// any other backslash sequence literally, as the OpenMetrics conformance suite requires
/// (cases `escaping`, `label_escaping`, `help_escaping`).
struct EscapeRules {
    let syntax: ExpositionSyntax
    /// Whether `\"` is an escape (label values; OpenMetrics HELP) or an error (text HELP).
    let allowsEscapedQuote: Bool

    static func labelValue(_ syntax: ExpositionSyntax) -> EscapeRules {
        EscapeRules(syntax: syntax, allowsEscapedQuote: true)
    }

    static func help(_ syntax: ExpositionSyntax) -> EscapeRules {
        EscapeRules(syntax: syntax, allowsEscapedQuote: syntax == .openMetrics)
    }

    /// Decodes the escape sequence whose backslash was just consumed.
    ///
    /// - Parameter next: the byte after the backslash, nil at the end of the line.
    /// - Returns: the bytes to append, and whether `next` was consumed.
    func decode(after next: UInt8?, cursor: LineCursor) throws(ExpositionParseError) -> (bytes: [UInt8], consumedNext: Bool) {
        switch next {
        case ASCII.backslash?:
            return ([ASCII.backslash], true)
        case ASCII.lowerN?:
            return ([ASCII.newline], true)
        case ASCII.quote? where allowsEscapedQuote:
            return ([ASCII.quote], true)
        default:
            guard syntax == .openMetrics else {
                throw cursor.failure("invalid escape sequence '\\\(describe(next))' at column \(cursor.column - 1)")
            }
            return ([ASCII.backslash], false)
        }
    }

    /// Unescapes a whole HELP text.
    func unescape(_ text: ArraySlice<UInt8>, lineNumber: Int) throws(ExpositionParseError) -> String {
        var cursor = LineCursor(bytes: text, lineNumber: lineNumber)
        var output: [UInt8] = []
        output.reserveCapacity(text.count)
        while let byte = cursor.current {
            cursor.advance()
            guard byte == ASCII.backslash else {
                output.append(byte)
                continue
            }
            let decoded = try decode(after: cursor.current, cursor: cursor)
            output.append(contentsOf: decoded.bytes)
            if decoded.consumedNext { cursor.advance() }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private func describe(_ byte: UInt8?) -> String {
        guard let byte else { return "<end of line>" }
        return String(decoding: [byte], as: UTF8.self)
    }
}
