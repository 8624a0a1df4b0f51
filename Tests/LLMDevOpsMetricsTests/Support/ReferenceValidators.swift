import Dispatch
import Foundation
import LLMDevOpsTestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs independent reference implementations (promtool, the Python client's parsers) on an
/// exposition body and returns structured verdicts, so tests can check our output against
/// tools we did not write.
///
/// Tools are located through `PATH` (`/usr/bin/env`). When a tool is missing, tests skip —
/// unless ``toolsRequired`` (set by `Scripts/test.sh` under CI), in which case they must fail.
///
/// ```swift
/// let result = try ReferenceValidators.promtoolCheckMetrics(body)
/// #expect(result.errors.isEmpty, "\(result.output)")
/// let samples = try ReferenceValidators.pythonParse(body, syntax: .openMetrics)
/// ```
struct ReferenceValidators {
    /// The longest any single tool invocation may run before it is terminated.
    static let timeout: Duration = .seconds(10)

    // MARK: Availability

    /// Whether the tool is installed. When LLMDEVOPS_REQUIRE_TOOLS=1 (set by Scripts/test.sh under CI) callers must treat `false` as a failure.
    static func isAvailable(_ tool: ReferenceTool) -> Bool {
        switch tool {
        case .promtool: promtoolAvailable
        case .pythonPrometheusClient: pythonClientAvailable
        case .protobufDecoder: ProtobufOracle.isAvailable
        }
    }

    /// Whether a missing tool is a failure rather than a reason to skip:
    /// env `LLMDEVOPS_REQUIRE_TOOLS == "1"` or `CI == "true"`.
    static var toolsRequired: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["LLMDEVOPS_REQUIRE_TOOLS"] == "1" || environment["CI"] == "true"
    }

    /// The tool's version line (for test logs), or `nil` when it is not installed.
    static func version(of tool: ReferenceTool) -> String? {
        let arguments: [String]
        switch tool {
        case .promtool:
            arguments = ["promtool", "--version"]
        case .pythonPrometheusClient:
            arguments = [
                "python3", "-c",
                """
                import sys, importlib.metadata as m
                print("Python " + sys.version.split()[0] + ", prometheus-client " + m.version("prometheus-client"))
                """,
            ]
        case .protobufDecoder:
            arguments = ["protoc", "--version"]
        }
        guard let output = try? ProcessRunner.run(arguments, timeout: timeout), output.exitCode == 0 else {
            return nil
        }
        let text = output.stdout.isEmpty ? output.stderr : output.stdout
        return text.split(whereSeparator: \.isNewline).first.map(String.init)
    }

    private static let promtoolAvailable: Bool = probe(["promtool", "--version"])
    private static let pythonClientAvailable: Bool = probe(["python3", "-c", "import prometheus_client"])

    private static func probe(_ arguments: [String]) -> Bool {
        guard let output = try? ProcessRunner.run(arguments, timeout: timeout) else { return false }
        return output.exitCode == 0
    }

    // MARK: promtool

    /// The verdict of `promtool check metrics`.
    struct PromtoolResult: Sendable {
        /// 0: clean; 3: lint problems only; 1: the body could not be parsed.
        var exitCode: Int32
        /// stdout and stderr combined, as promtool printed them.
        var output: String
        /// Parse errors: every line when the exit code is 1, otherwise lines mentioning "error".
        var errors: [String]
        /// Lint findings that are not errors (naming conventions, missing HELP, ...).
        var lintWarnings: [String]
    }

    /// Runs `promtool check metrics` with `body` on stdin. promtool exits 3 on lint-only problems and 1 on parse errors; classify lines: lines containing "error" or exit code 1 → errors, others → lintWarnings.
    static func promtoolCheckMetrics(_ body: String) async throws -> PromtoolResult {
        let result = try await runProcess(["promtool", "check", "metrics"], stdin: body)
        if result.isCommandNotFound {
            throw ReferenceValidatorError.toolMissing(ReferenceTool.promtool.rawValue)
        }
        let output = [result.stdout, result.stderr].filter { !$0.isEmpty }.joined(separator: "\n")
        let lines = output.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        var errors: [String] = []
        var lintWarnings: [String] = []
        for line in lines {
            if result.exitCode == 1 || line.localizedCaseInsensitiveContains("error") {
                errors.append(line)
            } else {
                lintWarnings.append(line)
            }
        }
        if result.exitCode != 0 && errors.isEmpty && lintWarnings.isEmpty {
            // A failure with no explanation must not look like a clean pass.
            errors.append("promtool exited with status \(result.exitCode) and printed nothing")
        }
        return PromtoolResult(
            exitCode: result.exitCode,
            output: output,
            errors: errors,
            lintWarnings: lintWarnings
        )
    }

    // MARK: Python prometheus_client

    /// One sample as the Python client parsed it.
    struct PythonSample: Sendable, Equatable, Decodable {
        /// The metric family name (the Python client strips `_total` etc. from counters).
        var family: String
        /// The family type: "counter", "gauge", "histogram", "summary", "unknown", ...
        var type: String
        /// The sample name, for example `requests_total` or `latency_bucket`.
        var name: String
        var labels: [String: String]
        /// Python `repr(float(value))`: `1.0`, `1e-05`, `inf`, `-inf`, `nan`. See ``ReferenceValidators/double(fromPython:)``.
        var value: String
        var exemplar: PythonExemplar?
    }

    /// An exemplar attached to a sample (OpenMetrics only).
    struct PythonExemplar: Sendable, Equatable, Decodable {
        var labels: [String: String]
        /// Python `repr(float(value))`, like ``PythonSample/value``.
        var value: String
    }

    /// Which of the Python client's parsers to use.
    enum PythonSyntax: String, Sendable {
        /// `prometheus_client.parser` (Prometheus text format 0.0.4).
        case text
        /// `prometheus_client.openmetrics.parser` (strict OpenMetrics 1.0, requires `# EOF`).
        case openMetrics
    }

    /// Parses with prometheus_client.parser.text_string_to_metric_families (text) or prometheus_client.openmetrics.parser.text_string_to_metric_families (openMetrics, strict), returns all samples as JSON via a small embedded python script (pass the body via stdin, not argv). Throws `ReferenceValidatorError.parseFailed(stderr)` when Python raises.
    static func pythonParse(_ body: String, syntax: PythonSyntax) async throws -> [PythonSample] {
        let result = try await runProcess(
            ["python3", "-c", pythonParseScript, syntax.rawValue],
            stdin: body,
            environment: ["PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"]
        )
        if result.isCommandNotFound {
            throw ReferenceValidatorError.toolMissing("python3")
        }
        switch result.exitCode {
        case 0:
            do {
                return try JSONDecoder().decode([PythonSample].self, from: Data(result.stdout.utf8))
            } catch {
                throw ReferenceValidatorError.launchFailed(
                    "could not decode the Python parser's output: \(error)\n\(result.stdout)"
                )
            }
        case Self.pythonModuleMissingStatus:
            throw ReferenceValidatorError.toolMissing("python3 module prometheus_client")
        default:
            throw ReferenceValidatorError.parseFailed(result.stderr)
        }
    }

    /// Converts a Python float `repr` (`1.0`, `1e-05`, `inf`, `-inf`, `nan`) to a `Double`.
    static func double(fromPython text: String) -> Double? {
        switch text {
        case "inf", "+inf": .infinity
        case "-inf": -.infinity
        case "nan", "-nan": .nan
        default: Double(text)
        }
    }

    /// Exit status the embedded script uses when `prometheus_client` cannot be imported,
    /// distinct from the status 1 of an uncaught parser exception.
    private static let pythonModuleMissingStatus: Int32 = 42

    private static let pythonParseScript = """
        import json, sys
        try:
            if sys.argv[1] == "openMetrics":
                from prometheus_client.openmetrics.parser import text_string_to_metric_families
            else:
                from prometheus_client.parser import text_string_to_metric_families
        except ImportError as e:
            print(e, file=sys.stderr)
            sys.exit(42)

        def number(v):
            return "None" if v is None else repr(float(v))

        body = sys.stdin.read()
        out = []
        for family in text_string_to_metric_families(body):
            for s in family.samples:
                ex = None
                if s.exemplar is not None:
                    ex = {"labels": dict(s.exemplar.labels), "value": number(s.exemplar.value)}
                out.append({
                    "family": family.name,
                    "type": family.type,
                    "name": s.name,
                    "labels": dict(s.labels),
                    "value": number(s.value),
                    "exemplar": ex,
                })
        json.dump(out, sys.stdout)
        """

    // MARK: Process running

    /// What a finished process left behind.
    typealias ProcessOutput = ProcessRunner.Output

    /// Runs `arguments` through `/usr/bin/env` with `stdin` as standard input, bounded by
    /// `timeout` (see ``ProcessRunner/run(_:stdin:in:environment:timeout:)``).
    static func runProcess(
        _ arguments: [String],
        stdin: String,
        environment extraEnvironment: [String: String] = [:],
        timeout: Duration = Self.timeout
    ) async throws -> ProcessOutput {
        try await ProcessRunner.run(arguments, stdin: stdin, environment: extraEnvironment, timeout: timeout)
    }
}

/// Why a reference tool could not give a verdict, or rejected its input.
typealias ReferenceValidatorError = ExternalToolError
