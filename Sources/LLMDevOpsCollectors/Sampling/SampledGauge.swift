import LLMDevOpsMetrics

/// The one series of a label-less gauge family that a sampler writes: present while its source
/// has a current value, removed (so the scrape leaves it out) while it has none.
struct SampledGauge: Sendable {
    let family: GaugeFamily
    private var series: GaugeMetric?

    init(_ family: GaugeFamily) {
        self.family = family
    }

    /// Whether the series is currently exported.
    var isPresent: Bool { series != nil }

    /// Exports `value`, or removes the series when `value` is nil. A series that comes back is
    /// created holding its value: no render sees it at zero in between.
    mutating func update(_ value: Double?) async {
        guard let value else {
            if series != nil {
                _ = try? await family.remove([:])
                series = nil
            }
            return
        }
        if let series {
            series.set(to: value)
        } else {
            // Label-less: the empty value list always matches, so this does not throw.
            series = try? await family.labels(values: [], initializingWith: { $0.set(to: value) })
        }
    }
}
