/// Applies the process sampler's stream to its families; owned by the one task that drains it.
///
/// The stale-value rule: a metric is exported only while the latest read of each source it
/// comes from succeeded. A read that fails (or cannot be parsed) counts an error for its source
/// and removes that source's series; a read still in progress at the next tick (stalled) sets
/// `llmdevops_process_read_stalled{source}` to 1 and removes them too. The next good read brings
/// them back with its own values (counters with their running totals, never from zero), and
/// clears the stalled flag. Readings are tagged with the sweep that started them: one older than
/// the latest applied for its source (a late read that returned after a newer one) is dropped,
/// and so is a stall report for a read whose result was already applied (``SourceFreshness``).
struct ProcessSampleApplier: SampleApplying {
    private let families: ProcessMetricFamilies
    private var freshness: SourceFreshness<ProcessSource>
    /// The current good reading per source; none while its latest read failed or is stalled.
    private var current: [ProcessSource: ProcessReading] = [:]
    private var network = NetworkTotals()

    private var cpuSeconds: SampledCounter
    private var receivedBytes: SampledCounter
    private var transmittedBytes: SampledCounter
    private var startTime: SampledGauge
    private var threads: SampledGauge
    private var virtualBytes: SampledGauge
    private var residentBytes: SampledGauge
    private var openFiles: SampledGauge
    private var maxFiles: SampledGauge
    private var maxVirtualBytes: SampledGauge
    private var heapBytes: SampledGauge

    init(families: ProcessMetricFamilies) {
        self.families = families
        freshness = SourceFreshness(health: families.health) { $0.label }
        cpuSeconds = SampledCounter(families.cpuSeconds)
        receivedBytes = SampledCounter(families.receivedBytes)
        transmittedBytes = SampledCounter(families.transmittedBytes)
        startTime = SampledGauge(families.startTime)
        threads = SampledGauge(families.threads)
        virtualBytes = SampledGauge(families.virtualBytes)
        residentBytes = SampledGauge(families.residentBytes)
        openFiles = SampledGauge(families.openFiles)
        maxFiles = SampledGauge(families.maxFiles)
        maxVirtualBytes = SampledGauge(families.maxVirtualBytes)
        heapBytes = SampledGauge(families.heapBytes)
    }

    /// Applies one element of the stream.
    mutating func apply(_ sample: ProcessSample) async {
        switch sample {
        case .read(let source, let sweep, let reading):
            guard freshness.acceptRead(source, sweep: sweep, failed: reading == nil) else { return }
            if case .netDev(let interfaces)? = reading { network.add(interfaces) }
            current[source] = reading
            await publish(source)
        case .stalled(let source, let sweep):
            guard freshness.acceptStall(source, sweep: sweep) else { return }
            current[source] = nil
            await publish(source)
        case .finished:
            break
        }
    }

    /// Exports or removes the metrics that come from `source`.
    private mutating func publish(_ source: ProcessSource) async {
        switch source {
        case .stat, .procStat:
            var cpu: Double?
            var startAfterBoot: Double?
            if case .stat(let seconds, let start) = current[.stat] {
                cpu = seconds
                startAfterBoot = start
            }
            var bootTime: Double?
            if case .procStat(let boot) = current[.procStat] { bootTime = boot }
            if source == .stat { await cpuSeconds.update(cpu) }
            await startTime.update(startAfterBoot.flatMap { start in bootTime.map { $0 + start } })
        case .status:
            var value: Double?
            if case .status(let count) = current[.status] { value = count }
            await threads.update(value)
        case .statm:
            var sizes: (virtual: Double, resident: Double)?
            if case .statm(let virtual, let resident) = current[.statm] { sizes = (virtual, resident) }
            await virtualBytes.update(sizes?.virtual)
            await residentBytes.update(sizes?.resident)
        case .fd:
            var value: Double?
            if case .fd(let count) = current[.fd] { value = count }
            await openFiles.update(value)
        case .limits:
            var limits: (files: Double, address: Double)?
            if case .limits(let files, let address) = current[.limits] { limits = (files, address) }
            await maxFiles.update(limits?.files)
            await maxVirtualBytes.update(limits?.address)
        case .netDev:
            let present = current[.netDev] != nil
            await receivedBytes.update(present ? Double(network.received) : nil)
            await transmittedBytes.update(present ? Double(network.transmitted) : nil)
        case .heap:
            var value: Double?
            if case .heap(let bytes) = current[.heap] { value = bytes }
            await heapBytes.update(value)
        }
    }
}
