/// Received and transmitted byte totals that only grow, from successive readings of
/// `/proc/self/net/dev`.
///
/// The file's numbers are per interface and can fall: an interface that is removed takes its
/// bytes out of the sum, and one that is re-created starts again at zero. Summing the file (as
/// a scrape-time collector does) would then export a falling counter, which Prometheus reads as
/// a reset and turns into a spike. Here each interface's increase since the previous reading
/// is added (a fall is a reset of that interface: its new value is the increase), so the
/// totals are monotonic. The first reading counts every interface in full, as the file's sum.
struct NetworkTotals: Sendable {
    private(set) var received: UInt64 = 0
    private(set) var transmitted: UInt64 = 0
    private var last: [String: (received: UInt64, transmitted: UInt64)] = [:]

    /// Adds what `interfaces` shows since the previous reading.
    mutating func add(_ interfaces: [NetworkInterfaceBytes]) {
        var seen: [String: (received: UInt64, transmitted: UInt64)] = [:]
        for interface in interfaces {
            let previous = last[interface.name]
            received &+= Self.increase(from: previous?.received, to: interface.received)
            transmitted &+= Self.increase(from: previous?.transmitted, to: interface.transmitted)
            seen[interface.name] = (interface.received, interface.transmitted)
        }
        last = seen
    }

    private static func increase(from previous: UInt64?, to current: UInt64) -> UInt64 {
        guard let previous, current >= previous else { return current }
        return current - previous
    }
}
