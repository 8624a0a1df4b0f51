/// Per-family settings that override the registry's defaults.
public struct FamilyOptions: Sendable, Hashable {
    /// The most series this family may hold; nil uses the registry's `maxSeriesPerMetric`.
    public var maxSeries: Int?
    /// Remove series not updated for this long (checked when the registry collects); nil keeps
    /// series until they are removed. Handles to an expired series report `isExported == false`.
    public var idleTTL: Duration?
    /// Export label values that look like secrets or e-mail addresses as `_redacted` and count
    /// them (see ``LabelValueScreen``); nil uses the registry's ``RegistryConfiguration/screensLabelValues``.
    /// Turn it on for families whose label values come from outside.
    public var screensLabelValues: Bool?
    /// Native buckets beside the classic ones, for histogram families (other types ignore it);
    /// nil keeps classic buckets only. Exposed in the protobuf format only.
    public var nativeHistogram: NativeHistogramOptions?

    /// Creates options; the defaults change nothing.
    public init(
        maxSeries: Int? = nil,
        idleTTL: Duration? = nil,
        screensLabelValues: Bool? = nil,
        nativeHistogram: NativeHistogramOptions? = nil
    ) {
        self.maxSeries = maxSeries
        self.idleTTL = idleTTL
        self.screensLabelValues = screensLabelValues
        self.nativeHistogram = nativeHistogram
    }
}
