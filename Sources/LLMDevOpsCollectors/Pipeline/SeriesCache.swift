import LLMDevOpsMetrics
import Synchronization

/// A table from encoded label values to series handles, shared by the producers that apply
/// events directly and by the collector's consumer task, so that after the first event with a
/// label set nobody awaits the family actor for it again.
///
/// Keys are integers that encode the positions of the label values in their closed enums and
/// configured allow-lists; the caller supplies the label values only when the series is new.
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

    /// The handle for `key`, resolving `labelValues()` (in the family's label order) on first
    /// use. Suspends only on a miss.
    @inline(__always)
    func series(_ key: Int, _ labelValues: () -> [String]) async -> Metric? {
        if key >= 0, key < slots.count, let handle = slots[key].unmanaged { return handle.takeUnretainedValue() }
        return await resolve(key, labelValues)
    }

    /// Calls `body` with the handle for `key` (resolving `labelValues()` on first use), without
    /// retaining it on a hit: the producers share these objects, and contended reference
    /// counting was the largest cost of the direct path. Suspends only on a miss.
    @inline(__always)
    func update(_ key: Int, _ labelValues: () -> [String], _ body: (Metric) -> Void) async {
        if key >= 0, key < slots.count, let handle = slots[key].unmanaged {
            handle._withUnsafeGuaranteedRef(body)
            return
        }
        if let handle = await resolve(key, labelValues) { body(handle) }
    }

    private func resolve(_ key: Int, _ labelValues: () -> [String]) async -> Metric? {
        let inSlots = key >= 0 && key < slots.count
        if !inSlots, let handle = spill.withLock({ $0[key] }) { return handle }
        // Only a wrong number of label values throws, and every caller passes exactly the
        // family's label count; a nil result just skips the update. Two tasks resolving the same
        // key get the same handle from the family, so whichever publishes first wins harmlessly.
        guard let handle = try? await family.labels(values: labelValues()) else { return nil }
        if inSlots { return slots[key].publish(handle) }
        spill.withLock { $0[key] = handle }
        return handle
    }

    /// The number of cached handles.
    var count: Int {
        slots.reduce(0) { $0 + ($1.unmanaged == nil ? 0 : 1) } + spill.withLock { $0.count }
    }
}
