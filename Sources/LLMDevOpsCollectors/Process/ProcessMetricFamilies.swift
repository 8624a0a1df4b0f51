import LLMDevOpsMetrics

/// The process sampler's families, registered in the registry (client_golang's names plus the
/// two the Prometheus documentation lists and Go lacks: `process_heap_bytes`, network bytes).
/// Names, types, help texts and units are those the scrape-time collector had.
struct ProcessMetricFamilies: Sendable {
    let cpuSeconds: CounterFamily
    let openFiles: GaugeFamily
    let maxFiles: GaugeFamily
    let virtualBytes: GaugeFamily
    let maxVirtualBytes: GaugeFamily
    let residentBytes: GaugeFamily
    let startTime: GaugeFamily
    let threads: GaugeFamily
    let heapBytes: GaugeFamily
    let receivedBytes: CounterFamily
    let transmittedBytes: CounterFamily
    let health: ProcSourceHealth

    static func register(in registry: RegistryActor) async throws(MetricsError) -> ProcessMetricFamilies {
        func gauge(_ name: String, _ unit: String, _ help: String) async throws(MetricsError) -> GaugeFamily {
            try await registry.makeGaugeFamily(name: name, help: help, unit: unit)
        }
        func counter(_ name: String, _ unit: String, _ help: String) async throws(MetricsError) -> CounterFamily {
            try await registry.makeCounterFamily(name: name, help: help, unit: unit)
        }
        return ProcessMetricFamilies(
            cpuSeconds: try await counter(
                "process_cpu_seconds_total", "seconds",
                "Total user and system CPU time spent in seconds "
                    + "(utime + stime of /proc/self/stat over the clock tick rate)."),
            openFiles: try await gauge(
                "process_open_fds", "", "Number of open file descriptors (entries of /proc/self/fd)."),
            maxFiles: try await gauge(
                "process_max_fds", "", "Maximum number of open file descriptors (soft limit in /proc/self/limits)."),
            virtualBytes: try await gauge(
                "process_virtual_memory_bytes", "bytes", "Virtual memory size in bytes (/proc/self/statm size)."),
            maxVirtualBytes: try await gauge(
                "process_virtual_memory_max_bytes", "bytes",
                "Maximum amount of virtual memory available in bytes "
                    + "(soft address-space limit in /proc/self/limits; unlimited is 2^64-1)."),
            residentBytes: try await gauge(
                "process_resident_memory_bytes", "bytes", "Resident memory size in bytes (/proc/self/statm resident)."),
            startTime: try await gauge(
                "process_start_time_seconds", "seconds",
                "Start time of the process since unix epoch in seconds "
                    + "(/proc/self/stat starttime plus /proc/stat btime)."),
            threads: try await gauge(
                "process_threads", "", "Number of OS threads in the process (/proc/self/status Threads)."),
            heapBytes: try await gauge(
                "process_heap_bytes", "bytes",
                "Process heap size in bytes: memory the glibc allocator holds from the system "
                    + "(mallinfo2 arena + hblkhd)."),
            receivedBytes: try await counter(
                "process_network_receive_bytes_total", "bytes",
                "Number of bytes received by the process over the network "
                    + "(/proc/self/net/dev, all interfaces of its namespace)."),
            transmittedBytes: try await counter(
                "process_network_transmit_bytes_total", "bytes",
                "Number of bytes sent by the process over the network "
                    + "(/proc/self/net/dev, all interfaces of its namespace)."),
            health: try await ProcSourceHealth.register(in: registry, sources: ProcessSource.files.compactMap(\.label))
        )
    }
}
