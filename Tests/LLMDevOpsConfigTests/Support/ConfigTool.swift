import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The tools that judge the monitoring assets: `promtool` (Debian `prometheus`) for rules,
/// rule unit tests and scrape configs, `amtool` (Debian `prometheus-alertmanager`) for the
/// Alertmanager example.
///
/// Located through `PATH`. A missing promtool skips its tests unless tools are required
/// (`LLMDEVOPS_REQUIRE_TOOLS=1` or `CI=true`, as `Scripts/test.sh` sets under CI), in which
/// case they fail. `Scripts/test.sh` installs both.
enum ConfigTool: String, Sendable, CaseIterable {
    case promtool
    case amtool

    var displayName: String {
        switch self {
        case .promtool: "promtool (Debian package prometheus)"
        case .amtool: "amtool (Debian package prometheus-alertmanager)"
        }
    }

    /// Whether a missing tool fails the test instead of skipping it.
    var isRequired: Bool {
        switch self {
        case .promtool, .amtool: Self.toolsRequired
        }
    }

    var isAvailable: Bool {
        switch self {
        case .promtool: Self.promtoolAvailable
        case .amtool: Self.amtoolAvailable
        }
    }

    /// env `LLMDEVOPS_REQUIRE_TOOLS == "1"` or `CI == "true"`.
    static var toolsRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["LLMDEVOPS_REQUIRE_TOOLS"] == "1" || environment["CI"] == "true"
    }

    private static let promtoolAvailable = probe(["promtool", "--version"])
    private static let amtoolAvailable = probe(["amtool", "--version"])

    private static func probe(_ arguments: [String]) -> Bool {
        (try? run(arguments))?.exitCode == 0
    }

    /// Runs the tool with `arguments`; throws `.toolMissing` when it is not installed.
    func run(_ arguments: [String], in directory: URL? = nil) throws -> ProcessOutput {
        let output = try Self.run([rawValue] + arguments, in: directory)
        if output.isCommandNotFound { throw ConfigToolError.toolMissing(rawValue) }
        return output
    }

    /// What a finished process left behind.
    struct ProcessOutput: Sendable {
        var exitCode: Int32
        var stdout: String
        var stderr: String

        /// Both streams, for failure messages.
        var combined: String { [stdout, stderr].filter { !$0.isEmpty }.joined(separator: "\n") }
        /// `/usr/bin/env` exits 127 when the command is not on `PATH`.
        var isCommandNotFound: Bool { exitCode == 127 }
    }

    /// The longest any single invocation may run before it is terminated.
    static let timeout: Duration = .seconds(30)

    /// Runs `arguments` through `/usr/bin/env`, in `directory` when given (copied from the core
    /// tests' `ReferenceValidators.runProcess`). Output goes through temporary files so a chatty
    /// child never blocks on a full pipe; a child running past ``timeout`` is terminated, then
    /// killed, and `.timedOut` is thrown.
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> ProcessOutput {
        let fileManager = FileManager.default
        let scratch = fileManager.temporaryDirectory
            .appendingPathComponent("llmdevops-configtool-\(UUID().uuidString)", isDirectory: true)
        let outputURL = scratch.appendingPathComponent("stdout")
        let errorURL = scratch.appendingPathComponent("stderr")
        let command = arguments.first ?? "?"

        let process = Process()
        let outputHandle: FileHandle
        let errorHandle: FileHandle
        do {
            try fileManager.createDirectory(at: scratch, withIntermediateDirectories: true)
            try Data().write(to: outputURL)
            try Data().write(to: errorURL)
            outputHandle = try FileHandle(forWritingTo: outputURL)
            errorHandle = try FileHandle(forWritingTo: errorURL)
        } catch {
            try? fileManager.removeItem(at: scratch)
            throw ConfigToolError.launchFailed("\(command): could not prepare temporary files: \(error)")
        }
        defer {
            try? outputHandle.close()
            try? errorHandle.close()
            try? fileManager.removeItem(at: scratch)
        }

        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        if let directory { process.currentDirectoryURL = directory }

        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw ConfigToolError.launchFailed("\(command): \(error)")
        }

        let (wholeSeconds, attoseconds) = timeout.components
        let seconds = Double(wholeSeconds) + Double(attoseconds) / 1e18
        if finished.wait(timeout: .now() + seconds) == .timedOut {
            process.terminate()
            // Children of test-runner threads may inherit a mask that blocks SIGTERM.
            if finished.wait(timeout: .now() + 0.5) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = finished.wait(timeout: .now() + 2)
            }
            throw ConfigToolError.timedOut("\(command) did not finish within \(timeout)")
        }

        let stdout = (try? Data(contentsOf: outputURL)) ?? Data()
        let stderr = (try? Data(contentsOf: errorURL)) ?? Data()
        return ProcessOutput(
            exitCode: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }
}
