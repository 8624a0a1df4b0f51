import Foundation
import Testing

/// A real Prometheus server (Debian's `/usr/bin/prometheus`) scraping one target every second,
/// its TSDB in a test's temporary directory, on a free loopback port; stopped by PID.
struct PrometheusProcess {
    let child: ChildProcess
    /// The HTTP API base, `http://127.0.0.1:<port>/api/v1`.
    let api: String

    /// Starts Prometheus with one job scraping `target` (`host:port`) every second, with a bearer
    /// token read from `tokenFile` when given.
    static func start(directory: TemporaryDirectory, job: String, target: String, tokenFile: String? = nil) throws -> PrometheusProcess {
        let authorization = tokenFile.map {
            """

                authorization:
                  type: Bearer
                  credentials_file: \($0)
            """
        } ?? ""
        let config = try directory.write(
            "prometheus-\(job).yml",
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: \(job)
                metrics_path: /metrics\(authorization)
                static_configs:
                  - targets: ["\(target)"]
            """)
        let port = try freeLoopbackPort()
        let child = try ChildProcess(
            executable: ExternalTool.prometheus.rawValue,
            arguments: [
                "--config.file=\(config)", "--storage.tsdb.path=\(directory.path("tsdb-\(job)"))",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ],
            environment: ChildProcess.environment([:]), directory: directory.url)
        return PrometheusProcess(child: child, api: "http://127.0.0.1:\(port)/api/v1")
    }

    /// The value (as Prometheus prints it) of a PromQL instant query's first result, or nil;
    /// evaluated at `time` (Unix seconds) when given, else now.
    func query(_ promQL: String, at time: Double? = nil, _ client: TestHTTPClient) async throws -> String? {
        struct Response: Decodable {
            struct Result: Decodable { let value: [Value] }
            struct Payload: Decodable { let result: [Result] }
            enum Value: Decodable {
                case number(Double)
                case text(String)
                init(from decoder: any Decoder) throws {
                    let container = try decoder.singleValueContainer()
                    if let number = try? container.decode(Double.self) { self = .number(number) } else {
                        self = .text(try container.decode(String.self))
                    }
                }
            }
            let data: Payload
        }
        let encoded = promQL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promQL
        let evaluation = time.map { "&time=\(String(format: "%.3f", $0))" } ?? ""
        let response = try await client.fetch("\(api)/query?query=\(encoded)\(evaluation)")
        guard response.status == 200 else { return nil }
        let decoded = try JSONDecoder().decode(Response.self, from: Data(response.body))
        guard case .text(let text)? = decoded.data.result.first?.value.last else { return nil }
        return text
    }

    /// SIGTERM (then SIGKILL after the grace period); returns the exit status.
    @discardableResult
    func stop() async -> Int32? {
        await child.stop()
    }
}
