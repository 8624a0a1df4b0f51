import LLMDevOpsTestSupport
import LLMDevOpsMetrics
import LLMDevOpsMetricsTesting
import Testing

/// The label-value screen: generated secrets are flagged with the right reason, typical label
/// values are not, and a screening family exports `_redacted` and counts it.
@Suite(.ownThread) struct LabelValueScreenTests {
    /// Seeded generators for secrets of each kind, shaped like the real ones.
    enum SecretGenerator {
        static let alnum = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        static let base64URL = alnum + Array("-_")
        static let base64 = alnum + Array("+/")
        static let hex = Array("0123456789abcdef")

        static func string(_ alphabet: [Character], _ length: Int, _ random: inout SplitMix64) -> String {
            String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
        }

        static func make(_ reason: LabelValueScreen.Reason, _ random: inout SplitMix64) -> String {
            switch reason {
            case .email:
                let local = string(Array("abcdefghijklmnopqrstuvwxyz0123456789._+"), Int.random(in: 1...16, using: &random), &random)
                let domain = string(Array("abcdefghijklmnopqrstuvwxyz-"), Int.random(in: 2...12, using: &random), &random)
                let tld = ["com", "org", "io", "co.uk", "de", "dev"].randomElement(using: &random) ?? "com"
                let prefix = ["", "user ", "contact: ", "owner="].randomElement(using: &random) ?? ""
                return "\(prefix)a\(local)@\(domain)x.\(tld)"
            case .bearerToken:
                let scheme = ["Bearer ", "bearer ", "BEARER  ", "Basic "].randomElement(using: &random) ?? "Bearer "
                return scheme + string(base64URL, Int.random(in: 20...40, using: &random), &random)
            case .jwt:
                return "eyJ" + string(base64URL, Int.random(in: 8...30, using: &random), &random) + ".eyJ"
                    + string(base64URL, Int.random(in: 10...60, using: &random), &random) + "."
                    + string(base64URL, Int.random(in: 20...43, using: &random), &random)
            case .apiKey:
                switch random.next() % 5 {
                case 0: return "sk-" + string(alnum, 48, &random)
                case 1: return "sk-proj-" + string(base64URL, Int.random(in: 40...150, using: &random), &random)
                case 2: return "sk-ant-api03-" + string(base64URL, 95, &random)
                case 3: return "AKIA" + string(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 16, &random)
                default: return "ghp_" + string(alnum, 36, &random)
                }
            case .hexRun:
                let run = string(hex, Int.random(in: 32...64, using: &random), &random)
                return (["", "sha256:", "commit-"].randomElement(using: &random) ?? "") + run
            case .base64Run:
                return string(base64, Int.random(in: 48...88, using: &random), &random)
            }
        }
    }

    /// Label values seen in real deployments: model names, routes, versions, regions, UUIDs.
    static let benign = [
        "gpt-4o-2024-08-06", "gpt-4o-mini", "claude-3-5-sonnet", "claude-3-5-sonnet-20241022",
        "anthropic.claude-3-5-sonnet-20241022-v2:0", "meta-llama/Meta-Llama-3-70B-Instruct",
        "text-embedding-3-large", "ft:gpt-4o-mini-2024-07-18:my-org:custom-suffix:9dKQ8aZx",
        "/api/v1/items/{id}", "/api/v2/organizations/{organization_id}/projects/{project_id}/members",
        "/v1/chat/completions", "us-east-1", "europe-west4-a", "123e4567-e89b-12d3-a456-426614174000",
        "support-router", "search_docs", "sk-learn-pipeline-classifier", "task-runner-7",
        "HTTP/1.1", "GET", "500", "rate_limit_exceeded", "Basic authentication failed",
        "MyVeryLongClassName2_handler_function", "io.grpc.StatusRuntimeException",
        "kube-system/coredns-5d78c9869d-abcde", "v1.2.3-rc.1+build.20240806",
        "mistral-large-2407", "gemini-1.5-pro-002", "user@host", "token limit", "Bearer",
    ]

    @Test(arguments: LabelValueScreen.Reason.allCases)
    func generatedSecretsAreFlagged(reason: LabelValueScreen.Reason) {
        var random = SplitMix64(seed: 0x5EC2E7 &+ UInt64(reason.rawValue.utf8.count))
        for _ in 0..<500 {
            let secret = SecretGenerator.make(reason, &random)
            let flagged = LabelValueScreen.reason(for: secret)
            #expect(flagged == reason, "\(secret)")
            #expect(LabelValueScreen.screened(secret) == LabelValueScreen.redactedValue)
            // Embedded in a longer value it is still caught (with some reason).
            #expect(LabelValueScreen.reason(for: "call failed for \(secret) (retry)") != nil, "\(secret)")
        }
    }

    @Test(arguments: benign)
    func typicalLabelValuesPass(value: String) {
        #expect(LabelValueScreen.reason(for: value) == nil)
        #expect(LabelValueScreen.screened(value) == value)
    }

    @Test func generatedBenignValuesPass() {
        var random = SplitMix64(seed: 42)
        let words = ["gpt", "claude", "llama", "mistral", "sonnet", "haiku", "opus", "mini", "turbo", "instruct", "chat",
                     "items", "users", "orders", "search", "docs", "api", "v1", "v2", "preview", "latest", "Large", "Pro"]
        for _ in 0..<5000 {
            let count = Int.random(in: 1...7, using: &random)
            var parts: [String] = []
            for _ in 0..<count {
                switch random.next() % 4 {
                case 0: parts.append(String(Int.random(in: 0...2030, using: &random)))
                case 1: parts.append("{\(words.randomElement(using: &random) ?? "id")_id}")
                default: parts.append(words.randomElement(using: &random) ?? "x")
                }
            }
            let separator = ["-", "/", "_", "."].randomElement(using: &random) ?? "-"
            let value = (separator == "/" ? "/" : "") + parts.joined(separator: separator)
            #expect(LabelValueScreen.reason(for: value) == nil, "\(value)")
        }
    }

    @Test func screeningFamilyExportsRedactedAndCounts() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        let family = try await registry.makeCounterFamily(
            name: "app_calls_total", labelNames: ["caller", "route"], options: FamilyOptions(screensLabelValues: true))
        let plain = try await registry.makeCounterFamily(name: "app_plain_total", labelNames: ["caller"])
        try await family.labels(["caller": "alice@example.com", "route": "/a"]).increment()
        try await family.labels(["caller": "bob@example.org", "route": "/a"]).increment(by: 2)
        try await family.labels(values: ["svc", "sk-" + String(repeating: "aB3", count: 16)]).increment()
        try await family.labels(["caller": "svc", "route": "/a"]).increment()
        try await plain.labels(["caller": "carol@example.net"]).increment()

        try await registry.expectSample("app_calls_total", labels: ["caller": "_redacted", "route": "/a"], value: 3)
        try await registry.expectSample("app_calls_total", labels: ["caller": "svc", "route": "_redacted"], value: 1)
        try await registry.expectSample("app_calls_total", labels: ["caller": "svc", "route": "/a"], value: 1)
        try await registry.expectSample(
            "llmdevops_registry_label_redactions_total", labels: ["family": "app_calls", "label": "caller", "reason": "email"], value: 2)
        try await registry.expectSample(
            "llmdevops_registry_label_redactions_total", labels: ["family": "app_calls", "label": "route", "reason": "api_key"], value: 1)
        // Not opted in: exported as given (the default keeps existing behaviour and cost).
        try await registry.expectSample("app_plain_total", labels: ["caller": "carol@example.net"], value: 1)
        let body = String(decoding: await registry.render(.openMetrics), as: UTF8.self)
        #expect(!body.contains("alice@example.com") && !body.contains("bob@example.org") && !body.contains("aB3aB3"))
        #expect(try await family.remove(["caller": "alice@example.com", "route": "/a"]))
        #expect(await family.seriesCount == 2)
    }

    @Test func registryWideScreeningAppliesUnlessAFamilyOptsOut() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero, screensLabelValues: true))
        let screened = try await registry.makeGaugeFamily(name: "app_owner", labelNames: ["owner"])
        let optedOut = try await registry.makeGaugeFamily(
            name: "app_digest", labelNames: ["digest"], options: FamilyOptions(screensLabelValues: false))
        let digest = String(repeating: "0123456789abcdef", count: 4)
        try await screened.labels(["owner": "Bearer abcDEF123456ghiJKL"]).set(to: 1)
        try await optedOut.labels(["digest": digest]).set(to: 1)
        try await registry.expectSample("app_owner", labels: ["owner": "_redacted"], value: 1)
        try await registry.expectSample("app_digest", labels: ["digest": digest], value: 1)
        try await registry.expectSample(
            "llmdevops_registry_label_redactions_total", labels: ["family": "app_owner", "label": "owner", "reason": "bearer_token"], value: 1)
    }
}
