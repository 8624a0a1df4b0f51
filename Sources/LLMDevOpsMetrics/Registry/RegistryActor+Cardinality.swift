extension RegistryActor {
    /// The family the collectors count folded label values in
    /// (`llmdevops_collector_label_overflow_total{metric,label}`), by its OpenMetrics name.
    static let collectorOverflowFamily = "llmdevops_collector_label_overflow"

    /// Where the series go: the global budget, refused creations, redactions, collector label
    /// overflow and, per family, its series against its limit and the `topValues` label values
    /// with the most series (see ``CardinalityReport``).
    ///
    /// Recording never waits for it: each family's table is copied under its lock in a few
    /// word copies, and the counting runs afterwards, outside the registry actor too (it
    /// enters the actor only to list the families). Each family is read at its own instant,
    /// so under concurrent creation the totals may differ from the sum of the families by the
    /// series created meanwhile.
    ///
    /// ```swift
    /// let report = await registry.cardinalityReport()
    /// let body = report.json()   // the schema of /debug/cardinality.json
    /// ```
    public nonisolated func cardinalityReport(topValues: Int = 10) async -> CardinalityReport {
        let clock = ContinuousClock()
        let started = clock.now
        let computedAt = configuration.clock.wallSeconds()
        let registered = await familiesForReport()
        var families: [CardinalityReport.Family] = []
        families.reserveCapacity(registered.count)
        var rejected: [SeriesRejection: UInt64] = [:]
        var redactions: [CardinalityReport.Redaction] = []
        var overflow: [CardinalityReport.Overflow] = []
        for family in registered {
            let isOverflow = family.descriptor.name == Self.collectorOverflowFamily
            let copy = family.cardinality(counterValues: isOverflow)
            families.append(copy.family(top: topValues))
            for (reason, count) in copy.rejected { rejected[reason, default: 0] += count }
            let names = copy.descriptor.labelNames
            for (redaction, count) in copy.redactions where count > 0 && redaction.labelIndex < names.count {
                redactions.append(
                    .init(
                        family: copy.descriptor.name, label: names[redaction.labelIndex],
                        reason: redaction.reason.rawValue, count: count))
            }
            if isOverflow, names == ["metric", "label"], copy.counterValues.count == copy.keys.count {
                for (key, value) in zip(copy.keys, copy.counterValues) where value > 0 {
                    let values = FamilyCardinality.values(of: key, count: 2)
                    overflow.append(.init(metric: values[0], label: values[1], count: UInt64(value)))
                }
            }
        }
        families.sort { $0.series != $1.series ? $0.series > $1.series : $0.name < $1.name }
        redactions.sort { ($0.family, $0.label, $0.reason) < ($1.family, $1.label, $1.reason) }
        overflow.sort { $0.count != $1.count ? $0.count > $1.count : ($0.metric, $0.label) < ($1.metric, $1.label) }
        let elapsed = clock.now - started
        return CardinalityReport(
            computedAt: computedAt,
            computeSeconds: elapsed.seconds,
            series: budget.inUse,
            seriesLimit: budget.limit,
            rejected: SeriesRejection.allCases.map { .init(reason: $0.rawValue, count: rejected[$0] ?? 0) },
            redactions: redactions,
            collectorOverflow: overflow,
            families: families
        )
    }
}
