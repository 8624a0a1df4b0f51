/// What flows from the runtime sampler (its sweep threads and its ticking task) to the task
/// that applies it.
package enum RuntimeSample: SweepSample {
    /// A read of `source` started by sweep `sweep`: its reading, or nil when it failed.
    case read(RuntimeSource, sweep: UInt64, RuntimeReading?)
    /// The read of `source` that sweep `sweep` started had not returned at the next tick.
    case stalled(RuntimeSource, sweep: UInt64)
    /// Sweep `sweep` has handed on every source it read.
    case finished(sweep: UInt64)
    /// Seconds since the collector was created, on the registry's monotonic clock.
    case uptime(seconds: Double)
    /// One probe: seconds from adding a child task to its first instruction.
    case taskStartDelay(seconds: Double)
}

extension RuntimeSample {
    static func unread(_ source: RuntimeSource, sweep: UInt64) -> Self {
        .read(source, sweep: sweep, nil)
    }

    var finishedSweep: UInt64? {
        if case .finished(let sweep) = self { sweep } else { nil }
    }
}
