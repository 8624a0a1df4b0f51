import Foundation
import LLMDevOpsTestSupport
import Testing

/// Checks the bridge to the reference tools itself, with hand-written bodies whose verdicts
/// are known, so that later conformance tests can trust what the bridge reports.
@Suite
struct ReferenceValidatorsTests {
    // MARK: Python float reprs

    @Test(arguments: [
        ("1.0", 1.0),
        ("0.0", 0.0),
        ("-2.5", -2.5),
        ("1e-05", 0.00001),
        ("1.7e+308", 1.7e308),
        ("1700000000.0", 1_700_000_000.0),
        ("inf", Double.infinity),
        ("-inf", -Double.infinity),
    ])
    func convertsPythonFloatRepr(text: String, expected: Double) {
        #expect(ReferenceValidators.double(fromPython: text) == expected)
    }

    @Test func convertsPythonNaNAndRejectsNonNumbers() {
        #expect(ReferenceValidators.double(fromPython: "nan")?.isNaN == true)
        #expect(ReferenceValidators.double(fromPython: "None") == nil)
        #expect(ReferenceValidators.double(fromPython: "") == nil)
        #expect(ReferenceValidators.double(fromPython: "1.0x") == nil)
    }

    // MARK: promtool

    static let validTextBody = #"""
        # HELP http_requests_total Requests handled.
        # TYPE http_requests_total counter
        http_requests_total{method="GET",path="a\"b\\c\nd"} 3
        http_requests_total{method="POST",path="/"} 0
        # HELP queue_depth Items waiting.
        # TYPE queue_depth gauge
        queue_depth 1e-05
        # HELP temperature_celsius Last reading.
        # TYPE temperature_celsius gauge
        temperature_celsius{sensor="x"} NaN
        temperature_celsius{sensor="y"} -Inf
        # HELP latency_seconds Request latency.
        # TYPE latency_seconds histogram
        latency_seconds_bucket{le="0.1"} 1
        latency_seconds_bucket{le="+Inf"} 2
        latency_seconds_sum 0.75
        latency_seconds_count 2

        """#

    @Test(.requiresReferenceTool(.promtool))
    func validTextBodyPassesPromtoolCleanly() async throws {
        try ReferenceValidators.requireAvailable(.promtool)
        let result = try await ReferenceValidators.promtoolCheckMetrics(Self.validTextBody)
        #expect(result.exitCode == 0, "\(result.output)")
        #expect(result.errors.isEmpty)
        #expect(result.lintWarnings.isEmpty)
    }

    @Test(.requiresReferenceTool(.promtool))
    func lintProblemIsAWarningNotAnError() async throws {
        try ReferenceValidators.requireAvailable(.promtool)
        let body = """
            # HELP jobs Jobs done.
            # TYPE jobs counter
            jobs 1

            """
        let result = try await ReferenceValidators.promtoolCheckMetrics(body)
        #expect(result.exitCode == 3, "\(result.output)")
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.lintWarnings.contains { $0.contains("_total") }, "\(result.lintWarnings)")
    }

    @Test(
        .requiresReferenceTool(.promtool),
        arguments: [
            (
                """
                # HELP jobs_total Jobs done.
                # TYPE jobs_total counter
                # TYPE jobs_total counter
                jobs_total 1

                """,
                "second TYPE line"
            ),
            (
                """
                # HELP queue_depth Items waiting.
                # TYPE queue_depth gauge
                queue_depth one

                """,
                "expected float"
            ),
        ]
    )
    func invalidTextBodyIsAPromtoolError(body: String, expectedMessage: String) async throws {
        try ReferenceValidators.requireAvailable(.promtool)
        let result = try await ReferenceValidators.promtoolCheckMetrics(body)
        #expect(result.exitCode == 1, "\(result.output)")
        #expect(result.errors.contains { $0.contains(expectedMessage) }, "\(result.errors)")
    }

    // MARK: Python text parser

    @Test(.requiresReferenceTool(.pythonPrometheusClient))
    func validTextBodyParsesToExactSamples() async throws {
        try ReferenceValidators.requireAvailable(.pythonPrometheusClient)
        let samples = try await ReferenceValidators.pythonParse(Self.validTextBody, syntax: .text)
        typealias Sample = ReferenceValidators.PythonSample
        let expected: [Sample] = [
            Sample(
                family: "http_requests", type: "counter", name: "http_requests_total",
                labels: ["method": "GET", "path": "a\"b\\c\nd"], value: "3.0", exemplar: nil
            ),
            Sample(
                family: "http_requests", type: "counter", name: "http_requests_total",
                labels: ["method": "POST", "path": "/"], value: "0.0", exemplar: nil
            ),
            Sample(family: "queue_depth", type: "gauge", name: "queue_depth", labels: [:], value: "1e-05", exemplar: nil),
            Sample(
                family: "temperature_celsius", type: "gauge", name: "temperature_celsius",
                labels: ["sensor": "x"], value: "nan", exemplar: nil
            ),
            Sample(
                family: "temperature_celsius", type: "gauge", name: "temperature_celsius",
                labels: ["sensor": "y"], value: "-inf", exemplar: nil
            ),
            Sample(
                family: "latency_seconds", type: "histogram", name: "latency_seconds_bucket",
                labels: ["le": "0.1"], value: "1.0", exemplar: nil
            ),
            Sample(
                family: "latency_seconds", type: "histogram", name: "latency_seconds_bucket",
                labels: ["le": "+Inf"], value: "2.0", exemplar: nil
            ),
            Sample(
                family: "latency_seconds", type: "histogram", name: "latency_seconds_sum",
                labels: [:], value: "0.75", exemplar: nil
            ),
            Sample(
                family: "latency_seconds", type: "histogram", name: "latency_seconds_count",
                labels: [:], value: "2.0", exemplar: nil
            ),
        ]
        #expect(samples == expected)
    }

    @Test(.requiresReferenceTool(.pythonPrometheusClient))
    func badTextValueRaisesInPython() async throws {
        try ReferenceValidators.requireAvailable(.pythonPrometheusClient)
        let error = await #expect(throws: ReferenceValidatorError.self) {
            try await ReferenceValidators.pythonParse("queue_depth one\n", syntax: .text)
        }
        #expect(error?.kind == .parseFailed, "\(String(describing: error))")
    }

    // MARK: Python OpenMetrics parser (strict)

    static let validOpenMetricsBody = #"""
        # TYPE requests counter
        # HELP requests Requests handled.
        requests_total{route="/a"} 3 # {trace_id="abc123"} 1.5 1700000000.000
        requests_created{route="/a"} 1700000000.0
        # TYPE latency_seconds histogram
        # UNIT latency_seconds seconds
        latency_seconds_bucket{le="0.1"} 1
        latency_seconds_bucket{le="1.0"} 2 # {trace_id="def456"} 0.5
        latency_seconds_bucket{le="+Inf"} 3
        latency_seconds_sum 4.25
        latency_seconds_count 3
        # EOF

        """#

    @Test(.requiresReferenceTool(.pythonPrometheusClient))
    func validOpenMetricsBodyParsesStrictly() async throws {
        try ReferenceValidators.requireAvailable(.pythonPrometheusClient)
        let samples = try await ReferenceValidators.pythonParse(Self.validOpenMetricsBody, syntax: .openMetrics)
        typealias Sample = ReferenceValidators.PythonSample
        typealias Exemplar = ReferenceValidators.PythonExemplar
        let expected: [Sample] = [
            Sample(
                family: "requests", type: "counter", name: "requests_total", labels: ["route": "/a"],
                value: "3.0", exemplar: Exemplar(labels: ["trace_id": "abc123"], value: "1.5")
            ),
            Sample(
                family: "requests", type: "counter", name: "requests_created", labels: ["route": "/a"],
                value: "1700000000.0", exemplar: nil
            ),
            Sample(
                family: "latency_seconds", type: "histogram", name: "latency_seconds_bucket",
                labels: ["le": "0.1"], value: "1.0", exemplar: nil
            ),
            Sample(
                family: "latency_seconds", type: "histogram", name: "latency_seconds_bucket",
                labels: ["le": "1.0"], value: "2.0", exemplar: Exemplar(labels: ["trace_id": "def456"], value: "0.5")
            ),
            Sample(
                family: "latency_seconds", type: "histogram", name: "latency_seconds_bucket",
                labels: ["le": "+Inf"], value: "3.0", exemplar: nil
            ),
            Sample(
                family: "latency_seconds", type: "histogram", name: "latency_seconds_sum",
                labels: [:], value: "4.25", exemplar: nil
            ),
            Sample(
                family: "latency_seconds", type: "histogram", name: "latency_seconds_count",
                labels: [:], value: "3.0", exemplar: nil
            ),
        ]
        #expect(samples == expected)
    }

    @Test(.requiresReferenceTool(.pythonPrometheusClient))
    func openMetricsBodyWithoutEOFIsRejected() async throws {
        try ReferenceValidators.requireAvailable(.pythonPrometheusClient)
        let body = Self.validOpenMetricsBody.replacingOccurrences(of: "# EOF\n", with: "")
        #expect(body != Self.validOpenMetricsBody)
        let error = await #expect(throws: ReferenceValidatorError.self) {
            try await ReferenceValidators.pythonParse(body, syntax: .openMetrics)
        }
        #expect(error?.kind == .parseFailed, "\(String(describing: error))")
        #expect(error?.summary.contains("EOF") == true, "\(String(describing: error))")
    }

    @Test(.requiresReferenceTool(.pythonPrometheusClient))
    func textOnlySyntaxIsRejectedByStrictOpenMetricsParser() async throws {
        try ReferenceValidators.requireAvailable(.pythonPrometheusClient)
        // Valid Prometheus text, but OpenMetrics forbids the blank line and needs # EOF.
        let error = await #expect(throws: ReferenceValidatorError.self) {
            try await ReferenceValidators.pythonParse(Self.validTextBody, syntax: .openMetrics)
        }
        #expect(error?.kind == .parseFailed, "\(String(describing: error))")
    }

    // MARK: Process running

    @Test func slowProcessIsTerminatedAfterTimeout() async {
        let start = ContinuousClock.now
        let error = await #expect(throws: ReferenceValidatorError.self) {
            try await ReferenceValidators.runProcess(["sleep", "30"], stdin: "", timeout: .milliseconds(300))
        }
        #expect(error?.kind == .timedOut, "\(String(describing: error))")
        // Returned before `sleep 30` could have ended by itself (a bound the machine's load
        // cannot reach, unlike a few seconds).
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test func largeOutputAndInputDoNotDeadlock() async throws {
        // Well beyond a 64 KiB pipe buffer in both directions.
        let input = String(repeating: "0123456789abcdef\n", count: 64 * 1024)
        let result = try await ReferenceValidators.runProcess(["cat"], stdin: input)
        #expect(result.exitCode == 0)
        #expect(result.stdout == input)
    }

    @Test func missingCommandIsReportedAsNotFound() async throws {
        let result = try await ReferenceValidators.runProcess(["llmdevops-no-such-tool-7f3a"], stdin: "")
        #expect(result.isCommandNotFound, "\(result)")
    }

    // MARK: Diagnostics

    @Test(.requiresReferenceTool(.promtool))
    func reportsPromtoolVersion() throws {
        try ReferenceValidators.requireAvailable(.promtool)
        let version = try #require(ReferenceValidators.version(of: .promtool))
        #expect(version.hasPrefix("promtool, version "), "\(version)")
    }

    @Test(.requiresReferenceTool(.pythonPrometheusClient))
    func reportsPythonClientVersion() throws {
        try ReferenceValidators.requireAvailable(.pythonPrometheusClient)
        let version = try #require(ReferenceValidators.version(of: .pythonPrometheusClient))
        #expect(version.contains("prometheus-client "), "\(version)")
    }
}
