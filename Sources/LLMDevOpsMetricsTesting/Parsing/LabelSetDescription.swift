/// Renders a label set for error messages: `{a="1",b="2"}` with sorted names.
enum LabelSetDescription {
    static func describe(_ labels: [String: String]) -> String {
        let pairs = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
        return "{" + pairs.joined(separator: ",") + "}"
    }
}
