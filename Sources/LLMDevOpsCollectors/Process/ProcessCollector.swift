public import LLMDevOpsMetrics

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Process metrics read from `/proc` at every scrape, with client_golang's names plus the two
/// the Prometheus documentation lists and Go lacks (`process_heap_bytes`, network bytes).
///
/// | metric | source |
/// |---|---|
/// | `process_cpu_seconds_total` | `self/stat` utime + stime ÷ `_SC_CLK_TCK` |
/// | `process_start_time_seconds` | `self/stat` starttime ÷ `_SC_CLK_TCK` + `stat` btime |
/// | `process_threads` | `self/status` `Threads:` |
/// | `process_virtual_memory_bytes`, `process_resident_memory_bytes` | `self/statm` size, resident × page size |
/// | `process_open_fds` | entries of `self/fd/` (the directory stream's own descriptor included) |
/// | `process_max_fds`, `process_virtual_memory_max_bytes` | `self/limits` soft limits |
/// | `process_network_{receive,transmit}_bytes_total` | `self/net/dev`, all interfaces |
/// | `process_heap_bytes` | glibc `mallinfo2()` arena + mmapped bytes |
///
/// A file that cannot be read or parsed leaves out only the metrics that come from it and
/// increments `llmdevops_process_read_errors_total{source}`; the collector itself never throws.
public struct ProcessCollector: PullCollector {
    /// Where a value comes from: the `source` label of the read-error counter.
    enum Source: String, CaseIterable, Sendable {
        case stat
        case status
        case statm
        case fd
        case limits
        case netDev = "net_dev"
        case procStat = "proc_stat"
    }

    static let readErrorsName = "llmdevops_process_read_errors"

    /// `process`.
    public var name: String { "process" }
    /// The proc file system root, `/proc` unless a test injects another directory.
    public let procRoot: String
    private let readErrors: ReadErrorTally

    /// Creates a collector reading below `procRoot`.
    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
        self.readErrors = ReadErrorTally()
    }

    /// The declared families.
    public var metrics: [MetricDescriptor] { Self.descriptors }

    private static let descriptors: [MetricDescriptor] = [
        (MetricType.counter, "process_cpu_seconds_total", "seconds",
         "Total user and system CPU time spent in seconds (utime + stime of /proc/self/stat over the clock tick rate)."),
        (.gauge, "process_open_fds", "", "Number of open file descriptors (entries of /proc/self/fd)."),
        (.gauge, "process_max_fds", "", "Maximum number of open file descriptors (soft limit in /proc/self/limits)."),
        (.gauge, "process_virtual_memory_bytes", "bytes", "Virtual memory size in bytes (/proc/self/statm size)."),
        (.gauge, "process_virtual_memory_max_bytes", "bytes",
         "Maximum amount of virtual memory available in bytes (soft address-space limit in /proc/self/limits; unlimited is 2^64-1)."),
        (.gauge, "process_resident_memory_bytes", "bytes", "Resident memory size in bytes (/proc/self/statm resident)."),
        (.gauge, "process_start_time_seconds", "seconds",
         "Start time of the process since unix epoch in seconds (/proc/self/stat starttime plus /proc/stat btime)."),
        (.gauge, "process_threads", "", "Number of OS threads in the process (/proc/self/status Threads)."),
        (.gauge, "process_heap_bytes", "bytes",
         "Process heap size in bytes: memory the glibc allocator holds from the system (mallinfo2 arena + hblkhd)."),
        (.counter, "process_network_receive_bytes_total", "bytes",
         "Number of bytes received by the process over the network (/proc/self/net/dev, all interfaces of its namespace)."),
        (.counter, "process_network_transmit_bytes_total", "bytes",
         "Number of bytes sent by the process over the network (/proc/self/net/dev, all interfaces of its namespace)."),
        (.counter, readErrorsName + "_total", "",
         "Reads of a /proc source that failed or could not be parsed; the metrics from that source are left out of the scrape."),
    ].compactMap { spec in
        // The names and units above are constant and valid; a descriptor that failed to build
        // would be missing from every scrape, which the collector's tests would show.
        try? MetricDescriptor(
            type: spec.0, name: spec.1, help: spec.3, unit: spec.2,
            labelNames: spec.1.hasPrefix(readErrorsName) ? ["source"] : [])
    }

    /// Reads every source now.
    public func collect() async throws -> [CollectedFamily] {
        var families: [CollectedFamily] = []
        func gauge(_ name: String, _ value: Double) {
            families.append(CollectedFamily(name: name, samples: [CollectedSample(value: .gauge(value))]))
        }
        func counter(_ name: String, _ value: Double) {
            families.append(CollectedFamily(name: name, samples: [CollectedSample(value: .counter(value))]))
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let base = procRoot + "/self/"

        if let stat = read(.stat, base + "stat", ProcParser.stat) {
            counter("process_cpu_seconds", (stat.userTicks + stat.systemTicks) / ticks)
            if let bootTime = read(.procStat, procRoot + "/stat", ProcParser.bootTime) {
                gauge("process_start_time_seconds", bootTime + stat.startTicks / ticks)
            }
        }
        if let threads = read(.status, base + "status", { ProcParser.statusValue($0, key: "Threads") }) {
            gauge("process_threads", threads)
        }
        if let statm = read(.statm, base + "statm", ProcParser.statm) {
            gauge("process_virtual_memory_bytes", statm.sizePages * pageSize)
            gauge("process_resident_memory_bytes", statm.residentPages * pageSize)
        }
        if let open = ProcFile.countEntries(base + "fd") {
            gauge("process_open_fds", Double(open))
        } else {
            readErrors.count(.fd)
        }
        if let limits = ProcFile.contents(of: base + "limits"),
            let maxFiles = ProcParser.softLimit(limits, name: "Max open files"),
            let maxAddress = ProcParser.softLimit(limits, name: "Max address space")
        {
            gauge("process_max_fds", maxFiles)
            gauge("process_virtual_memory_max_bytes", maxAddress)
        } else {
            readErrors.count(.limits)
        }
        if let network = read(.netDev, base + "net/dev", ProcParser.networkBytes) {
            counter("process_network_receive_bytes", network.received)
            counter("process_network_transmit_bytes", network.transmitted)
        }
        if let malloc = MallocStatistics.current() {
            gauge("process_heap_bytes", malloc.heapBytes)
        }
        let errors = readErrors.snapshot()
        families.append(
            CollectedFamily(
                name: Self.readErrorsName,
                samples: Source.allCases.map {
                    CollectedSample(labels: ["source": $0.rawValue], value: .counter(Double(errors[$0] ?? 0)))
                }
            )
        )
        return families
    }

    private func read<Value>(_ source: Source, _ path: String, _ parse: (String) -> Value?) -> Value? {
        guard let text = ProcFile.contents(of: path), let value = parse(text) else {
            readErrors.count(source)
            return nil
        }
        return value
    }
}
