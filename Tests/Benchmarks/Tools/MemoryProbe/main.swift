// W7: resident memory per counter series, in a fresh process (one contender per run).
//
//   MemoryProbe --contender ours|swift-prometheus [--series 100000]
//
// Creates `series` counter series in families of 1000 (labels `route="/api/v1/items/<n>"` and
// `code`), increments each once, and prints one JSON object with the resident set (from
// /proc/self/statm) before and after. Label values are built at the call site and dropped, as
// an application would, so the registry's own copies are what stays resident. The registry
// (and the family handles) stay alive until after the second reading.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LLMDevOpsMetrics
import Prometheus

/// Writes to standard error without touching the C `stderr` global (not concurrency-safe in Swift 6).
func writeError(_ message: String) {
    let bytes = Array(message.utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

func residentBytes() -> Int {
    // statm: size resident shared text lib data dt, in pages.
    let fd = open("/proc/self/statm", O_RDONLY)
    guard fd >= 0 else { return -1 }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 256)
    let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
    guard count > 0 else { return -1 }
    let fields = String(decoding: buffer[..<count], as: UTF8.self).split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return -1 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

func fail(_ message: String) -> Never {
    writeError("MemoryProbe: \(message)\nusage: MemoryProbe --contender ours|swift-prometheus [--series N]\n")
    exit(2)
}

var contender = ""
var series = 100_000
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--contender": contender = arguments.popFirst() ?? ""
    case "--series":
        guard let value = arguments.popFirst().flatMap(Int.init), value > 0 else { fail("--series needs a positive number") }
        series = value
    default: fail("unknown argument '\(argument)'")
    }
}
let perFamily = 1000
let families = (series + perFamily - 1) / perFamily
let codes = ["200", "201", "400", "404", "500"]

let before: Int
let after: Int
switch contender {
case "ours":
    let registry = RegistryActor(
        configuration: RegistryConfiguration(maxSeriesPerMetric: perFamily, maxSeries: series + 1000, exposeSelfMetrics: false))
    before = residentBytes()
    var handles: [CounterFamily] = []
    for family in 0..<families {
        let counters = try await registry.makeCounterFamily(name: "probe_family_\(family)_total", labelNames: ["route", "code"])
        handles.append(counters)
        for n in 0..<min(perFamily, series - family * perFamily) {
            try await counters.labels(values: ["/api/v1/items/\(n)", codes[n % codes.count]]).increment()
        }
    }
    after = residentBytes()
    withExtendedLifetime((registry, handles)) {}
case "swift-prometheus":
    let registry = PrometheusCollectorRegistry()
    before = residentBytes()
    for family in 0..<families {
        for n in 0..<min(perFamily, series - family * perFamily) {
            registry.makeCounter(name: "probe_family_\(family)_total", labels: [("route", "/api/v1/items/\(n)"), ("code", codes[n % codes.count])])
                .increment()
        }
    }
    after = residentBytes()
    withExtendedLifetime(registry) {}
default:
    fail("--contender must be ours or swift-prometheus")
}
print(
    #"{"contender": "\#(contender)", "series": \#(series), "rss_before_bytes": \#(before), "rss_after_bytes": \#(after), "bytes_per_series": \#(Double(after - before) / Double(series))}"#
)
