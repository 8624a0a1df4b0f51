public import Hummingbird
import HTTPTypes
import NIOCore

extension MetricsHTTPHandler {
    /// Answers a Hummingbird request through ``handle(_:)``.
    public func respond(to request: Request, context: some RequestContext) async -> Response {
        let remoteAddress = (context as? any RemoteAddressRequestContext)?.remoteAddress.flatMap(\.ipAddress)
        let neutral = MetricsHTTPRequest(
            method: request.method,
            path: request.uri.path,
            headers: request.headers,
            remoteAddress: remoteAddress
        )
        return Response(await handle(neutral))
    }
}

extension Response {
    /// Converts a framework-neutral response; `Content-Length` is kept as given (so `HEAD`
    /// answers carry the `GET` length).
    init(_ response: MetricsHTTPResponse) {
        self.init(
            status: response.status,
            headers: response.headers,
            body: response.body.isEmpty ? ResponseBody() : ResponseBody(byteBuffer: ByteBuffer(bytes: response.body))
        )
    }
}

extension RouterMethods {
    /// Mounts the metrics path, `/health`, `/ready` and `/` on an application's router: one call
    /// for the embedded pattern. Other methods on these paths get 405 with `Allow`.
    ///
    /// ```swift
    /// let router = Router()
    /// let metrics = try await MetricsHTTPHandler(registry: registry, configuration: configuration)
    /// router.addMetricsEndpoints(metrics)
    /// ```
    ///
    /// - Parameter includeLandingPage: Also answer `/` (off when the application owns `/`).
    @discardableResult
    public func addMetricsEndpoints(_ handler: MetricsHTTPHandler, includeLandingPage: Bool = true) -> Self {
        let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .delete, .patch, .options]
        for path in handler.paths where includeLandingPage || path != "/" {
            for method in methods {
                on(RouterPath(path), method: method) { request, context in
                    await handler.respond(to: request, context: context)
                }
            }
        }
        return self
    }
}

/// Sends every request of the standalone server to ``MetricsHTTPHandler`` (which answers 404
/// for unknown paths and 405 for unsupported methods).
struct MetricsResponder: HTTPResponder {
    typealias Context = MetricsRequestContext
    let handler: MetricsHTTPHandler

    func respond(to request: Request, context: MetricsRequestContext) async throws -> Response {
        await handler.respond(to: request, context: context)
    }
}
