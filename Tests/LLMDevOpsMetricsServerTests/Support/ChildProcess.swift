import Foundation
import LLMDevOpsTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A program started by a test, with stdout and stderr in temporary files; stopped by PID.
final class ChildProcess {
    let process: Process
    let outputFile: URL
    let errorFile: URL

    /// How long a started program may take to report that it is up (or to finish a short run):
    /// a bound for a hung start. Seconds suffice on an idle machine; a sanitizer build on a
    /// machine shared with other builds has taken over 30 s.
    static let startupTimeout: Duration = .seconds(90)

    /// Where `swift build` put the service executable (next to the test bundle).
    static var serviceExecutable: String {
        get throws { try builtExecutable("llmdevops-metrics") }
    }

    /// Where `swift build` put the sidecar load generator (next to the test bundle).
    static var sidecarLoadExecutable: String {
        get throws { try builtExecutable("llmdevops-sidecar-load") }
    }

    /// An executable product of this package, found next to the test bundle.
    static func builtExecutable(_ name: String) throws -> String {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let fallback = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/\(name)").path
        try #require(
            FileManager.default.isExecutableFile(atPath: fallback),
            "the \(name) executable was not built (swift build --build-tests builds it)")
        return fallback
    }

    /// The test's environment without configuration overrides, plus `extra`.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PROMETHEUS_METRICS_") }
        environment.merge(extra) { $1 }
        return environment
    }

    init(executable: String, arguments: [String], environment: [String: String], directory: URL) throws {
        process = Process()
        LeakSanitizer.ignoreFoundationProcess(process)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        let name = URL(fileURLWithPath: executable).lastPathComponent
        outputFile = directory.appendingPathComponent("\(name)-\(UUID().uuidString).out")
        errorFile = directory.appendingPathComponent("\(name)-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var standardOutput: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }
    var standardError: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Waits (bounded) for the process to exit; returns its status, or nil on timeout.
    func waitForExit(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Sends `signal` to the PID; if still running after `grace`, kills it. Returns the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM, grace: Duration = .seconds(10)) async -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(pid, signal)
        if let status = await waitForExit(timeout: grace) { return status }
        kill(pid, SIGKILL)
        return await waitForExit(timeout: .seconds(5))
    }

    /// Waits (bounded) until stderr matches `pattern`; returns the first capture group.
    func waitForStandardError(_ pattern: String, timeout: Duration) async throws -> String? {
        let regex = try Regex(pattern)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let match = standardError.firstMatch(of: regex) {
                return match.output.count > 1 ? match.output[1].substring.map(String.init) : String(match.output[0].substring ?? "")
            }
            guard process.isRunning else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Runs a program to completion (bounded), returning status, stdout and stderr.
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = ChildProcess.environment([:]),
        directory: URL,
        timeout: Duration = ChildProcess.startupTimeout
    ) async throws -> (status: Int32, output: String, error: String) {
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: environment, directory: directory)
        guard let status = await child.waitForExit(timeout: timeout) else {
            await child.stop(signal: SIGKILL)
            Issue.record("\(executable) did not exit within \(timeout)")
            return (-1, child.standardOutput, child.standardError)
        }
        return (status, child.standardOutput, child.standardError)
    }
}

/// A temporary directory removed when the test ends.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("llmdevops-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// A TCP port that was free a moment ago on 127.0.0.1 (for programs that cannot report the
/// port they bound).
func freeLoopbackPort() throws -> Int {
    let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    try #require(socketDescriptor >= 0)
    defer { close(socketDescriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) }
    }
    try #require(bound == 0)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
    }
    try #require(named == 0)
    return Int(UInt16(bigEndian: address.sin_port))
}
