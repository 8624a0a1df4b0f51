import AsyncHTTPClient
import LLMDevOpsTestSupport
import NIOCore
import NIOHTTP1
import NIOSSL

/// An HTTP response as the tests look at it.
struct TestResponse: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: [UInt8]

    func header(_ name: String) -> String? { headers.first(name: name) }
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A real HTTP client (async-http-client) over loopback sockets. It does not decompress, so
/// the tests see exactly the bytes the server sent.
struct TestHTTPClient {
    let client: HTTPClient

    init(tls: TLSConfiguration? = nil) {
        var configuration = HTTPClient.Configuration()
        configuration.tlsConfiguration = tls
        configuration.decompression = .disabled
        // Each request is bounded by `fetch`'s timeout; the connection's read timeout must not cut
        // short a request the test holds on purpose for longer.
        configuration.timeout = .init(connect: .seconds(5), read: .minutes(10))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The bound of a request that must be answered: only a hung server exceeds it.
    static let answerTimeout = TimeAmount.seconds(Int64(20 * TimeLimitFactor.value))
    /// The bound of a request the test holds on purpose (released by the test, not the server).
    static let heldTimeout = TimeAmount.minutes(2)

    /// Sends a request and collects the response; `timeout` bounds the whole exchange (pass a
    /// longer one for a request the test itself holds, such as one waiting on a held collector).
    func fetch(
        _ url: String,
        method: HTTPMethod = .GET,
        headers: [(String, String)] = [],
        timeout: TimeAmount = Self.answerTimeout
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Array(buffer: body))
    }

    func shutdown() async {
        try? await client.shutdown()
    }

    /// Runs `body` with a client and shuts it down afterwards, whatever happens.
    static func with<T>(
        tls: TLSConfiguration? = nil,
        _ body: (TestHTTPClient) async throws -> T
    ) async throws -> T {
        let client = TestHTTPClient(tls: tls)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
