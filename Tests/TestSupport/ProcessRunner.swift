public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Runs external commands for the tests (promtool, amtool, python3, the service binary) with a
/// bounded run time. Shared by the test targets through `LLMDevOpsTestSupport`.
public enum ProcessRunner {
    /// What a finished process left behind.
    public struct Output: Sendable {
        /// The exit status.
        public var exitCode: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String

        /// Both streams, for failure messages.
        public var combined: String { [stdout, stderr].filter { !$0.isEmpty }.joined(separator: "\n") }
        /// `/usr/bin/env` exits 127 when the command is not on `PATH`.
        public var isCommandNotFound: Bool { exitCode == 127 }
    }

    /// The default bound on one run.
    public static let defaultTimeout: Duration = .seconds(30)

    /// ``run(_:stdin:in:environment:timeout:)`` for async callers: the wait happens on a thread
    /// of its own, so a long command (the scale-out script runs for about a minute) never holds
    /// one of Swift concurrency's cooperative threads, of which there are as many as cores. Two
    /// tests blocked in a wait on a 2-core machine would otherwise stall every other test, whose
    /// scrapes then time out.
    public static func run(
        _ arguments: [String],
        stdin: String = "",
        in directory: URL? = nil,
        environment extraEnvironment: [String: String] = [:],
        timeout: Duration = defaultTimeout
    ) async throws(ExternalToolError) -> Output {
        let result: Result<Output, ExternalToolError> = await withCheckedContinuation { continuation in
            Thread {
                do throws(ExternalToolError) {
                    let output = try run(
                        arguments, stdin: stdin, in: directory, environment: extraEnvironment, timeout: timeout)
                    continuation.resume(returning: .success(output))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }.start()
        }
        return try result.get()
    }

    /// Runs `arguments` through `/usr/bin/env` with `stdin` as standard input, in `directory`
    /// when given, with `environment` added to this process's environment.
    ///
    /// Standard input, output and error go through temporary files, so a chatty child can
    /// never block on a full pipe while we wait for it. The child is terminated (then killed)
    /// if it runs longer than `timeout` (times `LLMDEVOPS_TIME_LIMIT_FACTOR`, see
    /// ``TimeLimitFactor``), and `.timedOut` is thrown.
    ///
    /// Unavailable from async code: the wait would hold one of the cooperative threads (as many
    /// as cores), and on a 2-core machine two such waits stall every other test's tasks, whose
    /// in-process scrapes then time out with 503. Async callers use the async overload.
    @available(*, noasync, message: "blocks a cooperative thread; call the async run(_:stdin:in:environment:timeout:)")
    public static func run(
        _ arguments: [String],
        stdin: String = "",
        in directory: URL? = nil,
        environment extraEnvironment: [String: String] = [:],
        timeout: Duration = defaultTimeout
    ) throws(ExternalToolError) -> Output {
        let fileManager = FileManager.default
        let scratch = fileManager.temporaryDirectory
            .appendingPathComponent("llmdevops-process-\(UUID().uuidString)", isDirectory: true)
        let inputURL = scratch.appendingPathComponent("stdin")
        let outputURL = scratch.appendingPathComponent("stdout")
        let errorURL = scratch.appendingPathComponent("stderr")
        let command = arguments.first ?? "?"

        let process = Process()
        LeakSanitizer.ignoreFoundationProcess(process)
        let inputHandle: FileHandle
        let outputHandle: FileHandle
        let errorHandle: FileHandle
        do {
            try fileManager.createDirectory(at: scratch, withIntermediateDirectories: true)
            try Data(stdin.utf8).write(to: inputURL)
            try Data().write(to: outputURL)
            try Data().write(to: errorURL)
            inputHandle = try FileHandle(forReadingFrom: inputURL)
            outputHandle = try FileHandle(forWritingTo: outputURL)
            errorHandle = try FileHandle(forWritingTo: errorURL)
        } catch {
            try? fileManager.removeItem(at: scratch)
            throw .launchFailed("\(command): could not prepare temporary files: \(error)")
        }
        defer {
            try? inputHandle.close()
            try? outputHandle.close()
            try? errorHandle.close()
            try? fileManager.removeItem(at: scratch)
        }

        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = inputHandle
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        if let directory { process.currentDirectoryURL = directory }
        if !extraEnvironment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(extraEnvironment) { _, new in new }
        }

        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw .launchFailed("\(command): \(error)")
        }

        // A hang guard: scaled like the tests' time limits in sanitizer runs (TimeLimitFactor).
        let (wholeSeconds, attoseconds) = (timeout * TimeLimitFactor.value).components
        let seconds = Double(wholeSeconds) + Double(attoseconds) / 1e18
        if finished.wait(timeout: .now() + seconds) == .timedOut {
            process.terminate()
            // Children spawned from test-runner threads inherit a signal mask that blocks
            // SIGTERM (Foundation does not reset it), so follow up with SIGKILL, which cannot
            // be blocked.
            if finished.wait(timeout: .now() + 0.5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = finished.wait(timeout: .now() + 2)
            }
            throw .timedOut("\(command) did not finish within \(timeout)")
        }

        let stdout = (try? Data(contentsOf: outputURL)) ?? Data()
        let stderr = (try? Data(contentsOf: errorURL)) ?? Data()
        return Output(
            exitCode: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}
