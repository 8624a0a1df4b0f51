import Foundation

/// A task executor that runs every job on one thread of its own, started by `init` and ended
/// by ``shutdown()``.
///
/// Swift concurrency has as many cooperative threads as cores (two on the CI machine). A test
/// that computes for seconds without suspending (a property test over random registries, a
/// YAML fuzz loop) holds one of them for that long, and every test that ping-pongs between
/// actors waits behind it. Tests that compute run on one of these instead, and the kernel
/// shares the cores among all threads; see ``Testing/Trait/ownThread``.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    /// The key of the marker these threads carry in their thread dictionary.
    private static let markerKey = "llmdevops.test.ownThread"

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var isShutDown = false

    init() {
        Thread { [self] in
            Self.markCurrentThread()
            runJobs()
        }.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        if isShutDown && jobs.isEmpty {
            // The test is over but something it started (an unstructured task that kept the
            // preference) still runs: give it a thread rather than lose the job.
            condition.unlock()
            Thread { [self] in
                Self.markCurrentThread()
                job.runSynchronously(on: asUnownedTaskExecutor())
            }.start()
            return
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once every job enqueued so far has run; a later job gets a thread of its own.
    func shutdown() {
        condition.lock()
        isShutDown = true
        condition.signal()
        condition.unlock()
    }

    /// Whether the caller runs on one of these threads.
    static var isCurrentThread: Bool {
        Thread.current.threadDictionary[markerKey] as? Bool == true
    }

    private static func markCurrentThread() {
        Thread.current.name = "test-own-thread"
        Thread.current.threadDictionary[markerKey] = true
    }

    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty && !isShutDown { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
