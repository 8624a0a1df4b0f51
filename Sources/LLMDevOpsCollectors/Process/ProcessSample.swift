/// What flows from the process sampler's sweep threads to the task that applies it.
package enum ProcessSample: SweepSample {
    /// A read of `source` started by sweep `sweep`: its reading, or nil when it failed or could
    /// not be parsed.
    case read(ProcessSource, sweep: UInt64, ProcessReading?)
    /// The read of `source` that sweep `sweep` started had not returned at the next tick.
    case stalled(ProcessSource, sweep: UInt64)
    /// Sweep `sweep` has handed on every source it read.
    case finished(sweep: UInt64)
}

extension ProcessSample {
    static func unread(_ source: ProcessSource, sweep: UInt64) -> Self {
        .read(source, sweep: sweep, nil)
    }

    var finishedSweep: UInt64? {
        if case .finished(let sweep) = self { sweep } else { nil }
    }
}
