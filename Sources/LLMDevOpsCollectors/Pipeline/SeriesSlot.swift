import Synchronization

/// One entry of a ``SeriesCache``: a series handle published once, then read without a lock
/// and without touching its reference count.
///
/// The slot owns one strong reference to the published handle (taken by ``publish(_:)``,
/// given back in `deinit`), so the unmanaged reference it hands out stays valid for as long as
/// the slot lives; callers use it only while they hold the cache.
final class SeriesSlot<Metric: AnyObject & Sendable>: Sendable {
    // Acquiring load / releasing publish: a reader that sees the reference sees the fully
    // initialised series object behind it.
    private let handle = Atomic<Unmanaged<Metric>?>(nil)

    /// The published handle, if any; one acquiring load, no retain.
    @inline(__always)
    var unmanaged: Unmanaged<Metric>? { handle.load(ordering: .acquiring) }

    /// Publishes `metric` unless a handle is already there; returns the handle in the slot.
    func publish(_ metric: Metric) -> Metric {
        let retained = Unmanaged.passRetained(metric)
        let (exchanged, original) = handle.compareExchange(
            expected: nil, desired: retained, ordering: .acquiringAndReleasing)
        guard !exchanged, let original else { return metric }
        retained.release()
        return original.takeUnretainedValue()
    }

    deinit {
        handle.load(ordering: .acquiring)?.release()
    }
}
