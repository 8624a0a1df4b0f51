import Synchronization

/// One entry of a ``SeriesCache``: a series handle published once, then read without a lock.
final class SeriesSlot<Metric: AnyObject & Sendable>: Sendable {
    /// Set once, by whichever task resolves the series first; `load()` is an acquiring read.
    let handle = AtomicLazyReference<Metric>()
}
