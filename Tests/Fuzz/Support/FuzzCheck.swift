import Dispatch
import LLMDevOpsMetrics

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Stops the run when a property does not hold: prints the message and aborts, so libFuzzer
/// reports a crash and writes the input to a `crash-…` file (replay it by passing the file).
public func fuzzCheck(
    _ condition: @autoclosure () -> Bool,
    _ message: @autoclosure () -> String,
    file: StaticString = #fileID,
    line: UInt = #line
) {
    guard !condition() else { return }
    let text = Array("property violated at \(file):\(line): \(message())\n".utf8)
    _ = text.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    abort()
}

/// Runs `work` to completion from the fuzzer's synchronous callback, on the calling thread:
/// the task prefers ``InlineExecutor``, whose jobs (the task's, and those of the default
/// actors it calls, such as the registry) this thread runs until the work is done. Handing
/// every input to Swift's cooperative threads instead costs two thread wake-ups per input,
/// which on a loaded machine held the targets to about 30 inputs per second.
public func runBlocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let executor = InlineExecutor()
    let result = Lock<T?>(nil)
    Task(executorPreference: executor) {
        let value = await work()
        result.withLock { $0 = value }
        executor.wake()
    }
    executor.run { result.withLock { $0 != nil } }
    // Invariant: run returns only once the task stored its value.
    guard let value = result.withLock({ $0 }) else { fatalError("runBlocking: no result") }
    return value
}

/// A task executor whose jobs one thread runs in ``run(until:)``; jobs enqueued from other
/// threads (timers, NIO) wake it.
///
/// `@unchecked Sendable` invariant: the only mutable state, the job queue, is behind a `Lock`;
/// the semaphore is thread-safe.
public final class InlineExecutor: TaskExecutor, @unchecked Sendable {
    private let jobs = Lock<[UnownedJob]>([])
    private let signal = DispatchSemaphore(value: 0)

    public init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.append(job) }
        signal.signal()
    }

    /// Wakes ``run(until:)`` to check its condition.
    public func wake() {
        signal.signal()
    }

    /// Runs enqueued jobs on the calling thread until `done` holds.
    public func run(until done: () -> Bool) {
        while !done() {
            let next = jobs.withLock { $0.isEmpty ? nil : $0.removeFirst() }
            if let next {
                next.runSynchronously(on: asUnownedTaskExecutor())
            } else {
                signal.wait()
            }
        }
    }
}

/// Shows a value with escapes, for property messages.
public func quoted(_ value: String) -> String {
    value.debugDescription
}

/// Shows bytes as an escaped string, for property messages.
public func quoted(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self).debugDescription
}
