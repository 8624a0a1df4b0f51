/// ASCII byte constants and character classes for the byte-level code of this module: the
/// encoder's number formatter, the `Accept` parser, the name rules and the label-value screen.
/// (The test kit's parser keeps its own, so that it stays independent of what it checks.)
enum ASCII {
    static let newline = UInt8(ascii: "\n")
    static let tab = UInt8(ascii: "\t")
    static let space = UInt8(ascii: " ")
    static let quote = UInt8(ascii: "\"")
    static let plus = UInt8(ascii: "+")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let hyphen = minus
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let one = UInt8(ascii: "1")
    static let nine = UInt8(ascii: "9")
    static let colon = UInt8(ascii: ":")
    static let semicolon = UInt8(ascii: ";")
    static let equals = UInt8(ascii: "=")
    static let at = UInt8(ascii: "@")
    static let upperA = UInt8(ascii: "A")
    static let upperE = UInt8(ascii: "E")
    static let upperI = UInt8(ascii: "I")
    static let upperN = UInt8(ascii: "N")
    static let upperZ = UInt8(ascii: "Z")
    static let backslash = UInt8(ascii: "\\")
    static let underscore = UInt8(ascii: "_")
    static let lowerA = UInt8(ascii: "a")
    static let lowerE = UInt8(ascii: "e")
    static let lowerF = UInt8(ascii: "f")
    static let lowerN = UInt8(ascii: "n")
    static let lowerZ = UInt8(ascii: "z")

    /// `[0-9]`
    static func isDigit(_ byte: UInt8) -> Bool { byte >= zero && byte <= nine }
    /// `[A-Z]`
    static func isUpper(_ byte: UInt8) -> Bool { byte >= upperA && byte <= upperZ }
    /// `[a-z]`
    static func isLower(_ byte: UInt8) -> Bool { byte >= lowerA && byte <= lowerZ }
    /// `[a-zA-Z]`
    static func isLetter(_ byte: UInt8) -> Bool { isUpper(byte) || isLower(byte) }
    /// `[a-zA-Z0-9]`
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) }
    /// `[0-9a-fA-F]`
    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || ((byte | 0x20) >= lowerA && (byte | 0x20) <= lowerF)
    }
    /// `[a-zA-Z_]`: what a label name (and, with `:`, a metric name) starts with.
    static func isLetterOrUnderscore(_ byte: UInt8) -> Bool { isLetter(byte) || byte == underscore }
}
