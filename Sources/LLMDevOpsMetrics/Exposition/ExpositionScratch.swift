/// Buffers an ``ExpositionEncoder`` reuses from family to family (and the registry from render
/// to render), so that rendering a registered family allocates nothing once they have grown.
struct ExpositionScratch: Sendable {
    /// The current series' cumulative histogram bucket counts.
    var counts = BucketCounts()
    /// The current family's canonical `le` label values, concatenated.
    var leBytes: [UInt8] = []
    /// The end of each `le` value in `leBytes`.
    var leEnds: [Int] = []
    /// The current family's name.
    var name: [UInt8] = []
    /// The current series' labels as every one of its lines prints them between the braces,
    /// `name1="value1",name2="value2"` (empty without labels): written once per series, copied
    /// into each line (13 lines for a histogram series with ten buckets).
    var labels: [UInt8] = []

    init() {}
}
