import LLMDevOpsTestSupport
import HTTPTypes
import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import LLMDevOpsMetricsTesting
import Testing

/// Issue 7, item 3 (headers): random `Accept`, `Accept-Encoding` and `Authorization` values,
/// from seeded generators, through the framework-neutral handler. Every answer is a documented
/// status, and every 200 body is a valid exposition in the format its Content-Type names
/// (or gzip, when that was negotiated).
@Suite(.ownThread) struct HeaderFuzzTests {
    static let cases = 1500

    /// A seeded SplitMix64.
    typealias Seeded = SplitMix64

    static let fragments = [
        "application/openmetrics-text", "text/plain", "version=1.0.0", "version=0.0.4", "escaping=underscores",
        "q=0.5", "q=", "q=1.0001", "q=-1", "*/*", "gzip", "identity", "br", "deflate", "x-gzip", ";", ",", " ", "\t",
        "=", "\"", "\\", "Bearer", "bearer", "Basic", "\u{0}", "é", "💥", "charset=utf-8", "*", "application/*", ";;",
    ]

    /// A header value: fragments, random printable bytes, or both (at most 2,000 characters).
    static func value(_ random: inout Seeded) -> String {
        var result = ""
        for _ in 0..<Int.random(in: 0...12, using: &random) {
            if Bool.random(using: &random) {
                result += fragments.randomElement(using: &random) ?? ""
            } else {
                let length = Int.random(in: 1...(random.next() % 50 == 0 ? 2000 : 20), using: &random)
                result += String(decoding: (0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &random) }, as: UTF8.self)
            }
        }
        return result
    }

    func check(_ response: MetricsHTTPResponse, allowed: Set<Int>, _ context: String) {
        #expect(allowed.contains(response.status.code), "\(response.status) for \(context)")
        guard response.status == .ok else { return }
        let contentType = response.headers[.contentType] ?? ""
        let encoding = response.headers[.contentEncoding]
        if encoding == "gzip" {
            #expect(response.body.starts(with: [0x1F, 0x8B]), "gzip magic for \(context)")
            return
        }
        let syntax: ExpositionSyntax = contentType.hasPrefix("application/openmetrics-text") ? .openMetrics : .prometheusText
        do {
            _ = try ExpositionParser.parse(response.body, syntax: syntax)
        } catch {
            Issue.record("invalid \(syntax) body for \(context): \(error)")
        }
    }

    @Test func randomAcceptAndEncodingHeadersGetAValidBody() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        try await registry.makeCounter(name: "fuzz_requests_total").increment(by: 7)
        var configuration = RunningServer.configuration()
        configuration.compression.minSizeBytes = 0
        let handler = try await MetricsHTTPHandler(
            registry: registry, configuration: configuration, deadlineClock: ManualTestClock())
        var random = Seeded(seed: 0xACCE97)
        for _ in 0..<Self.cases {
            let accept = Self.value(&random)
            let encoding = Self.value(&random)
            let response = await handler.handle(
                MetricsHTTPRequest(
                    method: .get, path: "/metrics", headers: [.accept: accept, .acceptEncoding: encoding]))
            check(response, allowed: [200], "Accept: \(accept.prefix(80)) Accept-Encoding: \(encoding.prefix(80))")
        }
        print("header-fuzz: accept_and_encoding cases=\(Self.cases)")
    }

    @Test func randomAuthorizationHeadersAreRefusedCleanly() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        let configuration = AuthTests.configuration()
        let handler = try await MetricsHTTPHandler(
            registry: registry, configuration: configuration, deadlineClock: ManualTestClock())
        var random = Seeded(seed: 0xA07)
        var statuses: [Int: Int] = [:]
        for _ in 0..<Self.cases {
            let authorization = Self.value(&random)
            let response = await handler.handle(
                MetricsHTTPRequest(
                    method: .get, path: "/metrics", headers: [.authorization: authorization], remoteAddress: "192.0.2.9"))
            statuses[response.status.code, default: 0] += 1
            check(response, allowed: [401], "Authorization: \(authorization.prefix(80))")
            #expect(!String(decoding: response.body, as: UTF8.self).contains(authorization) || authorization.count < 4)
        }
        // The real token still works afterwards.
        let good = await handler.handle(
            MetricsHTTPRequest(
                method: .get, path: "/metrics", headers: [.authorization: "Bearer \(AuthTests.readerToken)"]))
        check(good, allowed: [200], "the real token")
        print("header-fuzz: authorization cases=\(Self.cases) statuses=\(statuses)")
    }
}
