/// Number grammars of the two exposition formats.
///
/// * OpenMetrics values: a real number or exactly `+Inf`, `-Inf`, `NaN`.
/// * OpenMetrics timestamps: a finite real number (float seconds).
/// * Text format values: what Go's `strconv.ParseFloat` accepts (decimal, hexadecimal with
///   a `p` exponent, case-insensitive `inf`/`infinity`/`nan`), except digit-separating
///   underscores, which we reject.
/// * Text format timestamps: a signed 64-bit integer (milliseconds).
///
/// Decimal literals whose magnitude overflows a `Double` are rejected, as Go's ParseFloat does.
enum NumberSyntax {
    // MARK: OpenMetrics

    /// An OpenMetrics sample or exemplar value.
    static func openMetricsValue(_ token: ArraySlice<UInt8>) -> Double? {
        switch String(decoding: token, as: UTF8.self) {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return openMetricsRealNumber(token)
        }
    }

    /// A finite OpenMetrics real number: `[sign] digits [. digits] [e [sign] digits]`.
    static func openMetricsRealNumber(_ token: ArraySlice<UInt8>) -> Double? {
        guard isDecimalLiteral(token) else { return nil }
        return finiteDouble(token)
    }

    /// A histogram `le` or summary `quantile` label value in OpenMetrics: a real number or
    /// exactly `+Inf` / `-Inf` (never NaN).
    static func openMetricsBound(_ text: String) -> Double? {
        switch text {
        case "+Inf": return .infinity
        case "-Inf": return -.infinity
        default: return openMetricsRealNumber(ArraySlice(text.utf8))
        }
    }

    // MARK: Text format 0.0.4

    /// A text-format value as Go's `strconv.ParseFloat` would accept it.
    static func goFloat(_ token: ArraySlice<UInt8>) -> Double? {
        if let special = goSpecial(token) {
            return special
        }
        guard isDecimalLiteral(token) || isHexLiteral(token) else { return nil }
        return finiteDouble(token)
    }

    /// A text-format timestamp: a signed 64-bit integer number of milliseconds.
    static func milliseconds(_ token: ArraySlice<UInt8>) -> Int64? {
        var digits = token
        if let first = digits.first, first == ASCII.plus || first == ASCII.minus {
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy(ASCII.isDigit) else { return nil }
        return Int64(String(decoding: token, as: UTF8.self))
    }

    // MARK: Grammar helpers

    /// `[sign] (digits [. digits*] | . digits) [(e|E) [sign] digits]`.
    private static func isDecimalLiteral(_ token: ArraySlice<UInt8>) -> Bool {
        var index = token.startIndex
        skipSign(token, &index)
        let integerDigits = skipDigits(token, &index, where: ASCII.isDigit)
        var fractionDigits = 0
        if index < token.endIndex, token[index] == ASCII.dot {
            index += 1
            fractionDigits = skipDigits(token, &index, where: ASCII.isDigit)
        }
        guard integerDigits + fractionDigits > 0 else { return false }
        if index < token.endIndex, token[index] == ASCII.lowerE || token[index] == ASCII.upperE {
            index += 1
            skipSign(token, &index)
            guard skipDigits(token, &index, where: ASCII.isDigit) > 0 else { return false }
        }
        return index == token.endIndex
    }

    /// `[sign] 0x hexdigits [. hexdigits] (p|P) [sign] digits` (Go requires the exponent).
    private static func isHexLiteral(_ token: ArraySlice<UInt8>) -> Bool {
        var index = token.startIndex
        skipSign(token, &index)
        guard token.endIndex - index > 2, token[index] == ASCII.zero,
              token[index + 1] == ASCII.lowerX || token[index + 1] == ASCII.upperX
        else { return false }
        index += 2
        var mantissaDigits = skipDigits(token, &index, where: ASCII.isHexDigit)
        if index < token.endIndex, token[index] == ASCII.dot {
            index += 1
            mantissaDigits += skipDigits(token, &index, where: ASCII.isHexDigit)
        }
        guard mantissaDigits > 0, index < token.endIndex,
              token[index] == ASCII.lowerP || token[index] == ASCII.upperP
        else { return false }
        index += 1
        skipSign(token, &index)
        guard skipDigits(token, &index, where: ASCII.isDigit) > 0 else { return false }
        return index == token.endIndex
    }

    /// Go's special spellings: `[sign](inf|infinity)` and `nan`, case-insensitive.
    private static func goSpecial(_ token: ArraySlice<UInt8>) -> Double? {
        let lowered = String(decoding: token, as: UTF8.self).lowercased()
        switch lowered {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan": return .nan
        default: return nil
        }
    }

    private static func skipSign(_ token: ArraySlice<UInt8>, _ index: inout Int) {
        if index < token.endIndex, token[index] == ASCII.plus || token[index] == ASCII.minus {
            index += 1
        }
    }

    private static func skipDigits(
        _ token: ArraySlice<UInt8>,
        _ index: inout Int,
        where isDigit: (UInt8) -> Bool
    ) -> Int {
        let start = index
        while index < token.endIndex, isDigit(token[index]) {
            index += 1
        }
        return index - start
    }

    /// Converts an already validated literal; nil when it overflows to infinity.
    private static func finiteDouble(_ token: ArraySlice<UInt8>) -> Double? {
        guard let value = Double(String(decoding: token, as: UTF8.self)), value.isFinite else {
            return nil
        }
        return value
    }
}
