/// The series of one family by ``LabelKey``: an open-addressing hash table that is probed with
/// a ``LabelProbe``, so a lookup by raw label values neither builds the key nor allocates.
///
/// Keys and series are stored densely in two parallel arrays (one escaped key string per
/// series, no per-series arrays); `slots` is a power-of-two linear-probing index whose entries
/// pack the 32-bit hash of the key with its dense position plus one (0 is an empty slot).
/// Because the hash is kept in the slot, growing never rehashes a key, and a probe compares
/// key bytes only when the 32-bit hashes agree. At most half the slots are used.
///
/// Output order is a cached permutation of dense positions sorted by key (4 bytes a series),
/// rebuilt after the table changes.
///
/// The table is not generic: series are stored as `AnyObject & Sendable` (one word each) and
/// ``MetricFamily`` downcasts them. Generic storage would make every lookup from another
/// module (where the family's methods run unspecialised) instantiate generic metadata.
struct SeriesTable {
    /// Escaped keys, in insertion order (removal moves the last entry into the hole).
    private(set) var keys: [String] = []
    /// The series of `keys[i]` at `series[i]`.
    private(set) var series: [any AnyObject & Sendable] = []
    private var slots: [UInt64] = []
    private var sortedOrder: [Int32]?

    init() {}

    var count: Int { keys.count }

    /// The series of the label set `probe`, if present.
    @inline(__always)
    func series(for probe: LabelProbe) -> (any AnyObject & Sendable)? {
        series(hash: probe.hash, matching: probe.matches)
    }

    /// The series whose key has `hash` and satisfies `matches`, if present.
    @inline(__always)
    func series(hash: UInt32, matching matches: (String) -> Bool) -> (any AnyObject & Sendable)? {
        guard let (_, position) = find(hash: hash, matching: matches) else { return nil }
        return series[position]
    }

    /// Dense positions in key order (ascending `String` comparison), computed once after each change.
    mutating func order() -> [Int32] {
        if let sortedOrder { return sortedOrder }
        let keys = self.keys
        let order = (0..<Int32(keys.count)).sorted { keys[Int($0)] < keys[Int($1)] }
        sortedOrder = order
        return order
    }

    /// Adds a series under a key that is not present.
    mutating func insert(_ metric: any AnyObject & Sendable, key: String) {
        insert(metric, key: key, hash: LabelProbe(key: key).hash)
    }

    /// Adds a series under a key that is not present, whose ``LabelProbe`` hash the caller
    /// already has (it must be `LabelProbe(key: key).hash`), so the key is not hashed again.
    mutating func insert(_ metric: any AnyObject & Sendable, key: String, hash: UInt32) {
        assert(hash == LabelProbe(key: key).hash, "hash is not the key's")
        // Invariant, not input: slots hold Int32 positions, and the cardinality limits
        // (RegistryConfiguration) refuse new series long before 2^31 of them exist.
        precondition(keys.count < Int(Int32.max), "series table full")
        if (keys.count + 1) * 2 > slots.count { grow() }
        let position = keys.count
        keys.append(key)
        series.append(metric)
        place(Self.slot(hash: hash, position: position))
        sortedOrder = nil
    }

    /// Removes and returns the series stored under `key`.
    mutating func remove(key: String) -> (any AnyObject & Sendable)? {
        let probe = LabelProbe(key: key)
        guard let (slotIndex, position) = find(hash: probe.hash, matching: probe.matches) else { return nil }
        deleteSlot(at: slotIndex)
        let removed = series[position]
        let last = keys.count - 1
        if position != last {
            // Move the last entry into the hole and repoint its slot.
            let movedHash = LabelProbe(key: keys[last]).hash
            let mask = slots.count - 1
            var index = Int(movedHash) & mask
            while slots[index] != Self.slot(hash: movedHash, position: last) { index = (index + 1) & mask }
            slots[index] = Self.slot(hash: movedHash, position: position)
            keys.swapAt(position, last)
            series.swapAt(position, last)
        }
        keys.removeLast()
        series.removeLast()
        sortedOrder = nil
        return removed
    }

    /// Removes everything, keeping no capacity.
    mutating func removeAll() {
        self = SeriesTable()
    }

    // MARK: Slots

    private static func slot(hash: UInt32, position: Int) -> UInt64 {
        UInt64(hash) << 32 | UInt64(position + 1)
    }

    /// The slot index and dense position of `probe`'s key.
    @inline(__always)
    private func find(hash: UInt32, matching matches: (String) -> Bool) -> (slot: Int, position: Int)? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        var index = Int(hash) & mask
        while true {
            let slot = slots[index]
            if slot == 0 { return nil }
            if UInt32(truncatingIfNeeded: slot >> 32) == hash {
                let position = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                if matches(keys[position]) { return (index, position) }
            }
            index = (index + 1) & mask
        }
    }

    private mutating func place(_ slot: UInt64) {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: slot >> 32) & mask
        while slots[index] != 0 { index = (index + 1) & mask }
        slots[index] = slot
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: Swift.max(8, old.count * 2))
        for slot in old where slot != 0 { place(slot) }
    }

    /// Backward-shift deletion: entries after the hole that probed past it move back into it,
    /// so lookups never need tombstones.
    private mutating func deleteSlot(at start: Int) {
        let mask = slots.count - 1
        var hole = start
        var index = start
        while true {
            index = (index + 1) & mask
            let slot = slots[index]
            if slot == 0 { break }
            let home = Int(truncatingIfNeeded: slot >> 32) & mask
            // The entry may fill the hole when its home is not in (hole, index] cyclically.
            let homeBetween = hole <= index ? (home > hole && home <= index) : (home > hole || home <= index)
            if !homeBetween {
                slots[hole] = slot
                hole = index
            }
        }
        slots[hole] = 0
    }
}
