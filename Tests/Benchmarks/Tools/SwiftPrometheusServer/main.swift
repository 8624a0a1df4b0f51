// HTTP load, the swift-prometheus side: what a user of swift-server/swift-prometheus would
// build with Hummingbird 2. GET /metrics renders the W6 registry shape with `emit(into:)` and,
// when the client accepts gzip, compresses it (zlib level 6, as our service does) on every
// request; nothing is cached.
//
//   SwiftPrometheusServer [--series 10000]
//
// Listens on 127.0.0.1 and a free port, prints `port=<n>` on stdout; stops on SIGTERM or SIGINT.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BenchmarkWorkloads
import CompressNIO
import Hummingbird
import Logging
import NIOCore
import Prometheus

/// Writes to standard error without touching the C `stderr` global (not concurrency-safe in Swift 6).
func writeError(_ message: String) {
    let bytes = Array(message.utf8)
    _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

var series = 10_000
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--series":
        guard let value = arguments.popFirst().flatMap(Int.init), value >= 100 else {
            writeError("usage: SwiftPrometheusServer [--series N]\n")
            exit(2)
        }
        series = value
    default:
        writeError("SwiftPrometheusServer: unknown argument '\(argument)'\nusage: SwiftPrometheusServer [--series N]\n")
        exit(2)
    }
}

let registry = Contenders.swiftPrometheus(series: series)
let router = Router()
router.get("/metrics") { request, _ -> Response in
    var text: [UInt8] = []
    registry.emit(into: &text)
    var headers: HTTPFields = [.contentType: "text/plain; version=0.0.4; charset=utf-8"]
    var body = ByteBuffer(bytes: text)
    if request.headers[.acceptEncoding]?.contains("gzip") == true {
        body = try body.compress(with: .gzip, configuration: ZlibConfiguration(windowSize: 15, compressionLevel: 6))
        headers[.contentEncoding] = "gzip"
    }
    return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: body))
}

var logger = Logger(label: "swift-prometheus-server")
logger.logLevel = .warning
let application = Application(
    router: router,
    configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: "swift-prometheus-bench"),
    onServerRunning: { channel in
        print("port=\(channel.localAddress?.port ?? -1)")
        fflush(nil)
    },
    logger: logger
)
try await application.runService()
