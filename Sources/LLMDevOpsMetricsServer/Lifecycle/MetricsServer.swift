import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import LLMDevOpsMetrics
public import Logging
import NIOCore
import NIOSSL
public import ServiceLifecycle
import Synchronization

/// The standalone HTTP service: a Hummingbird server for ``MetricsHTTPHandler`` plus the
/// readiness service, as one `Service` for a `ServiceGroup`.
///
/// ```swift
/// let server = try await MetricsServer(configuration: configuration, registry: registry, logger: logger)
/// let group = ServiceGroup(configuration: .init(services: [server], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
///
/// On graceful shutdown `/ready` turns 503 at once, the server keeps serving for
/// `lifecycle.shutdown_delay_ms`, then stops accepting and finishes in-flight requests.
public final class MetricsServer: Service {
    /// The endpoint logic, shared with embedded uses.
    public let handler: MetricsHTTPHandler
    private let configuration: ServiceConfiguration
    private let registry: RegistryActor
    private let logger: Logger
    private let serverBuilder: HTTPServerBuilder
    private let port = Lock<Int?>(nil)
    private let portWaiters = Lock<[CheckedContinuation<Int?, Never>]>([])

    /// Creates the server; loads TLS material now so that errors surface before running.
    public init(
        configuration: ServiceConfiguration,
        registry: RegistryActor,
        handler: MetricsHTTPHandler? = nil,
        logger: Logger
    ) async throws(ServerError) {
        self.configuration = configuration
        self.registry = registry
        self.logger = logger
        if let handler {
            self.handler = handler
        } else {
            self.handler = try await MetricsHTTPHandler(registry: registry, configuration: configuration, logger: logger)
        }
        let http1 = HTTPServerBuilder.http1(
            configuration: HTTP1Channel.Configuration(
                idleTimeout: .milliseconds(Int64(configuration.limits.idleTimeoutMilliseconds)),
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: configuration.limits.maxHeaderBytes,
                    maxHeaderListSize: configuration.limits.maxHeaderBytes,
                    maxHeaderFieldCount: 100
                )
            )
        )
        if configuration.tls.enabled {
            do {
                self.serverBuilder = try .tls(http1, tlsConfiguration: try Self.tlsConfiguration(configuration.tls))
            } catch let error as ServerError {
                throw error
            } catch {
                throw ServerError(.tls, "cannot load the TLS configuration: \(error)")
            }
        } else {
            self.serverBuilder = http1
        }
    }

    static func tlsConfiguration(_ tls: ServiceConfiguration.TLS) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(tls.certFile).map { NIOSSLCertificateSource.certificate($0) }
        guard !chain.isEmpty else { throw ServerError(.tls, "no certificate in \(tls.certFile)") }
        let key = try NIOSSLPrivateKey(file: tls.keyFile, format: .pem)
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv12
        if !tls.clientCAFile.isEmpty {
            // Mutual TLS: a client certificate signed by this CA is required.
            configuration.trustRoots = .file(tls.clientCAFile)
            configuration.certificateVerification = .noHostnameVerification
        }
        return configuration
    }

    /// The bound port once listening (useful with port 0); nil if the server stopped first.
    public func boundPort() async -> Int? {
        if let port = port.withLock({ $0 }) { return port }
        return await withCheckedContinuation { continuation in
            let ready = port.withLock { port -> Int? in
                if let port { return port }
                portWaiters.withLock { $0.append(continuation) }
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    private func publishPort(_ value: Int?) {
        let waiters = port.withLock { port -> [CheckedContinuation<Int?, Never>] in
            if value != nil { port = value }
            return portWaiters.withLock { waiters in
                defer { waiters.removeAll() }
                return waiters
            }
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }

    /// Serves until graceful shutdown or cancellation.
    public func run() async throws {
        let application = Application(
            responder: MetricsResponder(handler: handler),
            server: serverBuilder,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.endpoint.host, port: configuration.endpoint.port),
                serverName: "llmdevops-metrics"
            ),
            onServerRunning: { [self] channel in
                let port = channel.localAddress?.port
                logger.info(
                    "Serving metrics",
                    metadata: [
                        "llmdevops.http.address": "\(configuration.endpoint.host)",
                        "llmdevops.http.port": "\(port ?? -1)",
                        "llmdevops.http.path": "\(configuration.endpoint.path)",
                        "llmdevops.http.tls": "\(configuration.tls.enabled)",
                        "llmdevops.auth.enabled": "\(configuration.auth.enabled)",
                    ])
                publishPort(port)
            },
            logger: logger
        )
        let readinessService = ReadinessService(
            registry: registry,
            readiness: handler.readiness,
            shutdownDelay: .milliseconds(configuration.lifecycle.shutdownDelayMilliseconds),
            logger: logger
        )
        // Graceful shutdown runs in reverse: readiness drains first, then the listener stops.
        let group = ServiceGroup(
            configuration: .init(services: [application, readinessService], logger: logger)
        )
        defer { publishPort(nil) }
        try await group.run()
    }
}
