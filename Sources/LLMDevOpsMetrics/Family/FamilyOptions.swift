/// Per-family settings that override the registry's defaults.
public struct FamilyOptions: Sendable, Hashable {
    /// The most series this family may hold; nil uses the registry's `maxSeriesPerMetric`.
    public var maxSeries: Int?
    /// Remove series not updated for this long (checked when the registry collects); nil keeps
    /// series until they are removed. Handles to an expired series report `isExported == false`.
    public var idleTTL: Duration?

    /// Creates options; the defaults change nothing.
    public init(maxSeries: Int? = nil, idleTTL: Duration? = nil) {
        self.maxSeries = maxSeries
        self.idleTTL = idleTTL
    }
}
