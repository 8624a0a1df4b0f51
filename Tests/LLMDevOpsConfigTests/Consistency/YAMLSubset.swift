/// A reader for the block-style YAML subset our rule and rule-test files are written in, so
/// the tests can walk them without a YAML dependency: block mappings and sequences,
/// `- key: value` items, plain, single- and double-quoted scalars, `|` / `|-` / `>` block
/// scalars, `#` comments and flow sequences of scalars (`[a, "b"]`, `[]`).
///
/// Anything outside the subset (tabs, anchors, flow mappings, a line indented where no child
/// can start) throws rather than being guessed at. `ConfigToolTests` cross-checks the number
/// of rules this reader finds against `promtool check rules`, so the two cannot disagree
/// silently.
indirect enum YAMLValue: Equatable, Sendable {
    case scalar(String)
    case sequence([YAMLValue])
    case mapping([(key: String, value: YAMLValue)])

    static func == (lhs: YAMLValue, rhs: YAMLValue) -> Bool {
        switch (lhs, rhs) {
        case let (.scalar(a), .scalar(b)): a == b
        case let (.sequence(a), .sequence(b)): a == b
        case let (.mapping(a), .mapping(b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    /// The value under `key` in a mapping, or `nil`.
    subscript(key: String) -> YAMLValue? {
        guard case .mapping(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    var string: String? {
        if case .scalar(let text) = self { return text }
        return nil
    }

    var items: [YAMLValue] {
        if case .sequence(let items) = self { return items }
        return []
    }

    var entries: [(key: String, value: YAMLValue)] {
        if case .mapping(let entries) = self { return entries }
        return []
    }
}

struct YAMLSubsetError: Error, CustomStringConvertible, Equatable {
    var line: Int
    var reason: String
    var description: String { "line \(line): \(reason)" }
}

enum YAMLSubset {
    static func parse(_ text: String) throws(YAMLSubsetError) -> YAMLValue {
        var parser = Parser(text: text)
        return try parser.parseDocument()
    }

    private struct Line {
        var number: Int
        var indent: Int
        /// The line without its indentation (comments still in).
        var content: Substring
        var raw: Substring
    }

    private struct Parser {
        var lines: [Line]
        var index = 0

        init(text: String) {
            lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { offset, raw in
                let raw = raw.hasSuffix("\r") ? raw.dropLast() : raw
                let indent = raw.prefix { $0 == " " }.count
                return Line(number: offset + 1, indent: indent, content: raw.dropFirst(indent), raw: raw)
            }
        }

        static func isIgnorable(_ line: Line) -> Bool {
            line.content.isEmpty || line.content.hasPrefix("#")
        }

        mutating func skipIgnorable() {
            while index < lines.count, Self.isIgnorable(lines[index]) { index += 1 }
        }

        mutating func parseDocument() throws(YAMLSubsetError) -> YAMLValue {
            for line in lines where line.content.first == "\t" {
                throw YAMLSubsetError(line: line.number, reason: "tabs are not allowed in indentation")
            }
            skipIgnorable()
            if index < lines.count, lines[index].content.hasPrefix("---") { index += 1 }
            skipIgnorable()
            guard index < lines.count else { return .mapping([]) }
            let value = try parseNode(indent: lines[index].indent)
            skipIgnorable()
            if index < lines.count {
                throw YAMLSubsetError(line: lines[index].number, reason: "unexpected content at indentation \(lines[index].indent)")
            }
            return value
        }

        /// Parses the node whose first line is the current line, at exactly `indent`.
        mutating func parseNode(indent: Int) throws(YAMLSubsetError) -> YAMLValue {
            skipIgnorable()
            let line = lines[index]
            if line.content == "-" || line.content.hasPrefix("- ") {
                return try parseSequence(indent: indent)
            }
            if Self.splitKey(line.content) != nil {
                return try parseMapping(indent: indent)
            }
            index += 1
            return .scalar(try Self.inlineScalar(line.content, line: line.number))
        }

        mutating func parseSequence(indent: Int) throws(YAMLSubsetError) -> YAMLValue {
            var items: [YAMLValue] = []
            while true {
                skipIgnorable()
                guard index < lines.count else { break }
                let line = lines[index]
                guard line.indent == indent, line.content == "-" || line.content.hasPrefix("- ") else { break }
                let rest = line.content.dropFirst(1).drop { $0 == " " }
                if rest.isEmpty || rest.hasPrefix("#") {
                    index += 1
                    skipIgnorable()
                    guard index < lines.count, lines[index].indent > indent else {
                        items.append(.scalar(""))
                        continue
                    }
                    items.append(try parseNode(indent: lines[index].indent))
                } else {
                    // The item's content starts a node at the column after "- ".
                    let column = line.indent + (line.content.count - rest.count)
                    lines[index] = Line(number: line.number, indent: column, content: rest, raw: line.raw)
                    items.append(try parseNode(indent: column))
                }
            }
            return .sequence(items)
        }

        mutating func parseMapping(indent: Int) throws(YAMLSubsetError) -> YAMLValue {
            var entries: [(key: String, value: YAMLValue)] = []
            while true {
                skipIgnorable()
                guard index < lines.count else { break }
                let line = lines[index]
                guard line.indent == indent else {
                    if line.indent > indent {
                        throw YAMLSubsetError(line: line.number, reason: "unexpected indentation \(line.indent) (expected \(indent))")
                    }
                    break
                }
                if line.content.hasPrefix("- ") || line.content == "-" { break }
                guard let (key, value) = Self.splitKey(line.content) else {
                    throw YAMLSubsetError(line: line.number, reason: "expected `key: value`")
                }
                if entries.contains(where: { $0.key == key }) {
                    throw YAMLSubsetError(line: line.number, reason: "duplicate key \(key)")
                }
                index += 1
                let trimmed = Self.stripComment(value)
                if trimmed.isEmpty {
                    skipIgnorable()
                    if index < lines.count, lines[index].indent > indent {
                        entries.append((key, try parseNode(indent: lines[index].indent)))
                    } else if index < lines.count, lines[index].indent == indent,
                        lines[index].content == "-" || lines[index].content.hasPrefix("- ")
                    {
                        entries.append((key, try parseSequence(indent: indent)))
                    } else {
                        entries.append((key, .scalar("")))
                    }
                } else if let style = trimmed.first, style == "|" || style == ">" {
                    entries.append((key, .scalar(try blockScalar(style: trimmed, parentIndent: indent, line: line.number))))
                } else {
                    entries.append((key, try Self.inlineValue(trimmed, line: line.number)))
                }
            }
            return .mapping(entries)
        }

        mutating func blockScalar(style: Substring, parentIndent: Int, line: Int) throws(YAMLSubsetError) -> String {
            guard ["|", "|-", ">", ">-"].contains(String(style)) else {
                throw YAMLSubsetError(line: line, reason: "unsupported block scalar header \(style)")
            }
            var body: [Substring] = []
            var blockIndent: Int?
            while index < lines.count {
                let next = lines[index]
                if next.content.isEmpty {
                    body.append("")
                    index += 1
                    continue
                }
                guard next.indent > parentIndent else { break }
                let column = blockIndent ?? next.indent
                blockIndent = column
                guard next.indent >= column else {
                    throw YAMLSubsetError(line: next.number, reason: "block scalar line indented less than its first line")
                }
                body.append(next.raw.dropFirst(column))
                index += 1
            }
            while body.last?.isEmpty == true { body.removeLast() }
            let separator = style.hasPrefix(">") ? " " : "\n"
            let text = body.joined(separator: separator)
            return style.hasSuffix("-") ? text : text + "\n"
        }

        /// Splits `key: value` (or `key:`) outside quotes; `nil` when the line is not a pair.
        static func splitKey(_ content: Substring) -> (String, Substring)? {
            guard let first = content.first, first != "\"", first != "'", first != "[", first != "{" else { return nil }
            var previous: Character = " "
            for position in content.indices {
                let character = content[position]
                if character == "#" && previous == " " { return nil }
                if character == ":" {
                    let after = content.index(after: position)
                    if after == content.endIndex || content[after] == " " {
                        let key = content[..<position].trimmingSpaces()
                        return key.isEmpty ? nil : (String(key), content[after...])
                    }
                }
                previous = character
            }
            return nil
        }

        static func stripComment(_ value: Substring) -> Substring {
            var quote: Character?
            var previous: Character = " "
            for position in value.indices {
                let character = value[position]
                if let open = quote {
                    if character == open { quote = nil }
                } else if character == "\"" || character == "'" {
                    quote = character
                } else if character == "#" && previous == " " {
                    return value[..<position].trimmingSpaces()
                }
                previous = character
            }
            return value.trimmingSpaces()
        }

        static func inlineValue(_ text: Substring, line: Int) throws(YAMLSubsetError) -> YAMLValue {
            if text.first == "{" {
                guard text == "{}" else { throw YAMLSubsetError(line: line, reason: "flow mappings are not supported") }
                return .mapping([])
            }
            guard text.first == "[" else { return .scalar(try inlineScalar(text, line: line)) }
            guard text.last == "]" else { throw YAMLSubsetError(line: line, reason: "unterminated flow sequence") }
            let inner = text.dropFirst().dropLast().trimmingSpaces()
            if inner.isEmpty { return .sequence([]) }
            var items: [YAMLValue] = []
            var quote: Character?
            var start = inner.startIndex
            for position in inner.indices {
                let character = inner[position]
                if let open = quote {
                    if character == open { quote = nil }
                } else if character == "\"" || character == "'" {
                    quote = character
                } else if character == "[" || character == "{" {
                    throw YAMLSubsetError(line: line, reason: "nested flow collections are not supported")
                } else if character == "," {
                    items.append(.scalar(try inlineScalar(inner[start..<position].trimmingSpaces(), line: line)))
                    start = inner.index(after: position)
                }
            }
            items.append(.scalar(try inlineScalar(inner[start...].trimmingSpaces(), line: line)))
            return .sequence(items)
        }

        static func inlineScalar(_ text: Substring, line: Int) throws(YAMLSubsetError) -> String {
            let text = stripComment(text)
            guard let first = text.first else { return "" }
            if first == "&" || first == "*" || first == "!" {
                throw YAMLSubsetError(line: line, reason: "anchors, aliases and tags are not supported")
            }
            if first == "'" {
                guard text.count >= 2, text.last == "'" else { throw YAMLSubsetError(line: line, reason: "unterminated single-quoted scalar") }
                return text.dropFirst().dropLast().replacingOccurrences(of: "''", with: "'")
            }
            guard first == "\"" else { return String(text) }
            guard text.count >= 2, text.last == "\"" else { throw YAMLSubsetError(line: line, reason: "unterminated double-quoted scalar") }
            var result = ""
            var escaping = false
            for character in text.dropFirst().dropLast() {
                if escaping {
                    switch character {
                    case "n": result.append("\n")
                    case "t": result.append("\t")
                    case "\"", "\\", "/": result.append(character)
                    default: throw YAMLSubsetError(line: line, reason: "unsupported escape \\\(character)")
                    }
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else if character == "\"" {
                    throw YAMLSubsetError(line: line, reason: "unescaped quote inside a double-quoted scalar")
                } else {
                    result.append(character)
                }
            }
            return result
        }
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> Substring {
        var result = self
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }

    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        String(self).split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
