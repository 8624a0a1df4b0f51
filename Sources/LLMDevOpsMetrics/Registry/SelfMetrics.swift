/// The registry's own metrics, computed at every collection from the families' tallies, the
/// pull collectors' health and the cache statistics. Their names are claimed when the registry
/// is created, so no user family can clash with them.
enum SelfMetrics {
    static let series = MetricDescriptor(
        builtIn: .gauge,
        name: "llmdevops_registry_series",
        help: "Series currently held, per family.",
        labelNames: ["family"]
    )
    static let seriesRejected = MetricDescriptor(
        builtIn: .counter,
        name: "llmdevops_registry_series_rejected_total",
        help: "Series creations refused by a cardinality limit.",
        labelNames: ["family", "reason"]
    )
    static let invalidUpdates = MetricDescriptor(
        builtIn: .counter,
        name: "llmdevops_registry_invalid_updates_total",
        help: "Updates rejected because of their value (negative increment, NaN, invalid exemplar).",
        labelNames: ["family", "reason"]
    )
    static let labelRedactions = MetricDescriptor(
        builtIn: .counter,
        name: "llmdevops_registry_label_redactions_total",
        help: "Label values exported as _redacted because they looked like a secret or an e-mail address (families that screen label values).",
        labelNames: ["family", "label", "reason"]
    )
    static let collectorSuccess = MetricDescriptor(
        builtIn: .gauge,
        name: "llmdevops_registry_collector_success",
        help: "Whether the pull collector's last run succeeded (1) or failed (0).",
        labelNames: ["collector"]
    )
    static let collectorErrors = MetricDescriptor(
        builtIn: .counter,
        name: "llmdevops_registry_collector_errors_total",
        help: "Pull collector runs that failed or reported invalid samples.",
        labelNames: ["collector"]
    )
    static let cacheHits = MetricDescriptor(
        builtIn: .counter,
        name: "llmdevops_exporter_cache_hits_total",
        help: "Expositions served from the cache or from a render already in flight.",
        labelNames: ["format"]
    )
    static let cacheMisses = MetricDescriptor(
        builtIn: .counter,
        name: "llmdevops_exporter_cache_misses_total",
        help: "Expositions that had to be rendered.",
        labelNames: ["format"]
    )

    static let descriptors = [
        series, seriesRejected, invalidUpdates, labelRedactions, collectorSuccess, collectorErrors, cacheHits, cacheMisses,
    ]

    static func snapshots(
        families: [FamilyTallies],
        collectors: [RegisteredCollector],
        cache: (hits: [ExpositionFormat: UInt64], misses: [ExpositionFormat: UInt64])
    ) -> [FamilySnapshot] {
        var seriesCounts = FamilySnapshot(descriptor: series, series: [])
        var rejected = FamilySnapshot(descriptor: seriesRejected, series: [])
        var invalid = FamilySnapshot(descriptor: invalidUpdates, series: [])
        var redacted = FamilySnapshot(descriptor: labelRedactions, series: [])
        for family in families {
            let name = family.descriptor.name
            seriesCounts.append([name], .gauge(Double(family.seriesCount)))
            for reason in SeriesRejection.allCases {
                if let count = family.rejected[reason], count > 0 {
                    rejected.append([name, reason.rawValue], counter(count))
                }
            }
            for (update, count) in family.invalidUpdates where count > 0 {
                invalid.append([name, update.reason], counter(count))
            }
            for (redaction, count) in family.redactions where count > 0 && redaction.labelIndex < family.descriptor.labelNames.count {
                redacted.append([name, family.descriptor.labelNames[redaction.labelIndex], redaction.reason.rawValue], counter(count))
            }
        }
        var success = FamilySnapshot(descriptor: collectorSuccess, series: [])
        var errors = FamilySnapshot(descriptor: collectorErrors, series: [])
        for collector in collectors {
            success.append([collector.name], .gauge(collector.lastRunSucceeded ? 1 : 0))
            errors.append([collector.name], counter(collector.errorCount))
        }
        var hits = FamilySnapshot(descriptor: cacheHits, series: [])
        var misses = FamilySnapshot(descriptor: cacheMisses, series: [])
        for format in ExpositionFormat.allCases {
            hits.append([format.rawValue], counter(cache.hits[format] ?? 0))
            misses.append([format.rawValue], counter(cache.misses[format] ?? 0))
        }
        return [seriesCounts, rejected, invalid, redacted, success, errors, hits, misses].map { family in
            var sorted = family
            sorted.series.sort { $0.key < $1.key }
            return sorted
        }
    }

    private static func counter(_ count: UInt64) -> SeriesValue.Storage {
        .counter(value: Double(count), created: 0, exemplar: nil)
    }
}

extension FamilySnapshot {
    /// Appends a series; ``SelfMetrics`` sorts them afterwards.
    mutating func append(_ labelValues: [String], _ value: SeriesValue.Storage) {
        series.append(Series(key: LabelKey.make(labelValues), value: SeriesValue(value)))
    }
}
