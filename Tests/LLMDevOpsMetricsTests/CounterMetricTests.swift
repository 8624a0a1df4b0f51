import Testing

@testable import LLMDevOpsMetrics

/// ``CounterMetric`` keeps its context or extras reference and its two flags in one tagged
/// word: the flags survive the switch to extras, the references it holds are released exactly
/// once, and a plain series (values, creation time, word) fits a 64-byte allocation.
@Suite struct CounterMetricTests {
    private static func context() -> SeriesContext {
        SeriesContext(
            familyName: "c",
            clock: MetricsClock(wallSeconds: { 1_700_000_000.5 }, monotonicNanoseconds: { 0 }),
            bounds: []
        )
    }

    @Test func aPlainSeriesIsOneSmallAllocation() {
        // 48 bytes of instance (header, two value words, the creation time, the tagged word).
        // glibc rounds a request up to a chunk of request + 8 bytes in steps of 16, so 48 is a
        // 64-byte chunk and 57 or more an 80-byte one. The instance size is read from the class
        // metadata rather than from malloc_usable_size of live objects: the chunk glibc hands
        // out depends on the arena's free lists (a parallel test's freed 80-byte chunks served
        // all 64 counters once in CI), the size the runtime requests does not.
        let instanceBytes = instancePositiveExtentSize(CounterMetric.self)
        #expect(instanceBytes == 48)
        #expect((instanceBytes + 8 + 15) & ~15 == 64, "a plain series no longer fits glibc's 64-byte chunk")
    }

    @Test func flagsSurviveTheSwitchToExtras() {
        let counter = CounterMetric(context: Self.context())
        #expect(counter.isExported)
        #expect(!counter.consumeActivity())
        counter.increment()
        counter.markDetached()
        counter.increment(by: 1.5, exemplar: ["trace_id": "abc"])
        #expect(!counter.isExported)
        #expect(counter.consumeActivity())
        #expect(!counter.consumeActivity())
        var counts = BucketCounts()
        guard case .counter(let value, let created, let exemplar) = counter.snapshot(into: &counts).storage else {
            Issue.record("not a counter value")
            return
        }
        #expect(value == 2.5)
        #expect(created == 1_700_000_000.5)
        #expect(exemplar?.labels == ["trace_id": "abc"])
        #expect(exemplar?.value == 1.5)
    }

    @Test func rejectedUpdatesAreCountedThroughTheContextBeforeAndAfterExtras() {
        let context = Self.context()
        let counter = CounterMetric(context: context)
        counter.increment(by: -1)
        counter.increment(by: 1.0, exemplar: ["trace_id": "x"])
        counter.increment(by: Double.nan)
        counter.increment(by: 1.0, exemplar: ["bad name": "x"])
        #expect(counter.context === context)
        #expect(context.invalidUpdates(.negativeIncrement) == 1)
        #expect(context.invalidUpdates(.nanValue) == 1)
        #expect(context.invalidUpdates(.invalidExemplar) == 1)
        #expect(counter.value == 2)
    }

    @Test func creationTimeIsAlwaysKept() {
        let counter = CounterMetric(context: Self.context())
        counter.increment(by: 1.0, exemplar: ["trace_id": "abc"])
        var counts = BucketCounts()
        guard case .counter(_, let created, let exemplar) = counter.snapshot(into: &counts).storage else {
            Issue.record("not a counter value")
            return
        }
        #expect(created == 1_700_000_000.5)
        #expect(exemplar != nil)
    }

    /// The context is released once the series (and its extras) are gone, in every form: a
    /// leak keeps it alive, an extra release would crash.
    @Test(arguments: [false, true])
    func referencesAreReleasedExactlyOnce(exemplar: Bool) {
        weak var released: SeriesContext?
        do {
            let context = Self.context()
            released = context
            let counter = CounterMetric(context: context)
            if exemplar { counter.increment(by: 1, exemplar: ["trace_id": "abc"]) }
            counter.increment()
            #expect(counter.context === context)
        }
        #expect(released == nil)
    }

    /// Tasks race to install extras (exemplars) while others increment, mark activity and
    /// detach: every increment lands, one exemplar wins, and the detached flag stays set.
    @Test func concurrentExemplarsIncrementsAndFlags() async {
        for _ in 0..<50 {
            let counter = CounterMetric(context: Self.context())
            await withTaskGroup(of: Void.self) { group in
                for task in 0..<4 {
                    group.addTask {
                        for round in 0..<100 {
                            if task == 0, round == 50 { counter.markDetached() }
                            if task.isMultiple(of: 2) {
                                counter.increment()
                            } else {
                                counter.increment(by: 1.0, exemplar: ["trace_id": "\(task)-\(round)"])
                            }
                            _ = counter.consumeActivity()
                        }
                    }
                }
            }
            #expect(counter.value == 400)
            #expect(!counter.isExported)
            var counts = BucketCounts()
            guard case .counter(_, _, let exemplar) = counter.snapshot(into: &counts).storage else {
                Issue.record("not a counter value")
                return
            }
            #expect(exemplar != nil)
        }
    }
}

/// The standard library's `_class_getInstancePositiveExtentSize` (the bytes an instance of a
/// class takes, as the runtime allocates them), exported by libswiftCore but declared only
/// where Objective-C interop exists; reached here through its symbol.
@_silgen_name("$ss36_class_getInstancePositiveExtentSizeySiyXlXpF")
private func instancePositiveExtentSize(_ type: AnyObject.Type) -> Int
