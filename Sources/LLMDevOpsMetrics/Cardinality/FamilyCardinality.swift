/// What the cardinality report needs of one family, copied under the family's table lock:
/// the key array (a copy-on-write reference, so the lock is held for a few word copies, not for
/// the series), the rejection and redaction tallies and the idle-expiry count. Everything else
/// (splitting keys into label values, counting, choosing the top values) runs after the lock
/// is released, so lookups and recording in the family never wait for the report.
///
/// When the family creates or removes a series while a copy is alive, that first change copies
/// the key array (once); a copy that is dropped before costs nothing.
struct FamilyCardinality: Sendable {
    let descriptor: MetricDescriptor
    let keys: [String]
    /// Counter values in `keys` order, when they were asked for (the overflow family).
    let counterValues: [Double]
    let seriesLimit: Int
    let rejected: [SeriesRejection: UInt64]
    let redactions: [LabelRedaction: UInt64]
    let idleExpiries: UInt64

    /// The report's entry for this family, with the `top` values of each label.
    func family(top: Int) -> CardinalityReport.Family {
        CardinalityReport.Family(
            name: descriptor.name,
            type: descriptor.type,
            series: keys.count,
            seriesLimit: seriesLimit,
            rejected: SeriesRejection.allCases.map { .init(reason: $0.rawValue, count: rejected[$0] ?? 0) },
            idleExpiries: idleExpiries,
            labels: Self.labels(names: descriptor.labelNames, keys: keys, top: top)
        )
    }

    /// Each label's distinct values and its `top` values by series count, from series keys
    /// (``LabelKey``: escaped values joined by a bare `"`).
    static func labels(names: [String], keys: [String], top: Int) -> [CardinalityReport.Label] {
        guard !names.isEmpty else { return [] }
        var counts = Array(repeating: [Substring: Int](), count: names.count)
        if names.count == 1 {
            for key in keys { counts[0][Substring(key), default: 0] += 1 }
        } else {
            for key in keys {
                forEachSegment(of: key, count: names.count) { index, segment in
                    counts[index][segment, default: 0] += 1
                }
            }
        }
        return names.indices.map { index in
            CardinalityReport.Label(
                name: names[index],
                distinctValues: counts[index].count,
                topValues: largest(counts[index], top).map { .init(value: unescape($0.key), series: $0.value) }
            )
        }
    }

    /// The first `count` label values of `key`, unescaped.
    static func values(of key: String, count: Int) -> [String] {
        var values = Array(repeating: "", count: count)
        forEachSegment(of: key, count: count) { index, segment in values[index] = unescape(segment) }
        return values
    }

    /// Calls `body` with each of the first `count` segments of `key` (split at bare `"`).
    private static func forEachSegment(of key: String, count: Int, _ body: (Int, Substring) -> Void) {
        let utf8 = key.utf8
        var index = 0
        var start = utf8.startIndex
        var position = utf8.startIndex
        while position != utf8.endIndex, index < count - 1 {
            let byte = utf8[position]
            if byte == UInt8(ascii: "\\") {
                position = utf8.index(after: position)
                if position != utf8.endIndex { position = utf8.index(after: position) }
                continue
            }
            if byte == LabelKey.separator {
                // Both ends are at ASCII bytes, hence at character boundaries.
                body(index, key[start..<position])
                index += 1
                start = utf8.index(after: position)
            }
            position = utf8.index(after: position)
        }
        body(index, key[start...])
    }

    /// The `k` entries with the largest counts, largest first, ties by ascending value.
    static func largest(_ counts: [Substring: Int], _ k: Int) -> [(key: Substring, value: Int)] {
        guard k > 0 else { return [] }
        func before(_ a: (key: Substring, value: Int), _ b: (key: Substring, value: Int)) -> Bool {
            a.value != b.value ? a.value > b.value : a.key < b.key
        }
        var best: [(key: Substring, value: Int)] = []
        best.reserveCapacity(k + 1)
        for entry in counts {
            if best.count == k, let last = best.last, !before(entry, last) { continue }
            let slot = best.firstIndex { before(entry, $0) } ?? best.endIndex
            best.insert(entry, at: slot)
            if best.count > k { best.removeLast() }
        }
        return best
    }

    /// An escaped label value (`\\`, `\"`, `\n`) as the value it stands for.
    static func unescape(_ escaped: Substring) -> String {
        guard escaped.utf8.contains(UInt8(ascii: "\\")) else { return String(escaped) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(escaped.utf8.count)
        var pendingBackslash = false
        for byte in escaped.utf8 {
            if pendingBackslash {
                bytes.append(byte == UInt8(ascii: "n") ? UInt8(ascii: "\n") : byte)
                pendingBackslash = false
            } else if byte == UInt8(ascii: "\\") {
                pendingBackslash = true
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
