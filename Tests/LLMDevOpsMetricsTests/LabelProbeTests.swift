import LLMDevOpsTestSupport
import Testing

@testable import LLMDevOpsMetrics

@Suite struct LabelProbeTests {
    /// Label sets whose values need no escaping: the raw-value probes hash like the stored key
    /// and match it.
    static let plainLabelSets: [[String]] = [
        [],
        [""],
        ["", ""],
        ["", "x"],
        ["x", ""],
        ["GET"],
        ["/api/v1/resource_3", "200"],
        ["/api/v1/items/42", "POST", "201"],
        ["héllo wörld", "日本語", "🙂 emoji"],
        ["a very long label value that is well beyond the small string limit", "b"],
        ["tab\tand carriage\rreturn", "{}=,'"],
    ]

    @Test(arguments: plainLabelSets)
    func rawValueProbesHashAndMatchLikeTheStoredKey(values: [String]) throws {
        let key = LabelKey.make(values)
        let stored = LabelProbe(key: key)
        let byValues = try #require(LabelProbe(values: values))
        // Another collection type, as labels(_:) passes a buffer read from the dictionary.
        let padded = ["ignored"] + values
        let slice = padded[1...]
        #expect(byValues.hash == stored.hash)
        #expect(LabelProbe.hash(values: slice) == stored.hash)
        #expect(stored.matches(key))
        #expect(byValues.matches(key))
        #expect(LabelProbe.matches(values: slice, key: key))
    }

    /// Values with `\`, `"` or a newline are never probed raw: the caller builds the escaped key.
    @Test(arguments: [["a\"b"], ["back\\slash", "x"], ["x", "line\nbreak"], ["\""]])
    func valuesThatNeedEscapingAreNotProbedRaw(values: [String]) {
        #expect(LabelProbe(values: values) == nil)
        #expect(LabelProbe.hash(values: values[...]) == nil)
        let key = LabelKey.make(values)
        #expect(LabelProbe(key: key).matches(key))
        #expect(LabelProbe(key: key).hash == LabelProbe(key: LabelKey.make(values)).hash)
    }

    /// Stored keys with escaped values hash per segment, so they hash like a key with the same
    /// segment bytes, and differ from keys that split differently.
    @Test func escapedSeparatorsDoNotSplitSegments() {
        let escaped = LabelKey.make(["a\"b", "c"])  // a\"b"c: two segments
        #expect(!LabelProbe(key: escaped).matches(LabelKey.make(["a\\", "b", "c"])))
        #expect(LabelProbe(key: escaped).matches(escaped))
        #expect(LabelKey.make(["a\\", "b"]) != LabelKey.make(["a\\\"b"]))
    }

    @Test func differentLabelSetsDoNotMatch() throws {
        let key = LabelKey.make(["ab", "c"])
        for other: [String] in [["a", "bc"], ["ab"], ["ab", "c", ""], ["ab", "cd"], ["ab", ""], ["abc"], ["", "abc"]] {
            #expect(try #require(LabelProbe(values: other)).matches(key) == false, "\(other)")
        }
        #expect(try #require(LabelProbe(values: [])).matches("x") == false)
        #expect(try #require(LabelProbe(values: [""])).matches("") == true)
    }

    /// Seeded random values (any Unicode scalar, separators and escapes included): the probe
    /// forms agree with the stored key whenever they exist, and a stored key always matches itself.
    @Test func randomValuesAgreeAcrossForms() throws {
        var random = SplitMix64(seed: 0x9B0B_E5EE)
        let alphabet: [Character] = ["a", "Z", "0", "/", "\"", "\\", "\n", "é", "🙂", " ", "_"]
        for _ in 0..<2_000 {
            let count = Int(random.next() % 4)
            let values = (0..<count).map { _ in
                String((0..<Int(random.next() % 6)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            }
            let key = LabelKey.make(values)
            let stored = LabelProbe(key: key)
            #expect(stored.matches(key))
            let needsEscaping = values.contains(where: LabelKey.needsEscaping)
            let probe = LabelProbe(values: values)
            #expect((probe == nil) == needsEscaping)
            if let probe {
                #expect(probe.hash == stored.hash, "\(values)")
                #expect(probe.matches(key), "\(values)")
            }
        }
    }
}
