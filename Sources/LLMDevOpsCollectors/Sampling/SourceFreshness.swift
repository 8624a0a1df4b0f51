/// The stale-value bookkeeping both samplers' appliers share: the latest sweep applied per
/// source, and the health series (``ProcSourceHealth``) that reads and stalls update. A result
/// older than the latest applied for its source (a late read that returned after a newer one)
/// is dropped, and so is a stall report for a read whose result was already applied.
struct SourceFreshness<Source: Hashable & Sendable>: Sendable {
    private let health: ProcSourceHealth
    /// The `source` label of a source; nil for one without health series.
    private let label: @Sendable (Source) -> String?
    private var lastSweep: [Source: UInt64] = [:]

    init(health: ProcSourceHealth, label: @escaping @Sendable (Source) -> String?) {
        self.health = health
        self.label = label
    }

    /// Whether the read of `source` by `sweep` is newer than any applied; if so it becomes the
    /// latest, clears the source's stalled flag and, when it `failed`, counts an error.
    mutating func acceptRead(_ source: Source, sweep: UInt64, failed: Bool) -> Bool {
        guard sweep > lastSweep[source, default: 0] else { return false }
        lastSweep[source] = sweep
        if let label = label(source) {
            health.setStalled(label, false)
            if failed { health.countError(label) }
        }
        return true
    }

    /// Whether the stall of the read `sweep` started is newer than any read applied for
    /// `source`; if so the source is marked stalled.
    func acceptStall(_ source: Source, sweep: UInt64) -> Bool {
        guard sweep > lastSweep[source, default: 0] else { return false }
        if let label = label(source) { health.setStalled(label, true) }
        return true
    }
}
