/// Byte constants and character classes used by the line parsers.
enum ASCII {
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let hash = UInt8(ascii: "#")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let equals = UInt8(ascii: "=")
    static let comma = UInt8(ascii: ",")
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let plus = UInt8(ascii: "+")
    static let minus = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
    static let underscore = UInt8(ascii: "_")
    static let colon = UInt8(ascii: ":")
    static let lowerE = UInt8(ascii: "e")
    static let upperE = UInt8(ascii: "E")
    static let lowerN = UInt8(ascii: "n")
    static let lowerX = UInt8(ascii: "x")
    static let upperX = UInt8(ascii: "X")
    static let lowerP = UInt8(ascii: "p")
    static let upperP = UInt8(ascii: "P")

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte)
            || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    static func isBlank(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// `[a-zA-Z_:]`
    static func isMetricNameStart(_ byte: UInt8) -> Bool {
        isLetter(byte) || byte == underscore || byte == colon
    }

    /// `[a-zA-Z0-9_:]`
    static func isMetricNameCharacter(_ byte: UInt8) -> Bool {
        isMetricNameStart(byte) || isDigit(byte)
    }

    /// `[a-zA-Z_]`
    static func isLabelNameStart(_ byte: UInt8) -> Bool {
        isLetter(byte) || byte == underscore
    }

    /// `[a-zA-Z0-9_]`
    static func isLabelNameCharacter(_ byte: UInt8) -> Bool {
        isLabelNameStart(byte) || isDigit(byte)
    }
}
