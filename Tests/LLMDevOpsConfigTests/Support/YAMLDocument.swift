import Yams

/// Reads the rule and rule-test files with Yams, the YAML parser the service itself uses.
enum YAMLDocument {
    struct EmptyDocument: Error, CustomStringConvertible {
        var description: String { "the YAML document is empty" }
    }

    /// The document's root node.
    static func parse(_ text: String) throws -> Node {
        guard let node = try Yams.compose(yaml: text) else { throw EmptyDocument() }
        return node
    }
}
