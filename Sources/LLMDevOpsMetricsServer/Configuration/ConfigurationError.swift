/// A configuration problem: which key (or file) and why. Its description is one line, fit to
/// print before exiting.
///
/// ```swift
/// do { try ServiceConfigurationLoader().load(path: "Config/llmdevops-metrics.yaml") }
/// catch { print("llmdevops-metrics: \(error)") }   // configuration error: prometheus_metrics.cache.ttl_ms: ...
/// ```
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case unreadableFile = "unreadable file"
            case malformedYAML = "malformed YAML"
            case unknownKey = "unknown key"
            case invalidValue = "invalid value"
            case missingValue = "missing value"
        }

        fileprivate let base: Base

        /// The file could not be read.
        public static let unreadableFile = Code(base: .unreadableFile)
        /// The file is not valid YAML.
        public static let malformedYAML = Code(base: .malformedYAML)
        /// A key (in the file or an environment override) is not part of the schema.
        public static let unknownKey = Code(base: .unknownKey)
        /// A value has the wrong type or is out of range.
        public static let invalidValue = Code(base: .invalidValue)
        /// A value that the other settings require is absent.
        public static let missingValue = Code(base: .missingValue)

        /// A readable name for the code.
        public var description: String { base.rawValue }
    }

    /// The kind of problem.
    public let code: Code
    /// The dotted key path (`prometheus_metrics.endpoint.port`), the environment variable, or the file.
    public let key: String
    /// Why the value is not accepted.
    public let reason: String

    init(_ code: Code, key: String, _ reason: String) {
        self.code = code
        // One line, whatever the YAML key or the path holds: a line break is written as its escape.
        self.key = key.contains(where: \.isNewline) ? Self.escapingLineBreaks(key) : key
        // One line, whatever the reason quotes.
        self.reason = reason.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// `text` with every line break spelled as an escape (`\n`, `\r\n`, `\u{2028}`).
    private static func escapingLineBreaks(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character.isNewline {
                for scalar in character.unicodeScalars { escaped += scalar.escaped(asASCII: true) }
            } else {
                escaped.append(character)
            }
        }
        return escaped
    }

    /// `configuration error: KEY: REASON`, on one line.
    public var description: String { "configuration error: \(key): \(reason)" }
}
