/// Validation, sanitising and escaping rules for metric names, label names and label values.
///
/// Metric names match `[a-zA-Z_:][a-zA-Z0-9_:]*` and label names `[a-zA-Z_][a-zA-Z0-9_]*`.
/// All checks work on UTF-8 bytes; no regular expressions are involved.
public enum MetricNameRules {
    /// Returns `true` if `s` is a non-empty metric name matching `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    ///
    /// Colons are valid (they are reserved for recording rules), so an exposer should still
    /// prefer ``sanitizeMetricName(_:)`` for names that come from outside.
    public static func isValidMetricName(_ s: String) -> Bool {
        var first = true
        for byte in s.utf8 {
            let allowed = first
                ? ASCII.isLetterOrUnderscore(byte) || byte == ASCII.colon
                : ASCII.isLetterOrUnderscore(byte) || ASCII.isDigit(byte) || byte == ASCII.colon
            guard allowed else { return false }
            first = false
        }
        return !first
    }

    /// Returns `true` if `s` is a non-empty label name matching `[a-zA-Z_][a-zA-Z0-9_]*`.
    ///
    /// Names starting with `__` match the pattern but are reserved for internal use;
    /// this check does not reject them.
    public static func isValidLabelName(_ s: String) -> Bool {
        var first = true
        for byte in s.utf8 {
            let allowed = first
                ? ASCII.isLetterOrUnderscore(byte)
                : ASCII.isLetterOrUnderscore(byte) || ASCII.isDigit(byte)
            guard allowed else { return false }
            first = false
        }
        return !first
    }

    /// Turns an arbitrary string into a valid metric name that contains no colons.
    ///
    /// Every Unicode scalar that is not `[a-zA-Z0-9_]` (including `:`, which is reserved for
    /// recording rules) becomes one `_`; a leading digit gets a `_` prefix; an empty input
    /// becomes `_`. A valid name without colons is returned unchanged.
    /// Examples: `"model.name"` → `model_name`, `"1st"` → `_1st`, `"a:b"` → `a_b`.
    public static func sanitizeMetricName(_ s: String) -> String {
        if isValidMetricName(s), !s.utf8.contains(ASCII.colon) { return s }
        return sanitize(s, collapseReservedPrefix: false)
    }

    /// Turns an arbitrary string into a valid label name that does not start with `__`.
    ///
    /// Every Unicode scalar that is not `[a-zA-Z0-9_]` becomes one `_`; a leading digit gets a
    /// `_` prefix; an empty input becomes `_`; a leading run of two or more underscores (the
    /// reserved `__` prefix) is reduced to a single `_`. A valid name that does not start with
    /// `__` is returned unchanged.
    /// Examples: `"model.name"` → `model_name`, `"__secret"` → `_secret`,
    /// `"héllo wörld"` → `h_llo_w_rld`, `""` → `_`.
    public static func sanitizeLabelName(_ s: String) -> String {
        if isValidLabelName(s), !s.utf8.starts(with: [ASCII.underscore, ASCII.underscore]) { return s }
        return sanitize(s, collapseReservedPrefix: true)
    }

    /// Appends `s` as an escaped label value: `\` → `\\`, `"` → `\"`, newline → `\n`;
    /// every other byte is copied verbatim. Strings that need no escaping are appended in one go.
    package static func appendEscapedLabelValue(_ s: String, to out: inout [UInt8]) {
        appendEscaped(s, escapeQuote: true, to: &out)
    }

    /// Appends `s` as escaped `# HELP` text.
    ///
    /// Text format 0.0.4 escapes only `\` and newline; OpenMetrics (`openMetrics: true`)
    /// additionally escapes `"`.
    package static func appendEscapedHelp(_ s: String, openMetrics: Bool, to out: inout [UInt8]) {
        let start = out.count
        appendEscaped(s, escapeQuote: openMetrics, to: &out)
        // A help text ending in a carriage return would end its line with "\r\n": readers take
        // that as a CRLF line ending (silently changing the text) or reject it. Drop it.
        while out.count > start, out.last == UInt8(ascii: "\r") { out.removeLast() }
    }

    // MARK: - Helpers

    /// Shared escaping loop with a no-escape fast path.
    private static func appendEscaped(_ s: String, escapeQuote: Bool, to out: inout [UInt8]) {
        let utf8 = s.utf8
        let needsEscaping = utf8.contains { byte in
            byte == ASCII.backslash || byte == ASCII.newline || (escapeQuote && byte == ASCII.quote)
        }
        guard needsEscaping else {
            out.append(contentsOf: utf8)
            return
        }
        out.reserveCapacity(out.count + utf8.count + 8)
        for byte in utf8 {
            switch byte {
            case ASCII.backslash:
                out.append(ASCII.backslash)
                out.append(ASCII.backslash)
            case ASCII.newline:
                out.append(ASCII.backslash)
                out.append(ASCII.lowerN)
            case ASCII.quote where escapeQuote:
                out.append(ASCII.backslash)
                out.append(ASCII.quote)
            default:
                out.append(byte)
            }
        }
    }

    /// Replaces disallowed scalars with `_`, prefixes a leading digit and handles the empty
    /// string; optionally reduces a leading run of underscores to one.
    private static func sanitize(_ s: String, collapseReservedPrefix: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 1)
        for scalar in s.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(truncatingIfNeeded: scalar.value)
                bytes.append(ASCII.isLetterOrUnderscore(byte) || ASCII.isDigit(byte) ? byte : ASCII.underscore)
            } else {
                bytes.append(ASCII.underscore)
            }
        }
        if let first = bytes.first {
            if ASCII.isDigit(first) { bytes.insert(ASCII.underscore, at: 0) }
        } else {
            bytes.append(ASCII.underscore)
        }
        if collapseReservedPrefix {
            var run = 0
            while run < bytes.count, bytes[run] == ASCII.underscore { run += 1 }
            if run >= 2 { bytes.removeFirst(run - 1) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
