/// A closed set of label values configured at startup, plus the value that everything else
/// folds into (`other` or `_unknown`). Values are addressed by index so that series caches can
/// use small integer keys.
struct LabelVocabulary: Sendable {
    /// The allowed values, in configuration order.
    let values: [String]
    /// The value for anything not in ``values``.
    let fallback: String
    private let indices: [String: Int]

    init(_ values: [String], fallback: String) {
        var unique: [String] = []
        var indices: [String: Int] = [:]
        for value in values where indices[value] == nil && value != fallback {
            indices[value] = unique.count
            unique.append(value)
        }
        self.values = unique
        self.fallback = fallback
        self.indices = indices
    }

    /// The index of ``fallback``.
    var fallbackIndex: Int { values.count }
    /// The number of indices, including the fallback.
    var size: Int { values.count + 1 }

    /// The index of `value`, or ``fallbackIndex`` with `overflowed` set.
    func resolve(_ value: String) -> (index: Int, overflowed: Bool) {
        if let index = indices[value] { return (index, false) }
        return (fallbackIndex, true)
    }

    /// Whether `value` is one of the allowed values.
    func contains(_ value: String) -> Bool { indices[value] != nil }

    /// The label value at `index`.
    func label(_ index: Int) -> String {
        index < values.count ? values[index] : fallback
    }
}
