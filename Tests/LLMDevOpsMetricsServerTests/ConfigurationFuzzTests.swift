import LLMDevOpsTestSupport
import LLMDevOpsMetrics
import Foundation
import LLMDevOpsMetricsServer
import Testing

/// Issue 7, item 3 (configuration files): seeded random mutations of the shipped
/// `Config/llmdevops-metrics.yaml` (deleted, duplicated and retyped values, random bytes,
/// truncation, unknown keys, huge numbers). In process the loader always returns a valid
/// configuration or throws a one-line `ConfigurationError`; a sample through the real binary
/// (`--render-once`) exits 0 or 2 (never by a signal), agreeing with the loader, with exactly
/// the loader's line on stderr when it exits 2.
@Suite(.timeLimit(minutes: 3), .ownThread) struct ConfigurationFuzzTests {
    static let cases = 2000
    static let binarySample = 20

    typealias Seeded = HeaderFuzzTests.Seeded

    static var shippedConfiguration: String {
        get throws {
            let url = URL(fileURLWithPath: #filePath)
                .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Config/llmdevops-metrics.yaml")
            return try String(contentsOf: url, encoding: .utf8)
        }
    }

    static let values = [
        "-1", "0", "1", "65536", "\"text\"", "[1, 2]", "{a: 1}", "true", "false", "null", "~", "''", "3.5", "-0",
        ".nan", ".inf", "-.inf", "1e309", "99999999999999999999999999", "9223372036854775807", "-9223372036854775808",
        "0x10", "0o777", "&anchor 1", "*alias", "!!binary aGk=", "\"\\u0000\"", "é💥", "|\n  block", "[", "{", "\"",
        String(repeating: "9", count: 400), "\"0660\"", "\"/tmp\"", "\"metrics:read\"",
    ]
    static let keys = ["bogus", "enabled", "port", "tokens", "sha256", "scopes", "ttl_ms", "<<", "? complex", "\"quoted\""]

    /// One to three mutations of `text`.
    static func mutate(_ text: String, _ random: inout Seeded) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            guard !lines.isEmpty else { break }
            let index = Int.random(in: 0..<lines.count, using: &random)
            switch Int.random(in: 0..<8, using: &random) {
            case 0:
                lines.remove(at: index)
            case 1:
                lines.insert(lines[index], at: index)
            case 2, 3:  // retype a value (or append one)
                let value = values.randomElement(using: &random) ?? "0"
                if let colon = lines[index].firstIndex(of: ":") {
                    lines[index] = String(lines[index][...colon]) + " " + value
                } else {
                    lines[index] += " " + value
                }
            case 4:  // random bytes
                var bytes = Array(lines[index].utf8)
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    bytes.insert(UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
                }
                lines[index] = String(decoding: bytes, as: UTF8.self)
            case 5:  // truncation
                let all = lines.joined(separator: "\n")
                let cut = Int.random(in: 0...all.utf8.count, using: &random)
                lines = String(decoding: Array(all.utf8.prefix(cut)), as: UTF8.self)
                    .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            case 6:  // unknown key at the indentation of this line
                let indent = String(lines[index].prefix { $0 == " " })
                lines.insert(indent + (keys.randomElement(using: &random) ?? "x") + ": " + (values.randomElement(using: &random) ?? "1"), at: index)
            default:  // huge number for any numeric value
                if let colon = lines[index].firstIndex(of: ":") {
                    lines[index] = String(lines[index][...colon]) + " " + String(repeating: "9", count: Int.random(in: 10...40, using: &random))
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The loader's outcome: a configuration or the error's line.
    enum Outcome {
        case valid(ServiceConfiguration)
        case invalid(String)
    }

    static func check(_ configuration: ServiceConfiguration) {
        #expect((0...65535).contains(configuration.endpoint.port))
        #expect(configuration.endpoint.path.hasPrefix("/"))
        #expect(configuration.cardinality.maxPerMetric > 0 && configuration.cardinality.totalLimit > 0)
        #expect((1...9).contains(configuration.compression.level))
        #expect(configuration.rateLimit.requestsPerSecond.isFinite && configuration.rateLimit.requestsPerSecond > 0)
        #expect(configuration.limits.maxConcurrentScrapes > 0)
        #expect(configuration.auth.tokens.allSatisfy { $0.sha256.count == 64 })
    }

    @Test func mutatedConfigurationsLoadOrFailWithOneLine() throws {
        let original = try Self.shippedConfiguration
        let loader = ServiceConfigurationLoader(environment: [:])
        var random = Seeded(seed: 0xC0F1_6F22)
        var valid = 0
        var invalid = 0
        for _ in 0..<Self.cases {
            let yaml = Self.mutate(original, &random)
            do {
                Self.check(try loader.parse(yaml: yaml, file: "fuzz.yaml"))
                valid += 1
            } catch {
                invalid += 1
                let line = error.description
                #expect(!line.isEmpty && !line.contains("\n"), "\(line)")
            }
        }
        print("config-fuzz: cases=\(Self.cases) valid=\(valid) configuration_error=\(invalid) crashes=0")
        #expect(valid + invalid == Self.cases)
        #expect(valid > 0 && invalid > 0)
    }

    @Test func aSampleThroughTheBinaryExitsZeroOrTwo() async throws {
        let executable = try ChildProcess.serviceExecutable
        let original = try Self.shippedConfiguration
        let directory = try TemporaryDirectory()
        let file = directory.path("config.yaml")
        let loader = ServiceConfigurationLoader(environment: [:])
        var random = Seeded(seed: 0xB1_4A27)
        var outcomes: [Int32: Int] = [:]
        var run = 0
        var attempts = 0
        while run < Self.binarySample, attempts < 2000 {
            attempts += 1
            let yaml = Self.mutate(original, &random)
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: file))
            let expected: String?
            do {
                let configuration = try loader.load(path: file)
                // A valid file that starts a sidecar or a TLS listener depends on the host (the
                // socket directory, certificates); leave those to their own tests.
                if configuration.sidecar.enabled || configuration.tls.enabled || !configuration.enabled { continue }
                expected = nil
            } catch {
                expected = "llmdevops-metrics: \(error)\n"
            }
            // Alternate valid and invalid files so the sample has both.
            if (expected == nil) != (run % 2 == 0) { continue }
            run += 1
            let result = try await ChildProcess.run(
                executable, ["--config", file, "--render-once"], directory: directory.url, timeout: .seconds(60))
            outcomes[result.status, default: 0] += 1
            if let expected {
                #expect(result.status == 2, "\(yaml)\n\(result.error)")
                #expect(result.error == expected)
            } else {
                #expect(result.status == 0, "\(yaml)\n\(result.error)")
                #expect(result.output.contains("# EOF"))
            }
        }
        print("config-fuzz-binary: runs=\(run) outcomes=\(outcomes.sorted { $0.key < $1.key }.map { "exit\($0.key):\($0.value)" }.joined(separator: ","))")
        #expect(run == Self.binarySample)
    }
}
