/// How one family's native histograms map observations to bucket keys: the exponential bucket
/// schemas of the Prometheus native histogram specification, where bucket `k` of schema `s`
/// covers `(2^((k-1)/2^s), 2^(k/2^s)]`, so `1` is the upper bound of bucket 0 in every schema
/// and bucket `k` of schema `s - 1` is buckets `2k - 1` and `2k` of schema `s`.
///
/// Keys are computed at the family's initial schema from the bit pattern of the value (its
/// binary exponent, and where its mantissa lies among the schema's boundaries in `[1, 2)`: a
/// table read by the mantissa's top bits and one compare), without a logarithm; a series whose resolution was reduced divides them down
/// (``reduce(_:by:)``).
struct NativeBucketLayout: Sendable {
    /// The schema new series start with.
    let schema: Int
    /// Observations with an absolute value up to this go to the zero bucket.
    let zeroThreshold: Double
    /// The most buckets a series may span before it reduces its resolution.
    let maxBucketCount: Int
    /// The mantissa bits of the boundaries `2^(i/2^schema)`, `i` in `0..<2^schema`, for
    /// positive schemas, then `2^52` (above every mantissa) as a sentinel; empty otherwise.
    private let boundaryMantissas: [UInt64]
    /// For positive schemas, `[1, 2)` cut into `2^(schema+1)` equal cells by the mantissa's top
    /// bits: per cell, the number of boundaries below its start. Boundaries lie at least
    /// `2^(2^-schema) - 1 > ln 2 / 2^schema` apart, more than a cell's width of `1 / 2^(schema+1)`,
    /// so a cell holds at most one, and one compare with it finishes the count.
    private let cellCounts: [UInt16]
    /// `52 - (schema + 1)`: the shift that takes a mantissa to its cell.
    private let cellShift: UInt64

    /// The lowest schema; a series stops reducing its resolution here.
    static let minimumSchema = -4
    /// The highest schema.
    static let maximumSchema = 8

    /// A layout for options that passed ``NativeHistogramOptions/validate(metric:)``; nil otherwise.
    init?(_ options: NativeHistogramOptions) {
        guard let schema = options.schema, NativeHistogramOptions.maxBucketCountRange.contains(options.maxBucketCount),
            options.zeroThreshold.isFinite, options.zeroThreshold >= 0
        else { return nil }
        self.schema = schema
        self.zeroThreshold = options.zeroThreshold
        self.maxBucketCount = options.maxBucketCount
        guard schema > 0 else {
            self.boundaryMantissas = []
            self.cellCounts = []
            self.cellShift = 0
            return
        }
        let boundaries = Self.boundaries(schema: schema).map { $0.bitPattern & Self.mantissaMask }
        let shift = UInt64(52 - (schema + 1))
        self.boundaryMantissas = boundaries + [1 << 52]
        self.cellShift = shift
        self.cellCounts = (0..<(1 << (schema + 1))).map { cell in
            UInt16(boundaries.count(where: { $0 < UInt64(cell) << shift }))
        }
    }

    private static let mantissaMask: UInt64 = (1 << 52) - 1

    /// `2^(2^-schema)`, the growth factor from one bucket boundary to the next. Exact for
    /// schemas up to 0; for positive schemas `2` square-rooted `schema` times (each root
    /// correctly rounded).
    static func growthFactor(schema: Int) -> Double {
        if schema <= 0 { return Double(sign: .plus, exponent: 1 << -schema, significand: 1) }
        var factor = 2.0
        for _ in 0..<schema { factor = factor.squareRoot() }
        return factor
    }

    /// The bucket boundaries of a positive schema within `[1, 2)`: `2^(i/2^schema)` for `i` in
    /// `0..<2^schema`, each `2^i` square-rooted `schema` times, so that the boundaries of schema
    /// `s - 1` are exactly the even-indexed boundaries of schema `s` (`√(2^(2j)) = 2^j` is exact).
    static func boundaries(schema: Int) -> [Double] {
        guard schema > 0 else { return [1] }
        return (0..<(1 << schema)).map { index in
            var bound = Double(sign: .plus, exponent: index, significand: 1)
            for _ in 0..<schema { bound = bound.squareRoot() }
            return bound
        }
    }

    /// The key, at this layout's schema, of the bucket for a magnitude above the zero
    /// threshold: positive, not NaN; `+∞` gets the key after that of the largest finite value.
    /// Inlined into `observe`, which calls it on every observation.
    @inline(__always)
    func key(ofMagnitude magnitude: Double) -> Int32 {
        guard magnitude.isFinite else { return infiniteKey }
        return finiteKey(ofMagnitude: magnitude)
    }

    /// The key of `+∞`: the one after that of the largest finite value (not a recursive call
    /// of ``key(ofMagnitude:)``, which would keep it from inlining).
    private var infiniteKey: Int32 { finiteKey(ofMagnitude: .greatestFiniteMagnitude) &+ 1 }

    @inline(__always)
    private func finiteKey(ofMagnitude magnitude: Double) -> Int32 {
        let bits = magnitude.bitPattern
        let biased = Int((bits >> 52) & 0x7FF)
        let exponent: Int
        let mantissa: UInt64
        if biased != 0 {
            exponent = biased - 1023
            mantissa = bits & Self.mantissaMask
        } else {
            // Subnormal: Swift normalises exponent and significand.
            exponent = magnitude.exponent
            mantissa = magnitude.significand.bitPattern & Self.mantissaMask
        }
        if schema > 0 {
            // The number of boundaries below the significand (the index of the first at or
            // above it; all of them when it lies above them all, as its bucket is then 0 of the
            // next power of two): the count below its cell, plus one when the cell's boundary
            // (or the sentinel) is below it. Two loads and a compare, no branch: observed values
            // are unpredictable, and a search over the boundaries mispredicts or, branch-free,
            // waits on one load per step.
            let cell = Int(truncatingIfNeeded: mantissa &>> cellShift)
            let below = cellCounts.withUnsafeBufferPointer { cells in
                boundaryMantissas.withUnsafeBufferPointer { boundaries in
                    let count = Int(cells[cell])
                    return count &+ (boundaries[count] < mantissa ? 1 : 0)
                }
            }
            return Int32(below + exponent << schema)
        }
        // Schema 0: the upper bound 2^k with k = ceil(log2(magnitude)); coarser schemas group
        // 2^-schema of those.
        let keyAtZero = mantissa == 0 ? exponent : exponent + 1
        let shift = -schema
        return Int32((keyAtZero + (1 << shift) - 1) >> shift)
    }

    /// The key of the bucket `reduction` schemas coarser that holds bucket `key`:
    /// `ceil(key / 2^reduction)`.
    @inline(__always)
    static func reduce(_ key: Int32, by reduction: Int) -> Int32 {
        guard reduction > 0 else { return key }
        return (key &+ (1 &<< Int32(reduction)) &- 1) >> Int32(reduction)
    }

    /// The upper bound of bucket `key` of `schema` (`+∞` past the largest finite value).
    static func upperBound(key: Int32, schema: Int) -> Double {
        if schema <= 0 {
            let exponent = Int(key) << -schema
            return exponent > 1023 ? .infinity : Double(sign: .plus, exponent: exponent, significand: 1)
        }
        let perOctave = 1 << schema
        let exponent = Int(key) >> schema
        let index = Int(key) & (perOctave - 1)
        guard exponent <= 1023 else { return .infinity }
        return Double(sign: .plus, exponent: exponent, significand: boundaries(schema: schema)[index])
    }
}
