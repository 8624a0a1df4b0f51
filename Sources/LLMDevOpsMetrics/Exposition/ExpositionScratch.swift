/// Buffers an ``ExpositionEncoder`` reuses from family to family (and the registry from render
/// to render), so that rendering a registered family allocates nothing once they have grown.
struct ExpositionScratch: Sendable {
    /// The current series' cumulative histogram bucket counts.
    var counts = BucketCounts()
    /// The current family's canonical `le` label values, concatenated.
    var leBytes: [UInt8] = []
    /// The end of each `le` value in `leBytes`.
    var leEnds: [Int] = []

    init() {}
}
