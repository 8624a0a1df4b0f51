@testable import LLMDevOpsCollectors
import Testing

/// The sweep state machine on its own: which read a tick finds stalled, which sources a new
/// sweep skips, and when a sweep thread goes on or ends.
@Suite struct SweepStateTests {
    enum Source: Hashable, Sendable { case a, b, c }
    typealias State = SweepState<Source>

    /// Reads `source` in `sweep` to the end: allowed, and the thread goes on.
    static func read(_ source: Source, sweep: UInt64, in state: inout State) -> Bool {
        state.willRead(source, sweep: sweep) && state.didRead(source, sweep: sweep) == .next
    }

    @Test func aSweepThatFinishesBeforeTheNextTickLeavesNothingStalled() {
        var state = State()
        let first = state.tick(1)
        #expect(first == .init(stalled: nil, skipping: []))
        let readAll = [Source.a, .b, .c].allSatisfy { Self.read($0, sweep: 1, in: &state) }
        #expect(readAll)
        let finished = state.finish(sweep: 1)
        #expect(finished)
        let second = state.tick(2)
        #expect(second == .init(stalled: nil, skipping: []))
        #expect(state.stalled.isEmpty)
    }

    @Test func aTickDuringAReadStallsThatSourceUntilTheReadReturns() {
        var state = State()
        _ = state.tick(1)
        let readA = Self.read(.a, sweep: 1, in: &state)
        let startsB = state.willRead(.b, sweep: 1)  // b blocks here
        #expect(readA && startsB)
        let second = state.tick(2)
        #expect(second == .init(stalled: .init(source: .b, sweep: 1), skipping: [.b]))
        // Sweep 2 reads the others.
        let others = Self.read(.a, sweep: 2, in: &state) && Self.read(.c, sweep: 2, in: &state)
        let finished = state.finish(sweep: 2)
        #expect(others && finished)
        // Still blocked at the next tick: skipped again, not reported again.
        let third = state.tick(3)
        #expect(third == .init(stalled: nil, skipping: [.b]))
        // The blocked read returns: its thread hands the late result on and ends.
        let late = state.didRead(.b, sweep: 1)
        #expect(late == .exit)
        #expect(state.stalled.isEmpty)
        let readA3 = Self.read(.a, sweep: 3, in: &state)
        #expect(readA3)
        let fourth = state.tick(4)
        #expect(fourth == .init(stalled: nil, skipping: []))
    }

    @Test func aSweepAbandonedBetweenReadsStopsWithoutAStall() {
        var state = State()
        _ = state.tick(1)
        let readA = Self.read(.a, sweep: 1, in: &state)
        #expect(readA)
        // The tick comes between two reads: nothing is in progress, nothing stalls.
        let second = state.tick(2)
        #expect(second == .init(stalled: nil, skipping: []))
        let oldGoesOn = state.willRead(.b, sweep: 1)
        let oldFinishes = state.finish(sweep: 1)
        let newReads = state.willRead(.a, sweep: 2)
        #expect(!oldGoesOn && !oldFinishes && newReads)
    }

    @Test func twoSourcesCanBeParkedAtOnce() {
        var state = State()
        _ = state.tick(1)
        _ = state.willRead(.a, sweep: 1)
        let second = state.tick(2)
        #expect(second.stalled == .init(source: .a, sweep: 1))
        _ = state.willRead(.b, sweep: 2)
        let third = state.tick(3)
        #expect(third == .init(stalled: .init(source: .b, sweep: 2), skipping: [.a, .b]))
        let lateA = state.didRead(.a, sweep: 1)
        #expect(lateA == .exit)
        let fourth = state.tick(4)
        #expect(fourth == .init(stalled: nil, skipping: [.b]))
    }
}
