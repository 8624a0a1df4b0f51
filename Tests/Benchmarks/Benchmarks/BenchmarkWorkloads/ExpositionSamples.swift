/// What a text 0.0.4 body says, independent of how it is laid out: each family's HELP and TYPE,
/// and each sample's value by series (name plus labels sorted by name, `le` normalised to the
/// number it denotes). Family order, series order, label order and number spelling (`42` or
/// `42.0`, `1.0` or `1`) do not matter; a sample's value must be the same `Double`.
///
/// The W6 benchmarks build both contenders' registries, render both and require equal
/// `ExpositionSamples` before measuring, so the two render provably the same data. A small
/// parser of its own, so the check does not rely on either library's code.
public struct ExpositionSamples: Equatable, Sendable {
    public private(set) var metadata: [String: String] = [:]
    /// Value bit patterns by series.
    public private(set) var samples: [String: UInt64] = [:]
    /// Sample lines read (a series seen twice is a failure, reported in `problems`).
    public private(set) var lineCount = 0
    public private(set) var problems: [String] = []

    public init(parsing body: [UInt8]) {
        var start = 0
        while start < body.count {
            var end = start
            while end < body.count, body[end] != UInt8(ascii: "\n") { end += 1 }
            if end > start { read(String(decoding: body[start..<end], as: UTF8.self)) }
            start = end + 1
        }
    }

    /// The first differences between two bodies, for an error message (empty when equal).
    public func differences(from other: ExpositionSamples, limit: Int = 5) -> [String] {
        var found: [String] = problems + other.problems
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where other.metadata[key] != value {
            found.append("\(key): \(value) against \(other.metadata[key] ?? "nothing")")
        }
        for key in other.metadata.keys.sorted() where metadata[key] == nil {
            found.append("\(key): nothing against \(other.metadata[key] ?? "")")
        }
        for (key, bits) in samples.sorted(by: { $0.key < $1.key }) where other.samples[key] != bits {
            let theirs = other.samples[key].map { "\(Double(bitPattern: $0))" } ?? "nothing"
            found.append("\(key): \(Double(bitPattern: bits)) against \(theirs)")
        }
        for key in other.samples.keys.sorted() where samples[key] == nil {
            found.append("\(key): nothing against \(Double(bitPattern: other.samples[key] ?? 0))")
        }
        return Array(found.prefix(limit))
    }

    private mutating func read(_ line: String) {
        if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
            let rest = line.dropFirst(7)
            let name = rest.prefix { $0 != " " }
            let text = rest.dropFirst(name.count + 1)
            metadata["\(line.prefix(6)) \(name)"] = String(text)
            return
        }
        if line.hasPrefix("#") { return }
        lineCount += 1
        var characters = Substring(line)
        let name = characters.prefix { $0 != "{" && $0 != " " }
        characters = characters.dropFirst(name.count)
        var labels: [(String, String)] = []
        if characters.first == "{" {
            characters = characters.dropFirst()
            while let first = characters.first, first != "}" {
                if first == "," { characters = characters.dropFirst() }
                let labelName = characters.prefix { $0 != "=" }
                characters = characters.dropFirst(labelName.count + 2)  // name, `="`
                var value = ""
                while let character = characters.popFirst(), character != "\"" {
                    if character == "\\", let escaped = characters.popFirst() {
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                if labelName == "le", let bound = Self.number(value) {
                    value = "\(bound)"
                }
                labels.append((String(labelName), value))
            }
            characters = characters.dropFirst()  // `}`
        }
        let valueText = characters.drop { $0 == " " }.prefix { $0 != " " }
        guard let value = Self.number(String(valueText)) else {
            problems.append("unparsable value in: \(line)")
            return
        }
        labels.sort { $0.0 < $1.0 }
        let key = "\(name){\(labels.map { "\($0.0)=\"\($0.1)\"" }.joined(separator: ","))}"
        if samples.updateValue(value.bitPattern, forKey: key) != nil {
            problems.append("series twice: \(key)")
        }
    }

    private static func number(_ text: String) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }
}
