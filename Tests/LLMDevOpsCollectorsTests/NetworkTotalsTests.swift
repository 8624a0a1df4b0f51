@testable import LLMDevOpsCollectors
import Testing

/// `process_network_*_bytes_total` from `/proc/self/net/dev`: monotonic although the file's
/// per-interface numbers are not.
@Suite struct NetworkTotalsTests {
    static func interfaces(_ values: [(String, UInt64, UInt64)]) -> [NetworkInterfaceBytes] {
        values.map { NetworkInterfaceBytes(name: $0.0, received: $0.1, transmitted: $0.2) }
    }

    @Test func theFirstReadingCountsEveryInterfaceInFull() {
        var totals = NetworkTotals()
        totals.add(Self.interfaces([("lo", 1000, 2000), ("eth0", 500, 700)]))
        #expect(totals.received == 1500)
        #expect(totals.transmitted == 2700)
    }

    @Test func increasesAddUpAndFallsNeverSubtract() {
        var totals = NetworkTotals()
        totals.add(Self.interfaces([("lo", 1000, 2000), ("eth0", 500, 700)]))
        totals.add(Self.interfaces([("lo", 1100, 2050), ("eth0", 600, 700)]))
        #expect(totals.received == 1700)
        #expect(totals.transmitted == 2750)
        // eth0 removed: its bytes stay counted.
        totals.add(Self.interfaces([("lo", 1200, 2100)]))
        #expect(totals.received == 1800)
        #expect(totals.transmitted == 2800)
        // eth0 re-created from zero, lo reset (its counter wrapped or the namespace changed).
        totals.add(Self.interfaces([("lo", 10, 20), ("eth0", 5, 7)]))
        #expect(totals.received == 1815)
        #expect(totals.transmitted == 2827)
        // An empty table (header only) adds nothing.
        totals.add([])
        #expect(totals.received == 1815)
    }

    @Test func theParserReadsEveryInterfaceAndRejectsOtherText() {
        let text = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    1000      10    0    0    0     0          0         0     2000      20    0    0    0     0       0          0
              eth0:18446744073709551615 5 0 0 0 0 0 0 700 7 0 0 0 0 0 0

            """
        #expect(
            ProcParser.networkInterfaces(text)
                == Self.interfaces([("lo", 1000, 2000), ("eth0", UInt64.max, 700)]))
        #expect(ProcParser.networkInterfaces("Inter-|\n face |\n") == [])
        #expect(ProcParser.networkInterfaces("not the table") == nil)
    }
}
