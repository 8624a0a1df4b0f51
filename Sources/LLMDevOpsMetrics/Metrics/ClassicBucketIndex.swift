/// Finds the classic bucket of an observation: the index of the first bound at or above it
/// (`bounds.count` for the `+Inf` bucket).
///
/// A binary search over the bounds mispredicts a branch or two per observation, which makes it
/// most of what a classic observe costs. A family with native buckets computes every
/// observation's native key anyway, and keys order values as the bounds do, so there a table
/// indexed by the key gives the answer directly: entry `k` counts the bounds whose own key is
/// below `k`, which are all below any value of key `k`; the bounds whose key is `k` itself (at
/// most a few, as native buckets are narrow) are then compared one by one. Values the table does
/// not cover (the zero bucket, negative values, a family whose bounds span too many native
/// buckets) take the binary search.
///
/// It keeps its bounds and table in memory of its own, read through pointers: an array read
/// from a context the series holds costs a retain and a release per observation, as much as the
/// search. ``SeriesContext`` deallocates it when it goes.
struct ClassicBucketIndex: @unchecked Sendable {  // immutable after init; see deallocate()
    /// Histogram upper bounds without `+Inf`, ascending.
    private let bounds: UnsafeMutableBufferPointer<Double>
    /// Entry `k - lowestKey`: the number of bounds whose key is below `k`; empty without a table.
    private let table: UnsafeMutableBufferPointer<UInt16>
    private let lowestKey: Int32

    /// The most table entries a family gets (bounds spanning more native buckets than this
    /// search instead): 8 KiB.
    static let maximumTableSize = 4096

    /// An index of `bounds`; with a table when `layout` is given and the bounds allow one.
    init(bounds: [Double], layout: NativeBucketLayout?) {
        let copy = UnsafeMutableBufferPointer<Double>.allocate(capacity: bounds.count)
        _ = copy.initialize(from: bounds)
        self.bounds = copy
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
        guard let layout, bounds.count < Int(UInt16.max),
            let firstPositive = bounds.firstIndex(where: { $0 > layout.zeroThreshold }),
            let last = bounds.last, last.isFinite
        else { return ([], 0) }
        let lowest = layout.key(ofMagnitude: bounds[firstPositive])
        let highest = layout.key(ofMagnitude: last)
        let size = Int(highest) - Int(lowest) + 2
        guard size <= maximumTableSize else { return ([], 0) }
        // Entry for key k: every bound at or below the zero threshold, and every positive
        // bound whose key is below k. The last entry (key highest + 1) counts all bounds.
        var entries = [UInt16](repeating: 0, count: size)
        var below = firstPositive
        for offset in 0..<size {
            let key = lowest + Int32(offset)
            while below < bounds.count, layout.key(ofMagnitude: bounds[below]) < key { below += 1 }
            entries[offset] = UInt16(below)
        }
        return (entries, lowest)
    }

    /// Whether ``index(of:key:)`` uses a table (for tests and documentation).
    var hasTable: Bool { table.count > 0 }

    /// The bucket of `value` (not NaN).
    @inline(__always)
    func index(of value: Double) -> Int {
        var low = 0
        var high = bounds.count
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
        let offset = Int(key) &- Int(lowestKey)
        // Keys below the table: no positive bound is below the value. Keys above it: every
        // bound is.
        var index = offset < 0 ? Int(table[0]) : offset >= table.count ? bounds.count : Int(table[offset])
        while index < bounds.count, bounds[index] < value { index &+= 1 }
        return index
    }
}
