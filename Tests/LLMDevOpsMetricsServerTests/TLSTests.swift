import Foundation
import LLMDevOpsMetricsServer
import NIOSSL
import Testing

/// HTTPS with certificates made by `openssl` at test time; plain HTTP to the TLS port fails
/// cleanly; mutual TLS requires a client certificate.
@Suite(.requires(.openssl)) struct TLSTests {
    /// A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA.
    struct Certificates: Sendable {
        let directory: TemporaryDirectory
        var ca: String { directory.path("ca.pem") }
        var serverCertificate: String { directory.path("server.pem") }
        var serverKey: String { directory.path("server-key.pem") }
        var clientCertificate: String { directory.path("client.pem") }
        var clientKey: String { directory.path("client-key.pem") }

        init() async throws {
            try ExternalTool.openssl.require()
            directory = try TemporaryDirectory()
            let extensions = try directory.write("server.ext", "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
            let steps: [[String]] = [
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory.path("ca-key.pem"), "-out", ca,
                 "-days", "1", "-subj", "/CN=llmdevops test CA"],
                ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", serverKey, "-out", directory.path("server.csr"),
                 "-subj", "/CN=127.0.0.1"],
                ["x509", "-req", "-in", directory.path("server.csr"), "-CA", ca, "-CAkey", directory.path("ca-key.pem"),
                 "-CAcreateserial", "-out", serverCertificate, "-days", "1", "-extfile", extensions],
                ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", clientKey, "-out", directory.path("client.csr"),
                 "-subj", "/CN=prometheus"],
                ["x509", "-req", "-in", directory.path("client.csr"), "-CA", ca, "-CAkey", directory.path("ca-key.pem"),
                 "-CAcreateserial", "-out", clientCertificate, "-days", "1"],
            ]
            for step in steps {
                let result = try await ChildProcess.run(ExternalTool.openssl.rawValue, step, directory: directory.url)
                try #require(result.status == 0, "openssl \(step.joined(separator: " ")): \(result.error)")
            }
        }

        func clientTLS(withCertificate: Bool) throws -> TLSConfiguration {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .file(ca)
            if withCertificate {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(clientCertificate).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: clientKey, format: .pem))
            }
            return tls
        }
    }

    @Test func scrapeOverTLSWorksAndPlainHTTPFailsCleanly() async throws {
        let certificates = try await Certificates()
        let configuration = RunningServer.configuration {
            $0.tls = .init()
            $0.tls.enabled = true
            $0.tls.certFile = certificates.serverCertificate
            $0.tls.keyFile = certificates.serverKey
        }
        try await RunningServer.with(configuration) { server in
            try await TestHTTPClient.with(tls: try certificates.clientTLS(withCertificate: false)) { client in
                let response = try await client.fetch(server.url("/metrics"))
                #expect(response.status == 200)
                #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            }
            try await TestHTTPClient.with { plain in
                var failed = false
                do {
                    _ = try await plain.fetch("http://127.0.0.1:\(server.port)/metrics")
                } catch {
                    failed = true
                }
                #expect(failed, "a plain HTTP request to the TLS port must not get an answer")
            }
            // The server is unharmed.
            try await TestHTTPClient.with(tls: try certificates.clientTLS(withCertificate: false)) { client in
                let status = try await client.fetch(server.url("/health")).status
                #expect(status == 200)
            }
        }
    }

    @Test func mutualTLSRequiresAClientCertificate() async throws {
        let certificates = try await Certificates()
        let configuration = RunningServer.configuration {
            $0.tls.enabled = true
            $0.tls.certFile = certificates.serverCertificate
            $0.tls.keyFile = certificates.serverKey
            $0.tls.clientCAFile = certificates.ca
        }
        try await RunningServer.with(configuration) { server in
            try await TestHTTPClient.with(tls: try certificates.clientTLS(withCertificate: true)) { client in
                let status = try await client.fetch(server.url("/metrics")).status
                #expect(status == 200)
            }
            try await TestHTTPClient.with(tls: try certificates.clientTLS(withCertificate: false)) { client in
                var failed = false
                do {
                    _ = try await client.fetch(server.url("/metrics"))
                } catch {
                    failed = true
                }
                #expect(failed, "a client without a certificate must be refused")
            }
        }
    }
}
