import LLMDevOpsTestSupport
import Testing

@testable import LLMDevOpsMetrics

@Suite struct SeriesTableTests {
    final class Entry: Sendable {
        let id: Int
        init(_ id: Int) { self.id = id }
    }

    private func id(_ object: AnyObject?) -> Int? {
        (object as? Entry)?.id
    }

    /// Seeded inserts and removals against a dictionary: every present key is found by its
    /// stored key and by its raw values, removed ones are not, and the order is sorted by key.
    @Test func behavesLikeADictionaryThroughGrowthAndRemoval() throws {
        var random = SplitMix64(seed: 0x7AB1E)
        var table = SeriesTable()
        var reference: [String: Int] = [:]
        var valuesByKey: [String: [String]] = [:]
        for step in 0..<5_000 {
            let values = ["/api/v1/items/\(random.next() % 700)", ["GET", "POST", ""][Int(random.next() % 3)]]
            let key = LabelKey.make(values)
            valuesByKey[key] = values
            if random.next() % 4 == 0 {
                #expect(id(table.remove(key: key)) == reference.removeValue(forKey: key))
            } else if reference[key] == nil {
                table.insert(Entry(step), key: key)
                reference[key] = step
            }
            #expect(table.count == reference.count)
        }
        for (key, values) in valuesByKey {
            #expect(id(table.series(for: LabelProbe(key: key))) == reference[key])
            #expect(id(table.series(for: try #require(LabelProbe(values: values)))) == reference[key])
        }
        #expect(table.order().map { table.keys[Int($0)] } == reference.keys.sorted())
        #expect(table.order().map { id(table.series[Int($0)]) } == reference.keys.sorted().map { reference[$0] })
    }

    /// Inserting with a hash the caller already has (the raw values' hash, as series creation
    /// does) stores the same slots as hashing the key: every series is found by key and by
    /// values, through growth and removals, and the order is the same.
    @Test func insertWithAKnownHashAgreesWithInsertByKey() throws {
        var byKey = SeriesTable()
        var byHash = SeriesTable()
        for index in 0..<3_000 {
            let values = ["/api/v1/items/\(index)", index.isMultiple(of: 3) ? "" : "200"]
            let key = LabelKey.make(values)
            byKey.insert(Entry(index), key: key)
            byHash.insert(Entry(index), key: key, hash: try #require(LabelProbe.hash(values: values)))
        }
        for index in stride(from: 0, to: 3_000, by: 7) {
            let key = LabelKey.make(["/api/v1/items/\(index)", index.isMultiple(of: 3) ? "" : "200"])
            #expect(id(byKey.remove(key: key)) == index)
            #expect(id(byHash.remove(key: key)) == index)
        }
        #expect(byHash.count == byKey.count)
        for index in 0..<3_000 {
            let values = ["/api/v1/items/\(index)", index.isMultiple(of: 3) ? "" : "200"]
            let expected = index.isMultiple(of: 7) ? nil : index
            #expect(id(byHash.series(for: LabelProbe(key: LabelKey.make(values)))) == expected)
            #expect(id(byHash.series(for: try #require(LabelProbe(values: values)))) == expected)
        }
        #expect(byHash.order().map { byHash.keys[Int($0)] } == byKey.order().map { byKey.keys[Int($0)] })
    }

    @Test func removeAllEmptiesTheTable() {
        var table = SeriesTable()
        for index in 0..<100 { table.insert(Entry(index), key: "k\(index)") }
        table.removeAll()
        #expect(table.count == 0)
        #expect(table.series(for: LabelProbe(key: "k1")) == nil)
        #expect(table.order().isEmpty)
        table.insert(Entry(7), key: "k1")
        #expect(id(table.series(for: LabelProbe(key: "k1"))) == 7)
    }
}
