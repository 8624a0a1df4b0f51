import LLMDevOpsMetrics
import Synchronization

/// The label values one label admits at runtime beyond its configured allow-list:
/// the names nobody listed that arrive while there is room get their own indices, in arrival
/// order; the rest fold into the label's fallback value, as without admission.
///
/// Names are admitted per *scope*: models and agents use one scope (0); tools use the agent's
/// index, so each agent admits its own tools, up to ``perScope`` each. One name has one index
/// whatever the scope (a tool admitted for two agents is one `tool` label value), and a name
/// the allow-list already has keeps its listed index (``init(base:capacity:perScope:scopes:fallback:listed:)``).
///
/// Reading is lock-free and allocation-free: an open-addressing table of entries published once
/// (``SeriesSlot``, acquiring loads) and never removed, probed linearly from the hash of scope
/// and name. The table has at least twice as many buckets as entries can exist, so a probe
/// always reaches an empty bucket. Admitting takes a lock, about once per admitted name. A name
/// the screen refuses is screened again on each of its events while there is room (refusals
/// are not remembered, so that a flood of distinct refused names costs no memory); once the
/// room is taken, an unknown name costs a table probe and a flag load.
///
/// Memory is fixed when the table is made: `2 × (capacity + scopes)` buckets rounded up to a
/// power of two (capacity is at most ``CollectorsConfiguration/maxAdmittedToolPairs``).
final class LabelAdmission: Sendable {
    /// One admitted (scope, name) pair.
    final class Entry: Sendable {
        let scope: Int
        let name: String
        let index: Int

        init(scope: Int, name: String, index: Int) {
            self.scope = scope
            self.name = name
            self.index = index
        }
    }

    private struct State {
        /// Admitted pairs, in admission order.
        var admitted: [(scope: Int, name: String)] = []
        /// The label value of each index from `base`, in order.
        var names: [String] = []
        /// Index by name, for names admitted in another scope.
        var indexByName: [String: Int] = [:]
        /// Pairs admitted per scope.
        var perScope: [Int: Int] = [:]
    }

    /// The longest name admitted, in UTF-8 bytes.
    static let maxNameBytes = 128

    /// The first index this table assigns.
    let base: Int
    /// How many distinct names may get an index.
    let capacity: Int
    /// How many names one scope may admit.
    let perScope: Int
    /// The fallback value of the label; never admitted.
    let fallback: String
    private let listed: [String: Int]
    private let buckets: [SeriesSlot<Entry>]
    private let mask: Int
    private let state = Lock(State())
    /// Set once every index is taken: later unknown names skip the lock.
    private let full = Atomic<Bool>(false)

    /// - Parameters:
    ///   - base: The first index to assign (the size of the allow-list).
    ///   - capacity: How many distinct names may get an index; `scopes × perScope` for tools.
    ///   - perScope: How many names one scope may admit.
    ///   - scopes: How many scopes exist (1 for models and agents; the agents for tools).
    ///   - fallback: `other` or `_unknown`, refused as a name.
    ///   - listed: Names that already have an index (tools registered to some other agent).
    init(base: Int, capacity: Int, perScope: Int, scopes: Int = 1, fallback: String, listed: [String: Int] = [:]) {
        self.base = base
        self.capacity = max(0, capacity)
        self.perScope = max(0, perScope)
        self.fallback = fallback
        self.listed = listed
        var size = 1
        while size < 2 * (self.capacity + max(1, scopes)) { size <<= 1 }
        buckets = self.capacity == 0 ? [] : (0..<size).map { _ in SeriesSlot() }
        mask = size - 1
        if self.capacity == 0 || self.perScope == 0 { full.store(true, ordering: .relaxed) }
    }

    /// The index admitted for `name` in `scope`, or nil. Lock-free, no allocation.
    @inline(__always)
    func index(of name: String, scope: Int = 0) -> Int? {
        guard let found = lookUp(name, scope: scope), found >= 0 else { return nil }
        return found
    }

    /// The entry's index for (scope, name), -1 for a scope's full marker, or nil.
    @inline(__always)
    private func lookUp(_ name: String, scope: Int) -> Int? {
        guard !buckets.isEmpty else { return nil }
        var bucket = Self.hash(name, scope: scope) & mask
        for _ in 0..<buckets.count {
            guard let entry = buckets[bucket].unmanaged else { return nil }
            let found = entry._withUnsafeGuaranteedRef { $0.scope == scope && $0.name == name ? $0.index : nil }
            if let found { return found }
            bucket = (bucket + 1) & mask
        }
        return nil
    }

    /// Admits `name` in `scope` if there is room and the name may be a label value; returns its
    /// index, or nil (fold it into the fallback). Once every index, or a scope's share, is
    /// taken, refusing costs no lock: a flag, or a marker entry for the scope.
    func admit(_ name: String, scope: Int = 0) -> Int? {
        guard !full.load(ordering: .relaxed), lookUp(Self.scopeFull, scope: scope) == nil,
            Self.problem(with: name, fallback: fallback) == nil
        else { return nil }
        return state.withLock { state -> Int? in
            if let existing = index(of: name, scope: scope) { return existing }
            guard state.perScope[scope, default: 0] < perScope else { return nil }
            let index: Int
            if let known = listed[name] ?? state.indexByName[name] {
                index = known
            } else {
                guard state.names.count < capacity else { return nil }
                index = base + state.names.count
                state.names.append(name)
                state.indexByName[name] = index
            }
            state.perScope[scope, default: 0] += 1
            state.admitted.append((scope, name))
            insert(Entry(scope: scope, name: name, index: index))
            if state.perScope[scope, default: 0] >= perScope {
                insert(Entry(scope: scope, name: Self.scopeFull, index: -1))
            }
            if state.admitted.count >= capacity { full.store(true, ordering: .relaxed) }
            return index
        }
    }

    /// The name of the marker entry that says a scope has admitted its share (never a valid
    /// name: empty names are refused).
    private static let scopeFull = ""

    /// Publishes `entry` in the first empty bucket of its probe; only under the lock (one
    /// writer), at most `capacity + scopes` times, so an empty bucket always exists.
    private func insert(_ entry: Entry) {
        var bucket = Self.hash(entry.name, scope: entry.scope) & mask
        while buckets[bucket].unmanaged != nil { bucket = (bucket + 1) & mask }
        _ = buckets[bucket].publish(entry)
    }

    /// The name admitted with `index`, or nil; takes the lock (only series creation asks).
    func name(at index: Int) -> String? {
        state.withLock { state in
            let offset = index - base
            return offset >= 0 && offset < state.names.count ? state.names[offset] : nil
        }
    }

    /// Every admitted (scope, name) pair, in admission order (carried over by a reload).
    var admitted: [(scope: Int, name: String)] {
        state.withLock { $0.admitted }
    }

    /// Why `name` may not become a label value at runtime, or nil: empty, longer than
    /// ``maxNameBytes``, control characters, the fallback value itself, or flagged by
    /// `LabelValueScreen` (a key, token or e-mail address).
    static func problem(with name: String, fallback: String) -> String? {
        if name.isEmpty { return "empty" }
        if name.utf8.count > maxNameBytes { return "longer than \(maxNameBytes) bytes" }
        if name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) { return "control characters" }
        if name == fallback { return "reserved" }
        if let reason = LabelValueScreen.reason(for: name) { return reason.rawValue }
        return nil
    }

    @inline(__always)
    private static func hash(_ name: String, scope: Int) -> Int {
        var hasher = Hasher()
        hasher.combine(scope)
        hasher.combine(name)
        return hasher.finalize()
    }
}
