import LLMDevOpsMetrics

/// The one series of a label-less counter family that a sampler writes from an absolute total
/// it keeps itself (CPU seconds since the process started, bytes since the interfaces came up).
///
/// The series only ever moves up to the total: a total that went down (which the sampler does
/// not pass on) or a rounding step never makes the exported counter decrease. While the source
/// has no current value the series is removed; when it comes back it is created holding the
/// total, so a scrape never sees it at zero (which Prometheus would read as a reset).
struct SampledCounter: Sendable {
    let family: CounterFamily
    private var series: CounterMetric?

    init(_ family: CounterFamily) {
        self.family = family
    }

    /// Whether the series is currently exported.
    var isPresent: Bool { series != nil }

    /// Exports `total`, or removes the series when `total` is nil.
    mutating func update(_ total: Double?) async {
        guard let total else {
            if series != nil {
                _ = try? await family.remove([:])
                series = nil
            }
            return
        }
        guard total.isFinite, total >= 0 else { return }
        if series == nil {
            // Label-less: the empty value list always matches, so this does not throw. 0 + total
            // is exact: the new series holds exactly `total`.
            series = try? await family.labels(values: [], initializingWith: { $0.increment(by: total) })
        }
        if let series, total > series.value {
            // Exact whenever the total has less than doubled since the last sample (Sterbenz),
            // which holds after the first one; otherwise within one ulp, corrected next time.
            series.increment(by: total - series.value)
        }
    }
}
