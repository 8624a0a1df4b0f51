import LLMDevOpsMetrics
import Synchronization

/// The appliers of one collector over its lifetime: the current one, which producers (the
/// direct path of ``EventCollector/record(_:)``) and the consumer read without a lock and
/// without retaining it, and every one a reload (``MetricsCollectors/reload(_:)``) replaced.
///
/// Why superseded appliers are kept: a producer may have loaded the current applier and be in
/// the middle of a pass when a reload swaps it. Reading it unretained is only safe if it
/// outlives every such pass, and knowing when the last one ended would need a shared counter
/// (or a retain and release of the applier) per event: a contended atomic read-modify-write on
/// the path that reference counting already dominated. Instead every applier lives as
/// long as the collector. That is bounded: at most ``maxGenerations`` exist (a reload beyond
/// them is refused and reported as needing a restart), and a reload whose vocabulary keeps the
/// same label layout (prices, fallback chains, providers, caps) shares the previous applier's
/// series caches and admitted names, so it adds only the small applier object. A reload that
/// changes the layout adds one set of caches: one slot (about 40 bytes) per possible series key,
/// about 330 KB for the catalog's workload of 20 models, 50 agents and 30 tools.
///
/// Swapping is a releasing store of the new applier after it is fully built; a pass that loads
/// it (acquiring) sees it complete. A pass that started on the old applier finishes on it; an
/// event that must create a series keeps (retains) the applier it started with until its last
/// step, so each event is applied by exactly one generation.
final class ApplierGenerations<Applier: EventApplying>: Sendable {
    /// The most appliers one collector keeps (the first one and 99 reloads).
    static var maxGenerations: Int { 100 }

    private let current: Atomic<Unmanaged<Applier>>
    /// Every applier made current, in order; each is kept (and so stays valid unretained) for
    /// the lifetime of this object.
    private let generations: Lock<[Applier]>

    init(_ first: Applier) {
        generations = Lock([first])
        current = Atomic(Unmanaged.passUnretained(first))
    }

    /// The current applier (retained: for building the next one, not for events).
    var applier: Applier {
        generations.withLock { $0[$0.count - 1] }
    }

    /// The number of appliers kept.
    var count: Int {
        generations.withLock { $0.count }
    }

    /// Applies `event` with the current applier. Suspends only to create series (or overflow
    /// counters) that do not exist yet; a step whose series cannot be created is skipped.
    @inline(__always)
    func apply(_ event: Applier.Event) async {
        let pending: (applier: Applier, miss: ApplyMiss)? = current.load(ordering: .acquiring)._withUnsafeGuaranteedRef
        {
            applier in
            guard let miss = applier.apply(event, from: 0) else { return nil }
            return (applier, miss)
        }
        guard let pending else { return }
        await finish(event, on: pending.applier, after: pending.miss)
    }

    /// The slow path: resolves each miss and applies the remaining steps on the same applier.
    /// Bounded: every round moves past the step that missed (it is cached now, or skipped).
    private func finish(_ event: Applier.Event, on applier: Applier, after first: ApplyMiss) async {
        var miss = first
        while true {
            let resolved = await miss.resolve()
            guard let next = applier.apply(event, from: resolved ? miss.step : miss.step + 1) else { return }
            // A step that missed again right after its series was created would loop: skip it.
            miss = next.step > miss.step ? next : ApplyMiss(step: next.step) { false }
        }
    }

    /// Makes `next` current, unless ``maxGenerations`` appliers exist (then nothing changes and
    /// it returns false).
    func replace(with next: Applier) -> Bool {
        generations.withLock { generations in
            guard generations.count < Self.maxGenerations else { return false }
            generations.append(next)
            current.store(Unmanaged.passUnretained(next), ordering: .releasing)
            return true
        }
    }
}
