import Foundation
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real file-system reader, counting every read; `onRead` sees each path as its read
/// begins (on the sweep thread).
final class CountingProcReader: ProcReader {
    private let reader = FileSystemProcReader()
    private let paths = Lock<[String]>([])
    private let onRead: (@Sendable (String) -> Void)?

    init(onRead: (@Sendable (String) -> Void)? = nil) {
        self.onRead = onRead
    }

    /// Reads so far (files and directory listings).
    var reads: Int { paths.withLock { $0.count } }

    /// Reads so far of paths ending in `suffix`.
    func reads(endingIn suffix: String) -> Int {
        paths.withLock { $0.filter { $0.hasSuffix(suffix) }.count }
    }

    func contents(of path: String) -> String? {
        paths.withLock { $0.append(path) }
        onRead?(path)
        return reader.contents(of: path)
    }

    func countEntries(_ path: String) -> Int? {
        paths.withLock { $0.append(path) }
        onRead?(path)
        return reader.countEntries(path)
    }
}

/// Ticks a sampler by hand, as swift-configuration's ReloadingFileProvider tests trigger
/// reloads: no timer, no sleep.
struct ManualTicks: Sendable {
    let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Void.self)
    }

    func tick() {
        continuation.yield()
    }
}

/// What the tests need of both samplers.
protocol SamplingCollector: Sendable {
    func run(ticks: some AsyncSequence<Void, Never> & Sendable) async throws(CollectorsError)
    func finish()
    func wait(forSweep sweep: UInt64) async
    var liveSweepThreads: Int { get }
}

extension ProcessCollector: SamplingCollector {}
extension RuntimeCollector: SamplingCollector {}

/// A sampler running on manual ticks for the duration of `body`; `tick()` ticks once and waits
/// until that sweep has been applied.
final class Sampling<Collector: SamplingCollector>: Sendable {
    let collector: Collector
    let ticks: ManualTicks
    private let count = Atomic<UInt64>(0)

    init(_ collector: Collector, ticks: ManualTicks) {
        self.collector = collector
        self.ticks = ticks
    }

    /// Ticks and returns once the sweep it started has been applied.
    func tick() async {
        let sweep = count.add(1, ordering: .relaxed).newValue
        ticks.tick()
        await collector.wait(forSweep: sweep)
    }

    /// Ticks without waiting; returns the sweep number.
    @discardableResult
    func tickWithoutWaiting() -> UInt64 {
        let sweep = count.add(1, ordering: .relaxed).newValue
        ticks.tick()
        return sweep
    }

    /// Runs `collector` on manual ticks around `body`, then finishes it and waits for `run` to return.
    static func with<Result: Sendable>(
        _ collector: Collector,
        _ body: (Sampling) async throws -> Result
    ) async throws -> Result {
        let sampling = Sampling(collector, ticks: ManualTicks())
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await collector.run(ticks: sampling.ticks.stream) }
            do {
                let result = try await body(sampling)
                collector.finish()
                try await group.waitForAll()
                return result
            } catch {
                collector.finish()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}

/// The samples a sampler applied, in order, for tests that wait for one in particular.
final class AppliedSamples<Sample: Sendable>: Sendable {
    private let stream: AsyncStream<Sample>
    private let continuation: AsyncStream<Sample>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream(of: Sample.self)
    }

    /// The closure to hand to the sampler.
    var record: @Sendable (Sample) -> Void {
        { [continuation] in continuation.yield($0) }
    }

    /// Waits for the next applied sample that matches, skipping at most `limit` others.
    func next(limit: Int = 1000, where matches: (Sample) -> Bool) async -> Sample? {
        var skipped = 0
        for await sample in stream {
            if matches(sample) { return sample }
            skipped += 1
            if skipped >= limit { return nil }
        }
        return nil
    }
}

/// An independent answer to "has something replaced glibc's malloc in this process?": the
/// AddressSanitizer runtime is present, or the `malloc` the process resolves is defined outside
/// libc (asked of the dynamic linker with `dladdr`, looked up through `dlsym` because Glibc's
/// module map leaves it out without `_GNU_SOURCE`).
enum AllocatorOracle {
    static var glibcMallocIsReplaced: Bool {
        #if canImport(Glibc)
        let process = dlopen(nil, RTLD_NOW)
        defer { if let process { dlclose(process) } }
        if dlsym(process, "__asan_init") != nil { return true }
        typealias Dladdr = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> Int32
        guard let malloc = dlsym(process, "malloc"), let symbol = dlsym(process, "dladdr") else { return true }
        let dladdr = unsafeBitCast(symbol, to: Dladdr.self)
        // Dl_info: dli_fname, dli_fbase, dli_sname, dli_saddr.
        var info: (UnsafePointer<CChar>?, UnsafeRawPointer?, UnsafePointer<CChar>?, UnsafeRawPointer?) =
            (nil, nil, nil, nil)
        let found = withUnsafeMutablePointer(to: &info) { dladdr(malloc, UnsafeMutableRawPointer($0)) }
        guard found != 0, let file = info.0 else { return true }
        return !String(cString: file).contains("libc.so")
        #else
        return true
        #endif
    }
}
