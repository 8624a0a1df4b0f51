/// Feeds lines to the assembler, dispatching on their kind.
struct ExpositionLineReader {
    let syntax: ExpositionSyntax
    private var assembler: ExpositionAssembler
    private var sawEndOfFile = false

    init(syntax: ExpositionSyntax) {
        self.syntax = syntax
        self.assembler = ExpositionAssembler(syntax: syntax)
    }

    mutating func read(_ line: ArraySlice<UInt8>, lineNumber: Int) throws(ExpositionParseError) {
        try checkEncoding(line, lineNumber: lineNumber)
        guard !sawEndOfFile else {
            throw ExpositionParseError(line: lineNumber, reason: "content after # EOF")
        }
        var cursor = LineCursor(bytes: line, lineNumber: lineNumber)
        if syntax == .prometheusText {
            cursor.skipBlanks()
            if cursor.isAtEnd { return }
        } else if cursor.isAtEnd {
            throw cursor.failure("blank lines are not allowed in OpenMetrics")
        }
        if cursor.current == ASCII.hash {
            try readComment(&cursor)
        } else {
            let sample = try SampleLineParser(syntax: syntax).parse(&cursor)
            try assembler.add(sample, line: lineNumber)
        }
    }

    mutating func finish(lineCount: Int) throws(ExpositionParseError) -> ParsedExposition {
        if syntax == .openMetrics, !sawEndOfFile {
            throw ExpositionParseError(line: max(lineCount, 1), reason: "missing the final # EOF line")
        }
        return try assembler.finish()
    }

    private mutating func readComment(_ cursor: inout LineCursor) throws(ExpositionParseError) {
        switch try CommentLineParser(syntax: syntax).parse(&cursor) {
        case .endOfFile:
            sawEndOfFile = true
        case .metadata(let metadata):
            try assembler.add(metadata, line: cursor.lineNumber)
        case .ignored:
            break
        }
    }

    private func checkEncoding(_ line: ArraySlice<UInt8>, lineNumber: Int) throws(ExpositionParseError) {
        // A raw carriage return is legal inside label values and help text (the OpenMetrics ABNF's
        // normal-char covers %x0D, and Go's encoder writes it unescaped); as a line ending it is not.
        if line.last == ASCII.carriageReturn {
            throw ExpositionParseError(line: lineNumber, reason: "line ends with a carriage return; lines must end with \\n only")
        }
        if String(validating: line, as: UTF8.self) == nil {
            throw ExpositionParseError(line: lineNumber, reason: "invalid UTF-8")
        }
    }
}
