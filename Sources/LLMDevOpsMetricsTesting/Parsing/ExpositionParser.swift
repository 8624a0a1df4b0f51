/// A strict parser for Prometheus text format 0.0.4 and OpenMetrics 1.0.0 expositions.
///
/// Both formats: UTF-8, `\n` line ends only, valid metric and label names, unique label
/// names, escapes `\\` `\"` `\n` in label values, families contiguous and each series once,
/// metadata before samples, counters/buckets/counts never negative or NaN, histogram buckets
/// cumulative with a `+Inf` bucket matching `_count`.
///
/// Text format 0.0.4: blank lines and free `#` comments allowed, `# EOF` is just a comment,
/// integer millisecond timestamps, numbers as Go's `strconv.ParseFloat` reads them, the last
/// line ends with `\n`.
///
/// OpenMetrics 1.0.0: the body ends with `# EOF` (a final `\n` after it is optional),
/// no blank lines, only `# HELP`/`# TYPE`/`# UNIT`/`# EOF` comments, float-second timestamps,
/// exemplars on counter `_total` and histogram `_bucket` samples, and the type rules of the
/// OpenMetrics conformance suite.
public enum ExpositionParser {
    /// Parses `text` as an exposition in `syntax`.
    public static func parse(_ text: String, syntax: ExpositionSyntax) throws(ExpositionParseError) -> ParsedExposition {
        try parse(Array(text.utf8), syntax: syntax)
    }

    /// Parses raw bytes (which must be UTF-8) as an exposition in `syntax`.
    public static func parse(_ bytes: [UInt8], syntax: ExpositionSyntax) throws(ExpositionParseError) -> ParsedExposition {
        var lines = bytes.split(separator: ASCII.newline, omittingEmptySubsequences: false)
        // The piece after the final `\n` (or of an empty body) is not a line.
        if lines.last?.isEmpty == true { lines.removeLast() }
        if syntax == .prometheusText, let last = bytes.last, last != ASCII.newline {
            throw ExpositionParseError(line: lines.count, reason: "the last line does not end with \\n")
        }
        var reader = ExpositionLineReader(syntax: syntax)
        for (offset, line) in lines.enumerated() {
            try reader.read(line, lineNumber: offset + 1)
        }
        return try reader.finish(lineCount: lines.count)
    }
}
