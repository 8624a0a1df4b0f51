/// A PromQL tokenizer, enough to tell metric names from functions, keywords, label names,
/// strings, numbers and durations. Grafana's template variables (`$model`, `${model}`,
/// `$__rate_interval`) are tokens of their own, so dashboard queries lex as they are written.
struct PromQLToken: Equatable, Sendable, CustomStringConvertible {
    enum Kind: Equatable, Sendable {
        /// A name: metric, function, keyword or label (`[a-zA-Z_:][a-zA-Z0-9_:]*`).
        case identifier
        /// A number or a duration (`0.99`, `1e-3`, `0x1F`, `5m`, `1h30m`, `Inf` is an identifier).
        case number
        /// A quoted string; `text` is the unescaped content.
        case string
        /// A Grafana variable; `text` is its name without `$` and braces.
        case variable
        /// Punctuation and operators: `( ) { } [ ] , = == != =~ !~ < <= > >= + - * / % ^ @ :`.
        case symbol
    }

    var kind: Kind
    var text: String
    /// Offset of the token's first character in the expression, for error messages.
    var offset: Int

    var description: String { "\(kind) \(text)" }
}

struct PromQLSyntaxError: Error, CustomStringConvertible, Equatable {
    var offset: Int
    var reason: String
    var description: String { "at \(offset): \(reason)" }
}

enum PromQLLexer {
    static func tokenize(_ expression: String) throws(PromQLSyntaxError) -> [PromQLToken] {
        let characters = Array(expression.unicodeScalars)
        var tokens: [PromQLToken] = []
        var position = 0

        func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
            position + ahead < characters.count ? characters[position + ahead] : nil
        }

        while let character = peek() {
            let start = position
            switch character {
            case " ", "\t", "\n", "\r":
                position += 1
            case "#":
                // A comment runs to the end of the line.
                while let next = peek(), next != "\n" { position += 1 }
            case "\"", "'", "`":
                position += 1
                var text = ""
                var closed = false
                while let next = peek() {
                    position += 1
                    if next == character {
                        closed = true
                        break
                    }
                    if next == "\\" && character != "`" {
                        guard let escaped = peek() else { break }
                        position += 1
                        switch escaped {
                        case "n": text.unicodeScalars.append("\n")
                        case "t": text.unicodeScalars.append("\t")
                        default: text.unicodeScalars.append(escaped)
                        }
                    } else {
                        text.unicodeScalars.append(next)
                    }
                }
                guard closed else { throw PromQLSyntaxError(offset: start, reason: "unterminated string") }
                tokens.append(PromQLToken(kind: .string, text: text, offset: start))
            case "$":
                position += 1
                var name = ""
                if peek() == "{" {
                    position += 1
                    while let next = peek(), next != "}" {
                        name.unicodeScalars.append(next)
                        position += 1
                    }
                    guard peek() == "}" else { throw PromQLSyntaxError(offset: start, reason: "unterminated ${variable}") }
                    position += 1
                    // ${var:format} and ${var.field}: the variable is the part before the modifier.
                    name = String(name.prefix { $0 != ":" && $0 != "." })
                } else {
                    while let next = peek(), isIdentifierContinuation(next) && next != ":" {
                        name.unicodeScalars.append(next)
                        position += 1
                    }
                }
                guard !name.isEmpty else { throw PromQLSyntaxError(offset: start, reason: "empty variable name") }
                tokens.append(PromQLToken(kind: .variable, text: name, offset: start))
            case _ where isDigit(character) || (character == "." && peek(1).map(isDigit) == true):
                var text = ""
                while let next = peek() {
                    if isDigit(next) || isLetter(next) || next == "." || next == "_" {
                        // An exponent may carry a sign: 1e-3, 2.5E+4.
                        if (next == "e" || next == "E"), let sign = peek(1), sign == "-" || sign == "+",
                            let digit = peek(2), isDigit(digit), !text.hasPrefix("0x")
                        {
                            text.unicodeScalars.append(next)
                            text.unicodeScalars.append(sign)
                            position += 2
                            continue
                        }
                        text.unicodeScalars.append(next)
                        position += 1
                    } else {
                        break
                    }
                }
                tokens.append(PromQLToken(kind: .number, text: text, offset: start))
            case _ where isLetter(character) || character == "_" || character == ":":
                var text = ""
                while let next = peek(), isIdentifierContinuation(next) {
                    text.unicodeScalars.append(next)
                    position += 1
                }
                tokens.append(PromQLToken(kind: .identifier, text: text, offset: start))
            default:
                let two = peek(1).map { String(character) + String($0) }
                if let two, ["==", "!=", "=~", "!~", "<=", ">="].contains(two) {
                    position += 2
                    tokens.append(PromQLToken(kind: .symbol, text: two, offset: start))
                } else if "(){}[],=<>+-*/%^@".unicodeScalars.contains(character) {
                    position += 1
                    tokens.append(PromQLToken(kind: .symbol, text: String(character), offset: start))
                } else {
                    throw PromQLSyntaxError(offset: start, reason: "unexpected character \(character)")
                }
            }
        }
        return tokens
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isIdentifierContinuation(_ scalar: Unicode.Scalar) -> Bool {
        isLetter(scalar) || isDigit(scalar) || scalar == "_" || scalar == ":"
    }
}
