/// Folds provider model names (dated snapshots such as `gpt-4o-2024-08-06`, regional or
/// versioned ids) onto one listed model, so they share its `model` label and its price.
///
/// The pattern is an exact name, or has a single `*` at its start or its end (`gpt-4o-*`,
/// `*-latest`), where `*` stands for one or more characters. Names are compared byte by byte
/// (UTF-8), case-sensitively.
///
/// Precedence, for every `model`, `from_model` and `to_model` value an event carries: a listed
/// model name first, then an exact alias, then the patterns in configuration order (the first
/// that matches wins), then names admitted at runtime (``LLMCollectorConfiguration/admitUnlistedModels``),
/// then `other`. List a more specific pattern before a broader one: with
/// `gpt-4o-mini-*` before `gpt-4o-*`, `gpt-4o-mini-2024-07-18` folds onto `gpt-4o-mini`.
///
/// ```swift
/// configuration.llm.aliases = [LLMModelAlias("gpt-4o-*", model: "gpt-4o")]
/// ```
public struct LLMModelAlias: Sendable, Hashable {
    /// An exact name, `prefix*` or `*suffix`.
    public var pattern: String
    /// The listed model (``LLMModel/name``) the matching names fold onto.
    public var model: String

    /// Creates an alias.
    public init(_ pattern: String, model: String) {
        self.pattern = pattern
        self.model = model
    }

    /// What the pattern matches.
    enum Match: Sendable, Hashable {
        case exact(String)
        case prefix(String)
        case suffix(String)
    }

    /// The parsed pattern, or nil when it is not an exact name, `prefix*` or `*suffix`.
    var match: Match? {
        let stars = pattern.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "*") ? 1 : 0) }
        switch stars {
        case 0:
            return pattern.isEmpty ? nil : .exact(pattern)
        case 1 where pattern.utf8.count > 1 && pattern.utf8.last == UInt8(ascii: "*"):
            return .prefix(String(pattern.dropLast()))
        case 1 where pattern.utf8.count > 1 && pattern.utf8.first == UInt8(ascii: "*"):
            return .suffix(String(pattern.dropFirst()))
        default:
            return nil
        }
    }
}

extension LLMModelAlias.Match {
    /// Whether `name` matches: equal to an exact pattern, or longer than the fixed part of a
    /// prefix or suffix pattern and starting or ending with it. Allocation-free.
    @inline(__always)
    func matches(_ name: String) -> Bool {
        switch self {
        case .exact(let exact):
            return name == exact
        case .prefix(let prefix):
            return name.utf8.count > prefix.utf8.count && name.utf8.starts(with: prefix.utf8)
        case .suffix(let suffix):
            return name.utf8.count > suffix.utf8.count && name.utf8.reversed().starts(with: suffix.utf8.reversed())
        }
    }
}
