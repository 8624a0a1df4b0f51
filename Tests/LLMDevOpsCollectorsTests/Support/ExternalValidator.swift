import Foundation

/// Runs promtool and the Python client's OpenMetrics parser on an exposition body. A missing
/// tool skips, unless CI=true or LLMDEVOPS_REQUIRE_TOOLS=1 (Scripts/test.sh under CI).
enum ExternalValidator {
    struct Outcome {
        var exitCode: Int32
        var output: String
    }

    static var toolsRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["LLMDEVOPS_REQUIRE_TOOLS"] == "1" || environment["CI"] == "true"
    }

    static func isAvailable(_ arguments: [String]) -> Bool {
        (try? run(arguments, stdin: Data()))?.exitCode == 0
    }

    static var promtoolAvailable: Bool { isAvailable(["promtool", "--version"]) }
    static var pythonClientAvailable: Bool { isAvailable(["python3", "-c", "import prometheus_client"]) }

    /// `promtool check metrics` on a text 0.0.4 body.
    static func promtoolCheck(_ body: [UInt8]) throws -> Outcome {
        try run(["promtool", "check", "metrics"], stdin: Data(body))
    }

    /// The Python client's strict OpenMetrics parser; prints the number of samples.
    static func pythonOpenMetricsParse(_ body: [UInt8]) throws -> Outcome {
        try run(
            [
                "python3", "-c",
                """
                import sys
                from prometheus_client.openmetrics.parser import text_string_to_metric_families
                families = list(text_string_to_metric_families(sys.stdin.read()))
                print(sum(len(f.samples) for f in families))
                """,
            ], stdin: Data(body))
    }

    static func run(_ arguments: [String], stdin: Data) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Both tools read all of stdin before they write, so writing first cannot deadlock.
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(exitCode: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
