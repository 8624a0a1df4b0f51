/// What a line starting with `#` turned out to be.
enum CommentLine {
    case metadata(MetadataLine)
    /// OpenMetrics `# EOF`.
    case endOfFile
    /// A text-format comment that carries no metadata.
    case ignored
}

/// Parses lines starting with `#`.
///
/// OpenMetrics allows exactly `# HELP name text`, `# TYPE name type`, `# UNIT name unit`
/// and `# EOF`, single spaces only. Text format: `#` then optional blanks; `HELP` and `TYPE`
/// lines are metadata (blank-separated), every other comment is ignored, including `# EOF`.
struct CommentLineParser {
    let syntax: ExpositionSyntax

    private static let endOfFileMarker = Array("# EOF".utf8)

    func parse(_ cursor: inout LineCursor) throws(ExpositionParseError) -> CommentLine {
        switch syntax {
        case .openMetrics: return try parseOpenMetrics(&cursor)
        case .prometheusText: return try parseText(&cursor)
        }
    }

    // MARK: OpenMetrics

    private func parseOpenMetrics(_ cursor: inout LineCursor) throws(ExpositionParseError) -> CommentLine {
        if cursor.remainder.elementsEqual(Self.endOfFileMarker) { return .endOfFile }
        try cursor.expect(ASCII.hash, "'#'")
        try cursor.expect(ASCII.space, "a space after '#' (OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF)")
        let keyword = String(decoding: cursor.readToken { $0 == ASCII.space }, as: UTF8.self)
        guard ["HELP", "TYPE", "UNIT"].contains(keyword) else {
            throw cursor.failure("unknown comment '# \(keyword)' (OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF)")
        }
        try cursor.expect(ASCII.space, "a space after '# \(keyword)'")
        let name = try cursor.readMetricName()
        try cursor.expect(ASCII.space, "a space after the metric name in '# \(keyword)'")
        let text = cursor.readRemainder()
        let content: MetadataLine.Content
        switch keyword {
        case "HELP":
            content = .help(try EscapeRules.help(syntax).unescape(text, lineNumber: cursor.lineNumber))
        case "TYPE":
            content = .type(try metricType(text, cursor: cursor))
        default:
            guard text.allSatisfy(ASCII.isMetricNameCharacter) else {
                throw cursor.failure("invalid unit '\(String(decoding: text, as: UTF8.self))'")
            }
            content = .unit(String(decoding: text, as: UTF8.self))
        }
        return .metadata(MetadataLine(familyName: name, content: content))
    }

    // MARK: Text format 0.0.4

    private func parseText(_ cursor: inout LineCursor) throws(ExpositionParseError) -> CommentLine {
        try cursor.expect(ASCII.hash, "'#'")
        cursor.skipBlanks()
        let keyword = String(decoding: cursor.readToken(until: ASCII.isBlank), as: UTF8.self)
        guard keyword == "HELP" || keyword == "TYPE" else { return .ignored }
        guard cursor.skipBlanks() > 0 else {
            throw cursor.failure("missing metric name after '# \(keyword)'")
        }
        let name = try cursor.readMetricName()
        let blanksAfterName = cursor.skipBlanks()
        guard cursor.isAtEnd || blanksAfterName > 0 else {
            throw cursor.failure("expected whitespace after the metric name in '# \(keyword)', found \(cursor.describeCurrent)")
        }
        if keyword == "HELP" {
            let help = try EscapeRules.help(syntax).unescape(cursor.readRemainder(), lineNumber: cursor.lineNumber)
            return .metadata(MetadataLine(familyName: name, content: .help(help)))
        }
        let token = cursor.readToken(until: ASCII.isBlank)
        cursor.skipBlanks()
        guard cursor.isAtEnd else {
            throw cursor.failure("trailing content after the type in '# TYPE' (found \(cursor.describeCurrent))")
        }
        return .metadata(MetadataLine(familyName: name, content: .type(try metricType(token, cursor: cursor))))
    }

    private func metricType(_ token: ArraySlice<UInt8>, cursor: LineCursor) throws(ExpositionParseError) -> ParsedMetricType {
        let name = String(decoding: token, as: UTF8.self)
        guard let type = ParsedMetricType(named: name, syntax: syntax) else {
            let allowed = syntax == .openMetrics
                ? "counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown"
                : "counter, gauge, histogram, summary, untyped"
            throw cursor.failure("invalid metric type '\(name)' (expected one of \(allowed))")
        }
        return type
    }
}
