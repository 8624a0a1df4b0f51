/// A label set being looked up in a ``SeriesTable``: either a stored ``LabelKey`` or raw label
/// values in declared label order, hashed and compared against stored keys without building
/// the joined key, so a lookup that finds its series allocates nothing. (``MetricFamily`` calls
/// ``hash(values:)`` and ``matches(values:key:)`` directly on its hot paths: on the caller's
/// values array, or on a stack buffer of the values read once from a label dictionary.)
///
/// Hashing is defined on the key's segments (one per label, in declared label order): each
/// segment's bytes are mixed in eight at a time and segments are separated by one separator
/// mix. A stored key is split at its bare `"` separators (escaped values never contain one);
/// raw values are their own segments. The two agree whenever the raw values need no escaping,
/// which is the only case a raw probe is built for: values that do (`\`, `"`, newline) are
/// looked up by their escaped key instead.
///
/// The hash is a seeded multiply-xorshift over 64-bit words rather than `Hasher` (SipHash),
/// which cost a third of a lookup. The seed is random per process, so collisions cannot be
/// precomputed, and a family holds at most its cardinality limit of series, which bounds a
/// probe sequence whatever the keys; equality is always checked on the bytes.
struct LabelProbe {
    private enum Form {
        /// A stored, escaped ``LabelKey``.
        case key(String)
        /// Raw values in declared label order, none needing escaping.
        case values([String])
    }

    private let form: Form
    /// The hash of the segments; only its low 32 bits are used.
    let hash: UInt32

    /// A probe for a stored key (also how stored keys are hashed).
    init(key: String) {
        form = .key(key)
        var state = Self.seed
        Self.withBytes(of: key) { bytes in
            var segmentStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") {
                    index += 2
                    continue
                }
                if byte == LabelKey.separator {
                    Self.combine(Self.raw(bytes, segmentStart..<index), into: &state)
                    Self.combineSeparator(into: &state)
                    segmentStart = index + 1
                }
                index += 1
            }
            Self.combine(Self.raw(bytes, segmentStart..<bytes.count), into: &state)
        }
        hash = Self.finalize(state)
    }

    /// A probe for raw values in declared label order; nil when a value needs escaping.
    init?(values: [String]) {
        guard let hash = Self.hash(values: values) else { return nil }
        form = .values(values)
        self.hash = hash
    }

    /// The hash of raw values in declared label order, as ``init(values:)`` computes it; nil
    /// when a value needs escaping. With ``matches(values:key:)``, the allocation-free lookup
    /// path that ``MetricFamily/labels(values:)`` takes without building a probe.
    @inline(__always)
    static func hash<Values: RandomAccessCollection<String>>(values: Values) -> UInt32? where Values.Index == Int {
        var state = seed
        for index in values.indices {
            if index > values.startIndex { combineSeparator(into: &state) }
            guard combineRaw(values[index], into: &state) else { return nil }
        }
        return finalize(state)
    }

    /// Whether `key` is the stored key of this label set.
    @inline(__always)
    func matches(_ key: String) -> Bool {
        switch form {
        case .key(let probe):
            return probe == key
        case .values(let values):
            return Self.matches(values: values, key: key)
        }
    }

    /// Whether `key` is the stored key of raw `values` (which need no escaping).
    @inline(__always)
    static func matches<Values: RandomAccessCollection<String>>(values: Values, key: String) -> Bool
    where Values.Index == Int {
        withBytes(of: key) { bytes in
            var offset = 0
            for index in values.indices {
                guard matchSegment(values[index], index: index - values.startIndex, in: bytes, at: &offset) else {
                    return false
                }
            }
            return offset == bytes.count
        }
    }

    /// Checks that `bytes` holds (after a separator unless first) exactly `value` at `offset`,
    /// and advances `offset` past it.
    @inline(__always)
    private static func matchSegment(
        _ value: String,
        index: Int,
        in bytes: UnsafeBufferPointer<UInt8>,
        at offset: inout Int
    ) -> Bool {
        if index > 0 {
            guard offset < bytes.count, bytes[offset] == LabelKey.separator else { return false }
            offset += 1
        }
        let start = offset
        return withBytes(of: value) { valueBytes in
            guard valueBytes.count <= bytes.count - start else { return false }
            for position in 0..<valueBytes.count where valueBytes[position] != bytes[start + position] {
                return false
            }
            offset = start + valueBytes.count
            return true
        }
    }

    /// Feeds a raw value as one segment; false (fed or not) when it needs escaping.
    @inline(__always)
    private static func combineRaw(_ value: String, into state: inout UInt64) -> Bool {
        withBytes(of: value) { bytes in
            for byte in bytes
            where byte == UInt8(ascii: "\\") || byte == LabelKey.separator || byte == UInt8(ascii: "\n") {
                return false
            }
            combine(UnsafeRawBufferPointer(bytes), into: &state)
            return true
        }
    }

    /// The bytes of `range` as a raw buffer.
    private static func raw(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[range]))
    }

    /// A random start state per process.
    private static let seed: UInt64 = {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }()

    private static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Mixes one segment's bytes in, eight at a time; the last partial word carries its length.
    @inline(__always)
    private static func combine(_ segment: UnsafeRawBufferPointer, into state: inout UInt64) {
        var offset = 0
        let count = segment.count
        while count - offset >= 8 {
            mix(segment.loadUnaligned(fromByteOffset: offset, as: UInt64.self), into: &state)
            offset += 8
        }
        guard offset < count else { return }
        var tail = UInt64(count - offset) << 56
        var shift: UInt64 = 0
        while offset < count {
            tail |= UInt64(segment[offset]) << shift
            shift += 8
            offset += 1
        }
        mix(tail, into: &state)
    }

    @inline(__always)
    private static func combineSeparator(into state: inout UInt64) {
        mix(0xFF00_0000_0000_0022, into: &state)
    }

    @inline(__always)
    private static func mix(_ word: UInt64, into state: inout UInt64) {
        state = (state ^ word) &* multiplier
        state ^= state >> 32
    }

    /// Avalanches the state (MurmurHash3's 64-bit finaliser) and keeps 32 bits.
    @inline(__always)
    private static func finalize(_ state: UInt64) -> UInt32 {
        var state = state
        state ^= state >> 33
        state &*= 0xFF51_AFD7_ED55_8CCD
        state ^= state >> 33
        state &*= 0xC4CE_B9FE_1A85_EC53
        state ^= state >> 33
        return UInt32(truncatingIfNeeded: state)
    }

    /// The UTF-8 bytes of `string`; no copy for native strings (small ones are copied to the stack).
    @inline(__always)
    private static func withBytes<Result>(of string: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = string.utf8.withContiguousStorageIfAvailable(body) { return result }
        var contiguous = string
        return contiguous.withUTF8(body)
    }
}
