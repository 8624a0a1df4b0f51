import Foundation
import Testing

extension PrometheusProcess {
    /// One scrape job: a name and one `host:port` target.
    struct Job {
        let name: String
        let target: String
    }

    /// One element of an instant query's result: its labels and either a float value or a
    /// native histogram (count, sum and bucket count as Prometheus' JSON gives them).
    struct Sample: Decodable {
        struct Histogram: Decodable {
            let count: String
            let sum: String
            let buckets: [[StringOrNumber]]?
        }

        enum StringOrNumber: Decodable {
            case number(Double)
            case text(String)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Double.self) {
                    self = .number(number)
                } else {
                    self = .text(try container.decode(String.self))
                }
            }
        }

        enum Point: Decodable {
            case number(Double)
            case text(String)
            case histogram(Histogram)

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                if let number = try? container.decode(Double.self) {
                    self = .number(number)
                } else if let text = try? container.decode(String.self) {
                    self = .text(text)
                } else {
                    self = .histogram(try container.decode(Histogram.self))
                }
            }
        }

        let metric: [String: String]
        private let value: [Point]?
        private let histogram: [Point]?

        /// The float value, when the element is a float sample.
        var floatValue: Double? {
            guard case .text(let text)? = value?.last else { return nil }
            return Double(text)
        }

        /// The native histogram, when the element is one.
        var nativeHistogram: Histogram? {
            guard case .histogram(let histogram)? = histogram?.last else { return nil }
            return histogram
        }
    }

    /// Starts Prometheus scraping `jobs` every second, with `--enable-feature=native-histograms`
    /// when `nativeHistograms`, evaluating `ruleFiles` (copied into `directory`) every second.
    static func start(
        directory: TemporaryDirectory,
        name: String,
        jobs: [Job],
        nativeHistograms: Bool,
        ruleFiles: [URL] = []
    ) throws -> PrometheusProcess {
        var rules: [String] = []
        for file in ruleFiles {
            let copy = directory.url.appendingPathComponent("\(name)-\(file.lastPathComponent)")
            try FileManager.default.copyItem(at: file, to: copy)
            rules.append(copy.path)
        }
        let scrapeConfigs = jobs.map { job in
            """
              - job_name: \(job.name)
                metrics_path: /metrics
                static_configs:
                  - targets: ["\(job.target)"]
            """
        }.joined(separator: "\n")
        let config = try directory.write(
            "prometheus-\(name).yml",
            """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            rule_files: [\(rules.map { "\"\($0)\"" }.joined(separator: ", "))]
            scrape_configs:
            \(scrapeConfigs)
            """
        )
        let port = try freeLoopbackPort()
        var arguments = [
            "--config.file=\(config)", "--storage.tsdb.path=\(directory.path("tsdb-\(name)"))",
            "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
        ]
        if nativeHistograms { arguments.append("--enable-feature=native-histograms") }
        let child = try ChildProcess(
            executable: ExternalTool.prometheus.rawValue,
            arguments: arguments,
            environment: ChildProcess.environment([:]),
            directory: directory.url
        )
        return PrometheusProcess(child: child, api: "http://127.0.0.1:\(port)/api/v1")
    }

    /// Every element of an instant query's result (an empty array for no result or an error).
    func instantQuery(_ promQL: String, _ client: TestHTTPClient) async throws -> [Sample] {
        struct Response: Decodable {
            struct Payload: Decodable { let result: [Sample] }
            let data: Payload
        }
        let encoded = promQL.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? promQL
        let response = try await client.fetch("\(api)/query?query=\(encoded)")
        guard response.status == 200 else { return [] }
        return try JSONDecoder().decode(Response.self, from: Data(response.body)).data.result
    }

    /// Waits (bounded: `timeout`, polling every 250 ms) until every job's target is up.
    func waitUntilUp(_ jobs: [String], _ client: TestHTTPClient, timeout: Duration = .seconds(90)) async throws -> Bool
    {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var up = 0
            for job in jobs where try await query(#"up{job="\#(job)"}"#, client) == "1" { up += 1 }
            if up == jobs.count { return true }
            guard child.isRunning else { return false }
            try await Task.sleep(for: .milliseconds(250))
        }
        return false
    }
}
