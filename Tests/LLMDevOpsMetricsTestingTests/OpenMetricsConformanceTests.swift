import Foundation
import LLMDevOpsMetricsTesting
import Testing

/// The OpenMetrics parser conformance suite (prometheus/OpenMetrics `tests/testdata/parsers`),
/// expected at `<package root>/../shared/conformance/openmetrics-parsers`.
enum OpenMetricsConformanceSuite {
    /// `<root>/Tests/LLMDevOpsMetricsTestingTests/<this file>` → `<root>`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static let directory = packageRoot
        .deletingLastPathComponent()
        .appendingPathComponent("shared/conformance/openmetrics-parsers", isDirectory: true)
        .standardizedFileURL

    static let isRunningInCI = ProcessInfo.processInfo.environment["CI"] == "true"

    static var isPresent: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Case folders: every sub-directory holding a `test.json`, sorted by name.
    static let caseNames: [String] = {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return entries
            .filter { FileManager.default.fileExists(atPath: directory.appendingPathComponent("\($0)/test.json").path) }
            .sorted()
    }()

    /// Cases this parser deliberately handles differently from `shouldParse`, with the reason.
    /// Deliberately empty: the parser agrees with every case.
    static let deliberateExceptions: [String: String] = [:]

    static let missingMessage: Comment = """
        OpenMetrics conformance suite not found at \(directory.path). \
        Skipping the conformance tests (with CI=true this is a failure).
        """

    struct CaseDescription: Decodable {
        let type: String
        let file: String
        let shouldParse: Bool
    }
}

@Suite("OpenMetrics parser conformance")
struct OpenMetricsConformanceTests {
    typealias Suite = OpenMetricsConformanceSuite

    @Test(
        "The conformance suite is present (required when CI=true)",
        .enabled(if: Suite.isPresent || Suite.isRunningInCI, Suite.missingMessage)
    )
    func suiteIsPresent() {
        #expect(Suite.isPresent, "OpenMetrics conformance suite missing at \(Suite.directory.path) (CI=true)")
        #expect(Suite.caseNames.count == 211, "expected the 211 cases of OpenMetrics commit 3bb328ab")
    }

    @Test("Deliberate exceptions name existing cases")
    func exceptionsNameExistingCases() {
        #expect(Suite.deliberateExceptions.isEmpty, "exceptions: \(Suite.deliberateExceptions)")
        for name in Suite.deliberateExceptions.keys {
            #expect(Suite.caseNames.contains(name), "exception for unknown case \(name)")
        }
    }

    @Test(
        "Conformance case",
        .enabled(if: Suite.isPresent, Suite.missingMessage),
        arguments: Suite.caseNames
    )
    func conformanceCase(_ name: String) throws {
        let caseDirectory = Suite.directory.appendingPathComponent(name, isDirectory: true)
        let description = try JSONDecoder().decode(
            Suite.CaseDescription.self,
            from: Data(contentsOf: caseDirectory.appendingPathComponent("test.json"))
        )
        let body = try Data(contentsOf: caseDirectory.appendingPathComponent(description.file))
        let outcome = Result { () throws(ExpositionParseError) -> ParsedExposition in
            try ExpositionParser.parse([UInt8](body), syntax: .openMetrics)
        }
        let expectAccepted = description.shouldParse != (Suite.deliberateExceptions[name] != nil)
        switch outcome {
        case .success(let exposition):
            #expect(expectAccepted, "\(name): accepted, but shouldParse is false")
            if expectAccepted {
                #expect(exposition.families.allSatisfy { !$0.type.isEmpty })
            }
        case .failure(let error):
            #expect(!expectAccepted, "\(name): rejected (\(error)), but shouldParse is true")
        }
    }
}
