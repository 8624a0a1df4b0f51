/// A family's series count and rejection tallies at one instant, for the registry's self-metrics.
struct FamilyTallies: Sendable {
    let descriptor: MetricDescriptor
    let seriesCount: Int
    let rejected: [SeriesRejection: UInt64]
    let invalidUpdates: [(SeriesContext.InvalidUpdate, UInt64)]
    /// Label values the screen replaced, by label position and reason.
    let redactions: [LabelRedaction: UInt64]
}
