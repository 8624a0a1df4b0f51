import LLMDevOpsMetrics
import LLMDevOpsMetricsServer
import Testing

/// Bearer tokens with scopes over a real socket: 401, 403, 200, and the failure counters.
@Suite struct AuthTests {
    static let readerToken = "reader-secret-token"
    static let writerToken = "writer-secret-token"

    static func configuration(protectHealth: Bool = false) -> ServiceConfiguration {
        RunningServer.configuration {
            $0.auth = .init(
                enabled: true,
                protectHealth: protectHealth,
                tokens: [
                    .init(name: "prometheus", sha256: sha256Hex(readerToken), scopes: ["metrics:read"]),
                    .init(name: "pusher", sha256: sha256Hex(writerToken), scopes: ["events:write"]),
                ])
        }
    }

    @Test(arguments: [
        (nil, 401, "missing_token"),
        ("Bearer wrong-token", 401, "invalid_token"),
        ("Basic dXNlcjpwYXNz", 401, "malformed_header"),
        ("Bearer", 401, "malformed_header"),
        ("Bearer \(writerToken)", 403, "insufficient_scope"),
        ("Bearer \(readerToken)", 200, nil),
        ("bearer  \(readerToken)", 200, nil),
    ] as [(String?, Int, String?)])
    func statusByTokenAndScope(authorization: String?, status: Int, reason: String?) async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        try await RunningServer.with(Self.configuration(), registry: registry) { server in
            try await TestHTTPClient.with { client in
                let headers = authorization.map { [("Authorization", $0)] } ?? []
                let response = try await client.fetch(server.url("/metrics"), headers: headers)
                #expect(response.status == status)
                switch status {
                case 401:
                    #expect(response.header("WWW-Authenticate") == #"Bearer realm="metrics""#)
                case 403:
                    #expect(response.header("WWW-Authenticate")?.hasPrefix(#"Bearer realm="metrics""#) == true)
                default:
                    #expect(response.header("WWW-Authenticate") == nil)
                    #expect(response.text.contains("# TYPE llmdevops_exporter_scrapes_total counter"))
                }
                // The failure is counted by reason, and no token text appears in the body.
                let after = try await client.fetch(
                    server.url("/metrics"), headers: [("Authorization", "Bearer \(Self.readerToken)")])
                if let reason {
                    #expect(after.text.contains(#"llmdevops_exporter_auth_failures_total{reason="\#(reason)"} 1"#))
                } else {
                    #expect(!after.text.contains("llmdevops_exporter_auth_failures_total{"))
                }
                #expect(!after.text.contains(Self.readerToken))
                #expect(!after.text.contains(Self.writerToken))
            }
        }
    }

    @Test func healthAndReadyAreOpenUnlessProtected() async throws {
        try await RunningServer.with(Self.configuration()) { server in
            try await TestHTTPClient.with { client in
                let observed1 = try await client.fetch(server.url("/health")).status
                #expect(observed1 == 200)
                let observed2 = try await client.fetch(server.url("/")).status
                #expect(observed2 == 200)
            }
        }
        try await RunningServer.with(Self.configuration(protectHealth: true)) { server in
            try await TestHTTPClient.with { client in
                let refused = try await client.fetch(server.url("/health"))
                #expect(refused.status == 401)
                #expect(refused.header("WWW-Authenticate") == #"Bearer realm="metrics""#)
                let allowed = try await client.fetch(
                    server.url("/health"), headers: [("Authorization", "Bearer \(Self.readerToken)")])
                #expect(allowed.status == 200)
            }
        }
    }

    /// An embedding application delegates to its own authenticator.
    struct HeaderAuthenticator: MetricsAuthenticator {
        func authenticate(_ request: AuthenticationRequest) async -> AuthenticationResult {
            switch request.authorization {
            case "let-me-in": .authenticated(AuthenticatedClient(name: "app-user", scopes: [MetricsScope.read]))
            case "read-only-elsewhere": .authenticated(AuthenticatedClient(name: "other", scopes: ["other:read"]))
            case nil: .rejected(.missingCredentials)
            default: .rejected(AuthenticationFailure(reason: "app_rejected"))
            }
        }
    }

    @Test func aCustomAuthenticatorDecides() async throws {
        let registry = RegistryActor(configuration: RegistryConfiguration(cacheTTL: .zero))
        let configuration = RunningServer.configuration()
        let handler = try await MetricsHTTPHandler(
            registry: registry, configuration: configuration, authenticator: HeaderAuthenticator())
        try await RunningServer.with(configuration, registry: registry, handler: handler) { server in
            try await TestHTTPClient.with { client in
                let observed3 = try await client.fetch(server.url("/metrics"), headers: [("Authorization", "let-me-in")]).status
                #expect(observed3 == 200)
                let observed4 = try await client.fetch(server.url("/metrics"), headers: [("Authorization", "nope")]).status
                #expect(observed4 == 401)
                let observed5 = try await client.fetch(server.url("/metrics"), headers: [("Authorization", "read-only-elsewhere")]).status
                #expect(observed5 == 403)
                let body = try await client.fetch(server.url("/metrics"), headers: [("Authorization", "let-me-in")]).text
                #expect(body.contains(#"llmdevops_exporter_auth_failures_total{reason="app_rejected"} 1"#))
                #expect(body.contains(#"llmdevops_exporter_auth_failures_total{reason="insufficient_scope"} 1"#))
            }
        }
    }

    @Test func digestsAreComparedNotTokens() throws {
        // A token equal to the digest text itself must not authenticate.
        let digest = sha256Hex(Self.readerToken)
        #expect(digest == "\(sha256Hex(Self.readerToken))")
        #expect(digest.count == 64)
        #expect(sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func theDigestTextIsNotAToken() async throws {
        let authenticator = try BearerTokenAuthenticator(tokens: [.init(name: "p", sha256: sha256Hex(Self.readerToken))])
        let byDigest = await authenticator.authenticate(
            AuthenticationRequest(authorization: "Bearer \(sha256Hex(Self.readerToken))", remoteAddress: nil, path: "/metrics"))
        #expect(byDigest == .rejected(.invalidCredentials))
        let byToken = await authenticator.authenticate(
            AuthenticationRequest(authorization: "Bearer \(Self.readerToken)", remoteAddress: nil, path: "/metrics"))
        #expect(byToken == .authenticated(AuthenticatedClient(name: "p", scopes: ["metrics:read"])))
    }

    @Test func anInvalidDigestIsAConfigurationError() {
        #expect(throws: ConfigurationError.self) {
            try BearerTokenAuthenticator(tokens: [.init(name: "p", sha256: "abc")])
        }
    }
}
