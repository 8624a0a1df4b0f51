/// The canonical key of a series: its label values in the family's declared label order, each
/// escaped as the exposition formats escape label values (`\\`, `\"`, `\n`) and joined by a bare
/// `"`. An escaped value never contains a bare `"`, so the key is unambiguous, and it is
/// already in output form: rendering copies its segments instead of escaping every scrape.
///
/// Keys of one or two short values stay in Swift's inline small-string storage.
enum LabelKey {
    static let separator = UInt8(ascii: "\"")

    /// The key for `values` (already in declared label order).
    static func make(_ values: [String]) -> String {
        if values.count == 1, !needsEscaping(values[0]) {
            return values[0]
        }
        if !values.contains(where: needsEscaping) {
            return values.joined(separator: "\"")
        }
        var bytes: [UInt8] = []
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(separator) }
            MetricNameRules.appendEscapedLabelValue(value, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The key for a label dictionary in the declared order of `names`, built without an
    /// intermediate array; nil when the dictionary's names are not exactly `names`.
    static func make(_ labels: [String: String], orderedBy names: [String]) -> String? {
        guard labels.count == names.count else { return nil }
        var key = ""
        for (index, name) in names.enumerated() {
            guard let value = labels[name] else { return nil }
            if needsEscaping(value) {
                let values = names.compactMap { labels[$0] }
                return values.count == names.count ? make(values) : nil
            }
            if index > 0 { key.append("\"") }
            key.append(value)
        }
        return key
    }

    static func needsEscaping(_ value: String) -> Bool {
        value.utf8.contains { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }
    }

    /// Writes `name1="v1",name2="v2"` for `key`, without braces. `names` has one entry per segment.
    static func appendLabels(names: [String], key: String, to out: inout [UInt8]) {
        guard !names.isEmpty else { return }
        var key = key
        key.withUTF8 { bytes in
            var nameIndex = 0
            var segmentStart = 0
            var index = 0
            func emitSegment(end: Int) {
                if nameIndex > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: names[nameIndex].utf8)
                out.append(UInt8(ascii: "="))
                out.append(separator)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[segmentStart..<end]))
                out.append(separator)
                nameIndex += 1
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == separator {
                    emitSegment(end: index)
                    segmentStart = index + 1
                }
                index += 1
            }
            emitSegment(end: bytes.count)
        }
    }
}
