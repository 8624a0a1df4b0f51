/// Which sweep of a ``BlockingSweeper`` is current, which source its thread is reading, and
/// which sources are stalled: a pure state machine (the sweeper keeps it under a lock and acts
/// on what it returns after releasing the lock).
///
/// A sweep reads the sources one after another on its own thread. When the next tick comes
/// while a sweep's thread is still inside a read, that read is *stalled*: the sweep is
/// abandoned (its thread finishes that one read, hands the late result on, and exits), the
/// source is left out of later sweeps until the stalled read returns, and a new sweep on a new
/// thread reads the other sources. A sweep abandoned between two reads simply stops at the next
/// one. So a blocked source costs one parked thread and one interval of its own values, never
/// the other sources' samples.
struct SweepState<Source: Hashable & Sendable>: Sendable {
    /// The current sweep and the source its thread is reading, if any.
    struct Running: Equatable, Sendable {
        var sweep: UInt64
        var reading: Source?
    }

    /// A read still in progress when the next tick came: the source and the sweep that started it.
    struct Stall: Equatable, Sendable {
        var source: Source
        var sweep: UInt64
    }

    /// What ``tick(_:)`` found.
    struct Tick: Equatable, Sendable {
        /// The read the tick found in progress, now stalled.
        var stalled: Stall?
        /// The sources the new sweep must skip: their reads are still in progress.
        var skipping: Set<Source>
    }

    /// What a sweep thread does after a read.
    enum AfterRead: Equatable, Sendable {
        /// Hand the result on and read the next source.
        case next
        /// Hand the (late) result on and end the thread: the sweep was abandoned.
        case exit
    }

    private(set) var running: Running?
    /// Sources whose read is still in progress on an abandoned sweep's thread, with that sweep.
    private(set) var stalled: [Source: UInt64] = [:]

    /// Starts sweep `sweep`, abandoning the current one.
    mutating func tick(_ sweep: UInt64) -> Tick {
        var found: Stall?
        if let running, let source = running.reading {
            stalled[source] = running.sweep
            found = Stall(source: source, sweep: running.sweep)
        }
        running = Running(sweep: sweep, reading: nil)
        return Tick(stalled: found, skipping: Set(stalled.keys))
    }

    /// Called by `sweep`'s thread before it reads `source`; false when the sweep was abandoned
    /// (the thread ends without reading).
    mutating func willRead(_ source: Source, sweep: UInt64) -> Bool {
        guard running?.sweep == sweep else { return false }
        running?.reading = source
        return true
    }

    /// Called by `sweep`'s thread after its read of `source` returned.
    mutating func didRead(_ source: Source, sweep: UInt64) -> AfterRead {
        if running?.sweep == sweep {
            running?.reading = nil
            return .next
        }
        if stalled[source] == sweep { stalled[source] = nil }
        return .exit
    }

    /// Called by `sweep`'s thread after its last read; true when it was still the current sweep.
    mutating func finish(sweep: UInt64) -> Bool {
        guard running?.sweep == sweep else { return false }
        running = nil
        return true
    }
}
