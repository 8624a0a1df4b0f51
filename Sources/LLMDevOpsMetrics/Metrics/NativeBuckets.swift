/// The native buckets of one histogram series, kept under the series' lock beside its classic
/// counts: the schema in use, the zero bucket, and per sign a contiguous window of counts from
/// the lowest to the highest bucket used.
///
/// Counting into an existing window is an index and an add. A bucket outside the window widens
/// it; when both windows together would then span more than the layout's maximum bucket count,
/// the schema drops by one (pairs of buckets merge: bucket `k` becomes `ceil(k/2)`) until they
/// fit or the schema is −4, as client_golang's `doubleBucketWidth` does. Because the limit
/// counts the window (gaps included, as OpenTelemetry's exponential histograms bound theirs),
/// a series never holds more than that many counters, whatever it observes.
struct NativeBuckets: Sendable {
    /// A run of consecutive bucket counts starting at key `offset`.
    struct Window: Sendable, Equatable {
        /// The key of `counts[0]`.
        var offset: Int32 = 0
        /// One count per key from `offset` on; the first and last are never zero.
        var counts: [UInt64] = []

        /// The buckets spanned once `key` is in the window.
        func width(including key: Int32) -> Int {
            guard !counts.isEmpty else { return 1 }
            let upper = offset + Int32(counts.count) - 1
            return Int(max(upper, key) - min(offset, key)) + 1
        }

        /// Adds one to bucket `key`, widening the window when needed.
        mutating func increment(_ key: Int32) {
            if counts.isEmpty {
                offset = key
                counts.append(1)
                return
            }
            let index = Int(key - offset)
            if index >= counts.count {
                counts.append(contentsOf: repeatElement(0, count: index - counts.count + 1))
            } else if index < 0 {
                counts.insert(contentsOf: repeatElement(0, count: -index), at: 0)
                offset = key
            }
            counts[Int(key - offset)] &+= 1
        }

        /// The same counts one schema coarser: bucket `k` becomes `ceil(k/2)`.
        mutating func halve() {
            guard !counts.isEmpty else { return }
            let upper = offset + Int32(counts.count) - 1
            let newOffset = NativeBucketLayout.reduce(offset, by: 1)
            let newUpper = NativeBucketLayout.reduce(upper, by: 1)
            var merged = [UInt64](repeating: 0, count: Int(newUpper - newOffset) + 1)
            for (index, count) in counts.enumerated() {
                let key = NativeBucketLayout.reduce(offset + Int32(index), by: 1)
                merged[Int(key - newOffset)] &+= count
            }
            offset = newOffset
            counts = merged
        }
    }

    /// The schema in use; starts at the layout's and only goes down.
    private(set) var schema: Int
    /// The layout's zero threshold (it never widens).
    let zeroThreshold: Double
    /// Observations with an absolute value up to the zero threshold.
    private(set) var zeroCount: UInt64 = 0
    private(set) var positive = Window()
    private(set) var negative = Window()
    private let initialSchema: Int
    private let maxBucketCount: Int

    init(layout: NativeBucketLayout) {
        self.schema = layout.schema
        self.zeroThreshold = layout.zeroThreshold
        self.initialSchema = layout.schema
        self.maxBucketCount = layout.maxBucketCount
    }

    /// Counts one observation in the zero bucket.
    @inline(__always)
    mutating func incrementZero() {
        zeroCount &+= 1
    }

    /// Counts one observation whose bucket key at the layout's schema is `key` (see
    /// ``NativeBucketLayout/key(ofMagnitude:)``), among the negative buckets when `negative`.
    @inline(__always)
    mutating func increment(key initialKey: Int32, negative isNegative: Bool) {
        let key = NativeBucketLayout.reduce(initialKey, by: initialSchema - schema)
        // Fast path: the bucket is inside its window.
        if isNegative {
            let index = Int(key &- negative.offset)
            if index >= 0, index < negative.counts.count {
                negative.counts[index] &+= 1
                return
            }
        } else {
            let index = Int(key &- positive.offset)
            if index >= 0, index < positive.counts.count {
                positive.counts[index] &+= 1
                return
            }
        }
        widen(initialKey: initialKey, negative: isNegative)
    }

    /// Adds a bucket outside its window, reducing the schema first while the windows would
    /// span too many buckets.
    private mutating func widen(initialKey: Int32, negative isNegative: Bool) {
        while true {
            let key = NativeBucketLayout.reduce(initialKey, by: initialSchema - schema)
            let span =
                isNegative
                ? negative.width(including: key) + positive.counts.count
                : positive.width(including: key) + negative.counts.count
            if span <= maxBucketCount || schema <= NativeBucketLayout.minimumSchema {
                if isNegative { negative.increment(key) } else { positive.increment(key) }
                return
            }
            schema -= 1
            positive.halve()
            negative.halve()
        }
    }
}
