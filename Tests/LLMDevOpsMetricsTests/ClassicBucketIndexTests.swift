import Foundation
import LLMDevOpsTestSupport
import Testing

@testable import LLMDevOpsMetrics

/// The classic bucket found through the native key table equals the one a binary search over
/// the bounds finds, for bounds and values that stress it: values on the bounds and one ulp
/// either side, bounds sharing a native bucket, negative and zero bounds, the zero threshold,
/// subnormals and infinities, at every schema.
@Suite struct ClassicBucketIndexTests {
    private static func layout(schema: Int, zeroThreshold: Double) -> NativeBucketLayout? {
        NativeBucketLayout(
            NativeHistogramOptions(
                bucketFactor: NativeBucketLayout.growthFactor(schema: schema),
                zeroThreshold: zeroThreshold
            )
        )
    }

    /// What the index must answer: the number of bounds below `value`.
    private static func expected(_ bounds: [Double], _ value: Double) -> Int {
        bounds.count(where: { $0 < value })
    }

    private static func positiveKey(_ value: Double, _ layout: NativeBucketLayout) -> Int32? {
        NativeKey(value, layout).positiveKey
    }

    @Test(arguments: [-4, -1, 0, 1, 3, 8])
    func theTableAgreesWithTheBoundsAtEverySchema(schema: Int) throws {
        var random = SplitMix64(seed: UInt64(schema + 100))
        var tables = 0
        for round in 0..<300 {
            let zeroThreshold = round % 3 == 0 ? 0 : 0x1p-128
            let layout = try #require(Self.layout(schema: schema, zeroThreshold: zeroThreshold))
            // Bounds: log-uniform over 1e-2...1e2 (every other round over 1e-6...1e6, which at
            // fine schemas is too wide for a table), some of them very close together, and now
            // and then negative or zero ones.
            let decades = round % 2 == 0 ? 2 : 6
            var bounds = Set<Double>()
            for _ in 0..<(1 + Int(random.next() % 30)) {
                let bound = pow(10, Double(Int(random.next() % UInt64(200 * decades)) - 100 * decades) / 100)
                bounds.insert(bound)
                if random.next() % 4 == 0 { bounds.insert(bound.nextUp.nextUp) }
            }
            if round % 5 == 0 { bounds.insert(-Double(random.next() % 100) / 10) }
            if round % 7 == 0 { bounds.insert(0) }
            let sorted = bounds.sorted()
            let index = ClassicBucketIndex(bounds: sorted, layout: layout)
            defer { index.deallocate() }
            if index.hasTable { tables += 1 }
            var values: [Double] = [0, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, 0x1p-128, 0x1p-128.nextUp]
            values.append(.greatestFiniteMagnitude)
            for bound in sorted { values += [bound, bound.nextDown, bound.nextUp] }
            for _ in 0..<200 {
                values.append(pow(10, Double(random.next() % 1400) / 100 - 7) * (random.next() % 9 == 0 ? -1 : 1))
            }
            for value in values {
                let key = Self.positiveKey(value, layout)
                #expect(
                    index.index(of: value, key: key) == Self.expected(sorted, value),
                    "schema \(schema), value \(value), bounds \(sorted)"
                )
                #expect(index.index(of: value) == Self.expected(sorted, value))
            }
        }
        // The table is in use for at least the narrower half of these families.
        #expect(tables > 100, "\(tables) of 300 families had a table")
    }

    @Test func familiesWithoutNativeBucketsOrWithTooWideBoundsSearch() throws {
        let classic = ClassicBucketIndex(bounds: [0.1, 1, 10], layout: nil)
        defer { classic.deallocate() }
        #expect(!classic.hasTable)
        let fine = try #require(Self.layout(schema: 8, zeroThreshold: 0))
        // 1e-9...1e9 spans about 60 octaves, 15,000 buckets at schema 8.
        let wide = ClassicBucketIndex(bounds: [1e-9, 1, 1e9], layout: fine)
        defer { wide.deallocate() }
        #expect(!wide.hasTable)
        #expect(wide.index(of: 2, key: NativeKey(2, fine).positiveKey) == 2)
        let schemaThree = try #require(Self.layout(schema: 3, zeroThreshold: 0x1p-128))
        let catalog = ClassicBucketIndex(bounds: HistogramBuckets.default, layout: schemaThree)
        defer { catalog.deallocate() }
        #expect(catalog.hasTable)
    }
}
