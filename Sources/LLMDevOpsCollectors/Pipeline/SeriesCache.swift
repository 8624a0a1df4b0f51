import LLMDevOpsMetrics
import Synchronization

/// A table from encoded label values to series handles, shared by the producers that apply
/// events directly and by the collector's consumer task, so that after the first event with a
/// label set nobody awaits the family actor for it again.
///
/// Keys are integers that encode the positions of the label values in their closed enums and
/// configured allow-lists; the caller supplies the label values only when the series is new
/// (``ApplyPass`` looks handles up with ``cached(_:)`` and reports a miss, which the caller
/// resolves with ``resolve(_:labelValues:)`` off the synchronous path).
/// Keys below `size` index a fixed array of lock-free slots (a hit is one acquiring load, no
/// hashing, no allocation); larger keys (only possible for very large allow-lists) fall back to
/// a locked dictionary. Handles are kept for the collector's lifetime (the collector's
/// families have no idle TTL).
final class SeriesCache<Metric: MetricSeries>: Sendable {
    /// The most slots one cache allocates up front.
    static var maxSlots: Int { 16_384 }

    let family: MetricFamily<Metric>
    private let slots: [SeriesSlot<Metric>]
    private let spill = Lock<[Int: Metric]>([:])

    /// - Parameter size: One more than the largest key the caller computes.
    init(_ family: MetricFamily<Metric>, size: Int) {
        self.family = family
        slots = (0..<min(max(0, size), Self.maxSlots)).map { _ in SeriesSlot() }
    }

    /// The handle for `key` if it is cached, unretained: the cache keeps it for its lifetime,
    /// and the producers share these objects, so not touching the reference count matters
    /// (contended reference counting was the largest cost of the direct path). One acquiring
    /// load for keys below `size`; a lock for the rare larger ones.
    @inline(__always)
    func cached(_ key: Int) -> Unmanaged<Metric>? {
        if key >= 0, key < slots.count { return slots[key].unmanaged }
        return spill.withLock { $0[key] }.map { Unmanaged.passUnretained($0) }
    }

    /// Creates (or finds) the series of `labelValues` (in the family's label order) and caches
    /// it under `key`. Returns false when the family refused the label values (only a wrong
    /// number of them throws, and every caller passes exactly the family's label count); the
    /// caller then skips the update. Two tasks resolving the same key get the same handle from
    /// the family, so whichever publishes first wins harmlessly.
    func resolve(_ key: Int, labelValues: [String]) async -> Bool {
        guard let handle = try? await family.labels(values: labelValues) else { return false }
        if key >= 0, key < slots.count {
            _ = slots[key].publish(handle)
        } else {
            spill.withLock { $0[key] = $0[key] ?? handle }
        }
        return true
    }

    /// The number of cached handles.
    var count: Int {
        slots.reduce(0) { $0 + ($1.unmanaged == nil ? 0 : 1) } + spill.withLock { $0.count }
    }
}
