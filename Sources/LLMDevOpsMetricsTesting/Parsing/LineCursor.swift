/// A read position inside one line (without its `\n`), with the lexical primitives shared by
/// both formats. Errors it creates carry the line number.
struct LineCursor {
    let bytes: ArraySlice<UInt8>
    let lineNumber: Int
    private(set) var position: Int

    init(bytes: ArraySlice<UInt8>, lineNumber: Int) {
        self.bytes = bytes
        self.lineNumber = lineNumber
        self.position = bytes.startIndex
    }

    var isAtEnd: Bool { position >= bytes.endIndex }

    /// The byte at the read position, or nil at the end of the line.
    var current: UInt8? { isAtEnd ? nil : bytes[position] }

    /// The unread rest of the line.
    var remainder: ArraySlice<UInt8> { bytes[position...] }

    func failure(_ reason: String) -> ExpositionParseError {
        ExpositionParseError(line: lineNumber, reason: reason)
    }

    mutating func advance() {
        if !isAtEnd { position += 1 }
    }

    /// Consumes `byte` if it is next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard current == byte else { return false }
        position += 1
        return true
    }

    /// Consumes `byte` or fails with "expected <what>".
    mutating func expect(_ byte: UInt8, _ what: String) throws(ExpositionParseError) {
        guard consume(byte) else {
            throw failure("expected \(what) at column \(column), found \(describeCurrent)")
        }
    }

    /// Skips spaces and tabs; returns how many were skipped.
    @discardableResult
    mutating func skipBlanks() -> Int {
        let start = position
        while let byte = current, ASCII.isBlank(byte) { position += 1 }
        return position - start
    }

    /// Reads bytes up to (not including) the first byte matching `isSeparator`, or the end.
    mutating func readToken(until isSeparator: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let start = position
        while let byte = current, !isSeparator(byte) { position += 1 }
        return bytes[start..<position]
    }

    /// Reads the rest of the line.
    mutating func readRemainder() -> ArraySlice<UInt8> {
        let rest = remainder
        position = bytes.endIndex
        return rest
    }

    /// Reads a metric name `[a-zA-Z_:][a-zA-Z0-9_:]*`.
    mutating func readMetricName() throws(ExpositionParseError) -> String {
        guard let first = current, ASCII.isMetricNameStart(first) else {
            throw failure("expected a metric name at column \(column), found \(describeCurrent)")
        }
        let name = readToken { !ASCII.isMetricNameCharacter($0) }
        return String(decoding: name, as: UTF8.self)
    }

    /// Reads a label name `[a-zA-Z_][a-zA-Z0-9_]*`.
    mutating func readLabelName() throws(ExpositionParseError) -> String {
        guard let first = current, ASCII.isLabelNameStart(first) else {
            throw failure("expected a label name at column \(column), found \(describeCurrent)")
        }
        let name = readToken { !ASCII.isLabelNameCharacter($0) }
        return String(decoding: name, as: UTF8.self)
    }

    /// 1-based column of the read position.
    var column: Int { position - bytes.startIndex + 1 }

    /// The next character for error messages.
    var describeCurrent: String {
        guard let byte = current else { return "end of line" }
        switch byte {
        case ASCII.space: return "a space"
        case ASCII.tab: return "a tab"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        default: return "byte 0x\(String(byte, radix: 16))"
        }
    }
}
