/// Finds the classic bucket of an observation: the index of the first bound at or above it
/// (`bounds.count` for the `+Inf` bucket).
///
/// A binary search over the bounds mispredicts a branch or two per observation, which makes it
/// most of what a classic observe costs. A family with native buckets computes every
/// observation's native key anyway, and keys order values as the bounds do, so there a table
/// indexed by the key gives the answer directly: entry `k` counts the bounds whose own key is
/// below `k`, which are all below any value of key `k`; one compare, without a branch, with the
/// next bound settles a value that shares its native bucket with a bound (a flag in the entry
/// marks the rare keys holding several, which compare on). Values the table does not cover (the
/// zero bucket, negative values, a family whose bounds span too many native buckets) take the
/// binary search.
///
/// It keeps its bounds and table in memory of its own, read through pointers: an array read
/// from a context the series holds costs a retain and a release per observation, as much as the
/// search. ``SeriesContext`` deallocates it when it goes.
///
/// `@unchecked Sendable` invariant: the memory behind `bounds` and `table` is written only in
/// `init` and freed only by `deallocate()`, which its owner `SeriesContext` calls from its
/// `deinit`, when no series can read it any more; in between it is only read, from any thread.
struct ClassicBucketIndex: @unchecked Sendable {
    /// Histogram upper bounds without `+Inf`, ascending, then `+∞` as a sentinel that no value
    /// is below.
    private let bounds: UnsafeMutableBufferPointer<Double>
    /// The number of bounds (without the sentinel).
    private let boundCount: Int
    /// Entry `k - lowestKey`: the number of bounds whose key is below `k`, with ``sharedBucket``
    /// set when two or more bounds have key `k`; empty without a table.
    private let table: UnsafeMutableBufferPointer<UInt16>
    private let lowestKey: Int32

    /// The flag of a table entry whose key holds more than one bound.
    private static let sharedBucket: UInt16 = 0x8000

    /// The most table entries a family gets (bounds spanning more native buckets than this
    /// search instead): 8 KiB.
    static let maximumTableSize = 4096

    /// An index of `bounds`; with a table when `layout` is given and the bounds allow one.
    init(bounds: [Double], layout: NativeBucketLayout?) {
        let copy = UnsafeMutableBufferPointer<Double>.allocate(capacity: bounds.count + 1)
        _ = copy.initialize(from: bounds + [.infinity])
        self.bounds = copy
        self.boundCount = bounds.count
        let (entries, lowest) = Self.table(bounds, layout)
        let table = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: entries.count)
        _ = table.initialize(from: entries)
        self.table = table
        self.lowestKey = lowest
    }

    /// Frees the memory; called once, by the context that owns the index, when it goes.
    func deallocate() {
        bounds.deallocate()
        table.deallocate()
    }

    /// The table's entries and the key of the first (none when the family has no native
    /// buckets, no positive bound, or bounds spanning more than ``maximumTableSize`` keys).
    private static func table(_ bounds: [Double], _ layout: NativeBucketLayout?) -> ([UInt16], Int32) {
        guard let layout, bounds.count < Int(sharedBucket),
            let firstPositive = bounds.firstIndex(where: { $0 > layout.zeroThreshold }),
            let last = bounds.last, last.isFinite
        else { return ([], 0) }
        let keys = bounds.map { $0 > layout.zeroThreshold ? layout.key(ofMagnitude: $0) : Int32.min }
        let lowest = keys[firstPositive]
        let size = Int(keys[keys.count - 1]) - Int(lowest) + 2
        guard size <= maximumTableSize else { return ([], 0) }
        // Entry for key k: every bound at or below the zero threshold, and every positive
        // bound whose key is below k. The last entry (key highest + 1) counts all bounds.
        var entries = [UInt16](repeating: 0, count: size)
        var below = firstPositive
        for offset in 0..<size {
            let key = lowest + Int32(offset)
            while below < bounds.count, keys[below] < key { below += 1 }
            let sharing = keys[below...].prefix(while: { $0 == key }).count
            entries[offset] = UInt16(below) | (sharing > 1 ? sharedBucket : 0)
        }
        return (entries, lowest)
    }

    /// Whether ``index(of:key:)`` uses a table (for tests and documentation).
    var hasTable: Bool { table.count > 0 }

    /// The bucket of `value` (not NaN).
    @inline(__always)
    func index(of value: Double) -> Int {
        var low = 0
        var high = boundCount
        while low < high {
            let mid = (low &+ high) >> 1
            if bounds[mid] < value { low = mid &+ 1 } else { high = mid }
        }
        return low
    }

    /// The bucket of `value` (not NaN), whose native key at the family's initial schema is
    /// `key` when `value` lies above the zero threshold (nil otherwise).
    @inline(__always)
    func index(of value: Double, key: Int32?) -> Int {
        guard let key, table.count > 0 else { return index(of: value) }
        // Keys below the table answer as its first entry does (no positive bound is below the
        // value: the compare below fails), keys above it as its last (every bound is below).
        let offset = Swift.min(Swift.max(Int(key) &- Int(lowestKey), 0), table.count &- 1)
        let entry = table[offset]
        var index = Int(entry & ~Self.sharedBucket)
        // The bound with the value's own key, if any (else a larger one, or the sentinel): one
        // compare, without a branch.
        index &+= bounds[index] < value ? 1 : 0
        if entry & Self.sharedBucket != 0 {
            while bounds[index] < value { index &+= 1 }
        }
        return index
    }
}
