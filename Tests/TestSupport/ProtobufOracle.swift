import Foundation

/// `Scripts/protobuf-exposition.py`: decodes protobuf expositions with Google's Python
/// protobuf runtime over `../shared/proto/metrics.proto` compiled by `protoc` at run time, and
/// checks them against what a test says the registry holds (native buckets recomputed there
/// from the raw observations). Shares no code with our encoder. Shared by the test targets.
public enum ProtobufOracle {
    /// `<root>/Tests/TestSupport/<this file>` → `<root>`.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// `Scripts/protobuf-exposition.py`.
    public static let script = repositoryRoot.appendingPathComponent("Scripts/protobuf-exposition.py").path
    /// `../shared/proto/metrics.proto` beside the repository.
    public static let schema = repositoryRoot.deletingLastPathComponent()
        .appendingPathComponent("shared/proto/metrics.proto").standardizedFileURL.path

    /// protoc, the Python runtime and the schema are all there.
    public static let isAvailable: Bool = {
        guard FileManager.default.fileExists(atPath: schema) else { return false }
        let protoc = try? ProcessRunner.run(["protoc", "--version"])
        let python = try? ProcessRunner.run(["python3", "-c", "import google.protobuf"])
        return protoc?.exitCode == 0 && python?.exitCode == 0
    }()

    /// One body and the families the registry held when it was rendered (the JSON of
    /// `Scripts/protobuf-exposition.py`'s docstring).
    public struct Case {
        /// Names the case in mismatch lines.
        public var name: String
        /// The protobuf body.
        public var body: [UInt8]
        /// What the registry held.
        public var families: [[String: Any]]

        /// Creates a case.
        public init(name: String, body: [UInt8], families: [[String: Any]]) {
            self.name = name
            self.body = body
            self.families = families
        }
    }

    /// Runs `check` over all cases at once; the output names every mismatch.
    public static func check(_ cases: [Case]) throws -> ProcessRunner.Output {
        let directory = try TemporaryFiles()
        var list: [[String: Any]] = []
        for (index, item) in cases.enumerated() {
            let body = try directory.write("body-\(index).bin", Data(item.body))
            list.append(["name": item.name, "body": body, "families": item.families])
        }
        let json = try JSONSerialization.data(withJSONObject: list, options: [.sortedKeys])
        let path = try directory.write("cases.json", json)
        return try ProcessRunner.run(
            ["python3", script, "check", path, "--proto", schema],
            timeout: .seconds(120)
        )
    }

    /// The families of `body` as JSON objects (protobuf's JSON mapping: camelCase field names,
    /// 64-bit integers as strings).
    public static func decode(_ body: [UInt8]) throws -> [[String: Any]] {
        let directory = try TemporaryFiles()
        let path = try directory.write("body.bin", Data(body))
        let output = try ProcessRunner.run(
            ["python3", script, "decode", path, "--proto", schema],
            timeout: .seconds(60)
        )
        guard output.exitCode == 0 else {
            throw ExternalToolError.parseFailed("protobuf-exposition.py decode: \(output.combined)")
        }
        return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [[String: Any]] ?? []
    }

    /// A temporary directory removed when the value is released.
    private final class TemporaryFiles {
        let url: URL

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("protobuf-oracle-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        func write(_ name: String, _ data: Data) throws -> String {
            let file = url.appendingPathComponent(name)
            try data.write(to: file)
            return file.path
        }
    }
}
