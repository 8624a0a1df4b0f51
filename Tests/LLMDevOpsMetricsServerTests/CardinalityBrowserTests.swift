import Foundation
import HTTPTypes
import Hummingbird
import LLMDevOpsCollectors
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import LLMDevOpsTestSupport
import Logging
import ServiceLifecycle
import Testing

/// Issue 17, "Must show": the built service with the demo workload and a small
/// `cardinality.max_per_metric` (so families hit their cap), the page opened in headless
/// Chromium, its DOM read by Python's html.parser and checked against the JSON; screenshots at
/// 375 and 1280 px written under the test output folder.
@Suite(.serialized, .requires(.chromium), .timeLimit(minutes: 10)) struct CardinalityBrowserTests {
    static let demoEvents = 3000
    static let maxPerMetric = 40
    static let hostile = #""><script>alert(1)</script>&"#

    /// `LLMDEVOPS_TEST_OUTPUT`, else `.build/test-output` of this package (ignored by git).
    static var outputDirectory: URL {
        get throws {
            let environment = ProcessInfo.processInfo.environment["LLMDEVOPS_TEST_OUTPUT"]
            let root =
                environment.map { URL(fileURLWithPath: $0) }
                ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/test-output")
            let directory = root.appendingPathComponent("CardinalityBrowserTests")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return directory
        }
    }

    /// The service with the demo's vocabulary, `events` seeded demo events, the debug pages on,
    /// and the sidecar socket (for values from outside); `extraYAML` is appended under
    /// `prometheus_metrics`.
    static func startService(
        directory: TemporaryDirectory, events: Int, extraYAML: String = ""
    ) async throws -> (child: ChildProcess, port: Int, socket: String) {
        try ExternalTool.chromium.require()
        let socket = directory.path("metrics.sock")
        let config = try directory.write(
            "cardinality.yaml",
            """
            prometheus_metrics:
              endpoint: { host: "127.0.0.1", port: 0 }
              cache: { enabled: false }
              cardinality: { max_per_metric: \(maxPerMetric), total_limit: 50000 }
              rate_limit: { enabled: false }
              debug: { enabled: true }
              sidecar: { enabled: true, socket_path: "\(socket)" }
            \(extraYAML)
            """)
        let child = try ChildProcess(
            executable: try ChildProcess.serviceExecutable,
            arguments: ["--config", config, "--demo-events", "\(events)"],
            environment: ChildProcess.environment([:]), directory: directory.url)
        do {
            let port = try await child.waitForStandardError(#"llmdevops\.http\.port=(\d+)"#, timeout: .seconds(60))
            let httpPort = try #require(port.flatMap(Int.init), "no port: \(child.standardError)")
            let applied = try await child.waitForStandardError("Demo workload applied", timeout: .seconds(120))
            try #require(applied != nil, "the demo workload did not finish: \(child.standardError.suffix(2000))")
            let listening = try await child.waitForStandardError("Sidecar listening", timeout: .seconds(30))
            try #require(listening != nil, "the sidecar listener did not start")
            return (child, httpPort, socket)
        } catch {
            await child.stop()
            throw error
        }
    }

    static func report(_ client: TestHTTPClient, port: Int) async throws -> CardinalityJSON {
        let response = try await client.fetch("http://127.0.0.1:\(port)/debug/cardinality.json")
        try #require(response.status == 200)
        return try JSONDecoder().decode(CardinalityJSON.self, from: Data(response.body))
    }

    /// Every family of the JSON is on the rendered page with the same series count, limit,
    /// status and top values (as data and as visible text).
    static func expectPage(_ page: RenderedPage, matches json: CardinalityJSON) {
        #expect(page.families.map(\.name) == json.families.map(\.name))
        #expect(page.registry?.series == json.series.in_use)
        #expect(page.registry?.limit == json.series.limit)
        for (rendered, family) in zip(page.families, json.families) {
            #expect(rendered.series == family.series, "\(family.name)")
            #expect(rendered.limit == family.limit, "\(family.name)")
            #expect(rendered.status == family.status, "\(family.name)")
            #expect(rendered.classes.contains(family.status), "\(family.name) is not marked \(family.status)")
            #expect(rendered.labels.map(\.name) == family.labels.map(\.name), "\(family.name)")
            for (label, expected) in zip(rendered.labels, family.labels) {
                #expect(label.distinct == expected.distinct_values, "\(family.name) \(label.name)")
                #expect(
                    label.top.map { CardinalityJSON.Value(value: $0.value, series: $0.count) } == expected.top_values,
                    "\(family.name) \(label.name)")
                #expect(label.top.map(\.text) == expected.top_values.map(\.value), "\(family.name) \(label.name)")
            }
        }
        #expect(page.scripts == 0)
    }

    @Test func theRenderedPageMatchesTheJSONAndMarksTheFamiliesOverTheLimit() async throws {
        let directory = try TemporaryDirectory()
        let (child, port, _) = try await Self.startService(directory: directory, events: Self.demoEvents)
        do {
            try await TestHTTPClient.with { client in
                let page = "http://127.0.0.1:\(port)/debug/cardinality"
                // Both pages once, so that their request counters exist before the comparison.
                #expect(try await client.fetch(page).status == 200)
                _ = try await Self.report(client, port: port)
                let before = try await Self.report(client, port: port)
                let (dom, log) = try await HeadlessChromium.dumpDOM(page, directory: directory)
                let json = try await Self.report(client, port: port)
                #expect(before.families.map(\.series) == json.families.map(\.series), "the data moved")
                #expect(!log.contains("Content Security Policy"), "CSP violation: \(log.suffix(2000))")
                let rendered = try await HeadlessChromium.read(dom: dom)
                Self.expectPage(rendered, matches: json)

                // The demo under a cap of 40 pushes families over it: refused, marked, and the
                // key that raises the cap is named.
                let over = json.families.filter { ($0.rejected["metric_limit"] ?? 0) > 0 }
                try #require(!over.isEmpty, "no family reached max_per_metric: \(json.families.map(\.series))")
                for family in over {
                    #expect(family.series == Self.maxPerMetric)
                    #expect(family.status == "at_limit")
                    let marked = rendered.families.first { $0.name == family.name }
                    #expect(marked?.classes.contains("at_limit") == true)
                }
                #expect(dom.contains("prometheus_metrics.cardinality.max_per_metric"))
                #expect(json.families.count > 20)
                print("cardinality page: \(json.families.count) families, \(over.count) at max_per_metric")

                let output = try Self.outputDirectory
                for (width, height) in [(375, 2400), (1280, 1600)] {
                    let path = output.appendingPathComponent("cardinality-\(width).png").path
                    try await HeadlessChromium.screenshot(
                        page, width: width, height: height, to: path, directory: directory)
                    print("screenshot (\(width) px wide): \(path)")
                }
            }
        } catch {
            await child.stop()
            throw error
        }
        let status = await child.stop()
        #expect(status == 0)
    }

    /// Expects the hostile value on the page at `url` to be text: the CSP is strict, the DOM has
    /// no `<script>` element, Chromium logs no CSP violation, and the value's text (read by
    /// html.parser) is the value.
    static func expectShownAsText(url: String, client: TestHTTPClient, directory: TemporaryDirectory) async throws {
        let response = try await client.fetch(url)
        #expect(response.status == 200)
        let csp = try #require(response.header("Content-Security-Policy"))
        #expect(csp.hasPrefix("default-src 'none'; style-src 'sha256-"))
        #expect(!csp.contains("unsafe") && !csp.contains("script-src"))
        #expect(response.header("X-Content-Type-Options") == "nosniff")
        #expect(!response.text.contains("<script>alert(1)</script>"))

        let (dom, log) = try await HeadlessChromium.dumpDOM(url, directory: directory)
        #expect(!dom.lowercased().contains("<script"), "a script element reached the DOM")
        #expect(!log.contains("Content Security Policy"), "CSP violation: \(log.suffix(2000))")
        let rendered = try await HeadlessChromium.read(dom: dom)
        #expect(rendered.scripts == 0)
        let shown = rendered.families.flatMap(\.labels).flatMap(\.top).filter { $0.value == Self.hostile }
        #expect(!shown.isEmpty, "the hostile value is not on the page")
        #expect(shown.allSatisfy { $0.text == Self.hostile }, "\(shown.map(\.text))")
    }

    /// An application that labels requests by a header it receives (the kind of code that lets
    /// hostile values in), with the endpoints mounted on its Hummingbird router: the value
    /// `"><script>alert(1)</script>&` arrives over HTTP from outside and shows as text.
    @Test func aHostileLabelValueFromAnHTTPHeaderIsShownAsText() async throws {
        try ExternalTool.chromium.require()
        let directory = try TemporaryDirectory()
        let registry = RegistryActor()
        let lookups = try await registry.makeCounterFamily(name: "app_lookups_total", labelNames: ["client"])
        var configuration = ServiceConfiguration()
        configuration.debug.enabled = true
        configuration.rateLimit.enabled = false
        let handler = try await MetricsHTTPHandler(registry: registry, configuration: configuration)
        let clientName = try #require(HTTPField.Name("X-Client-Name"))
        let router = Router()
        router.get("/lookup") { request, _ -> String in
            try await lookups.labels(values: [request.headers[clientName] ?? "none"]).increment()
            return "ok"
        }
        router.addMetricsEndpoints(handler)
        try await RunningApplication.with(router) { bound in
            try await TestHTTPClient.with { client in
                for name in [Self.hostile, "web-frontend"] {
                    let observed = try await client.fetch(
                        "http://127.0.0.1:\(bound)/lookup", headers: [("X-Client-Name", name)]
                    ).status
                    #expect(observed == 200)
                }
                try await Self.expectShownAsText(
                    url: "http://127.0.0.1:\(bound)/debug/cardinality", client: client, directory: directory)
            }
        }
    }

    /// A model name nobody listed, `"><script>alert(1)</script>&`, sent over the sidecar socket
    /// of the built service with `llm.admit_unlisted_models` on (no demo flag, as deployed),
    /// becomes a `model` label value; the browser shows it as text and runs no script.
    @Test func aHostileModelNameFromTheSidecarIsShownAsText() async throws {
        try ExternalTool.chromium.require()
        let directory = try TemporaryDirectory()
        let service = try await SidecarService(
            directory: directory,
            vocabularyYAML: """
                  llm:
                    models: [{ name: "gpt-5.1", provider: "openai" }]
                    admit_unlisted_models: 3
                  debug: { enabled: true }
                """)
        do {
            try await TestHTTPClient.with { client in
                var line: [UInt8] = []
                SidecarLineEncoder.append(
                    LLMEvent.requestFinished(
                        LLMRequestCompletion(
                            model: Self.hostile, status: .success, duration: .milliseconds(250), inputTokens: 3)),
                    to: &line)
                let sender = try RawSocketClient(path: service.socketPath)
                #expect(sender.send(line))
                sender.shutdownWrite()
                #expect(await sender.waitForEndOfFile(timeout: .seconds(30)))
                func admitted(_ json: CardinalityJSON) -> Bool {
                    json.families.contains { family in
                        family.name == "llmdevops_llm_requests"
                            && family.labels.contains { $0.top_values.contains { $0.value == Self.hostile } }
                    }
                }
                // Bounded: 400 x 25 ms until the event is applied.
                var json = try await Self.report(client, port: service.httpPort)
                for _ in 0..<400 where !admitted(json) {
                    try await Task.sleep(for: .milliseconds(25))
                    json = try await Self.report(client, port: service.httpPort)
                }
                try #require(admitted(json), "the unlisted model name was not admitted")
                try await Self.expectShownAsText(
                    url: "http://127.0.0.1:\(service.httpPort)/debug/cardinality", client: client, directory: directory)
            }
        } catch {
            await service.stop()
            throw error
        }
        #expect(await service.stop() == 0)
    }
}
