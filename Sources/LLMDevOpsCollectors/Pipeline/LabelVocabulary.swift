/// The label values of one label: a closed set configured at startup (or reload), names folded
/// onto them by aliases, names admitted at runtime, and the value that everything else folds
/// into (`other` or `_unknown`). Values are addressed by index so that series caches can use
/// small integer keys.
///
/// Indices: `0 ..< values.count` the listed values in configuration order, then
/// `values.count ..< values.count + admissionCapacity` for admitted names (in arrival order),
/// then ``fallbackIndex``.
struct LabelVocabulary: Sendable {
    /// The allowed values, in configuration order.
    let values: [String]
    /// The value for anything not in ``values``.
    let fallback: String
    /// Listed values and exact aliases.
    private let indices: [String: Int]
    /// Prefix and suffix aliases, in configuration order.
    private let patterns: [(match: LLMModelAlias.Match, index: Int)]
    /// Names admitted at runtime; nil when none may be.
    let admission: LabelAdmission?
    /// The index of ``fallback``.
    let fallbackIndex: Int

    /// - Parameters:
    ///   - aliases: Alias patterns whose targets are in `values` (others are ignored; the
    ///     configuration is validated before).
    ///   - admission: Makes the table of names admitted at runtime from the first index it may
    ///     assign (the number of listed values) and the listed values' indices; nil for none.
    init(
        _ values: [String],
        fallback: String,
        aliases: [LLMModelAlias] = [],
        admission: ((_ base: Int, _ listed: [String: Int]) -> LabelAdmission?)? = nil
    ) {
        var unique: [String] = []
        var indices: [String: Int] = [:]
        for value in values where indices[value] == nil && value != fallback {
            indices[value] = unique.count
            unique.append(value)
        }
        let admission = admission?(unique.count, indices)
        var patterns: [(match: LLMModelAlias.Match, index: Int)] = []
        for alias in aliases {
            guard let target = indices[alias.model], let match = alias.match else { continue }
            if case .exact(let name) = match {
                if indices[name] == nil { indices[name] = target }
            } else {
                patterns.append((match, target))
            }
        }
        self.values = unique
        self.fallback = fallback
        self.indices = indices
        self.patterns = patterns
        self.admission = admission
        fallbackIndex = unique.count + (admission?.capacity ?? 0)
    }

    /// The number of indices, including the fallback.
    var size: Int { fallbackIndex + 1 }

    /// The index of `value` among the listed values and aliases, or nil. Lock-free.
    @inline(__always)
    func listedIndex(_ value: String) -> Int? {
        if let index = indices[value] { return index }
        for pattern in patterns where pattern.match.matches(value) { return pattern.index }
        return nil
    }

    /// The index of `value`, or ``fallbackIndex`` with `overflowed` set. Listed values, exact
    /// aliases, patterns in order, admitted names, then admission when there is room (under a
    /// lock, once per name). Lock-free and allocation-free for every name seen before.
    @inline(__always)
    func resolve(_ value: String) -> (index: Int, overflowed: Bool) {
        if let index = listedIndex(value) { return (index, false) }
        if let admission {
            if let index = admission.index(of: value) ?? admission.admit(value) { return (index, false) }
        }
        return (fallbackIndex, true)
    }

    /// The label value at `index` (admitted names take a lock: only series creation asks).
    func label(_ index: Int) -> String {
        if index < values.count { return values[index] }
        if index < fallbackIndex, let name = admission?.name(at: index) { return name }
        return fallback
    }
}
