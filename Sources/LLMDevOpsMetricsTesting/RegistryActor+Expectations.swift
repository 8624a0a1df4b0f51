public import LLMDevOpsMetrics

extension RegistryActor {
    /// Renders the registry now (bypassing the cache) and parses it back with the strict
    /// ``ExpositionParser``, so a test sees exactly what a scraper would. Text formats only:
    /// for ``ExpositionFormat/protobuf`` it throws ``ExpositionParseError``.
    public func parsedExposition(_ format: ExpositionFormat = .openMetrics) async throws -> ParsedExposition {
        guard format.isText else {
            throw ExpositionParseError(line: 0, reason: "\(format.rawValue) is not a text format")
        }
        let body = await render(format)
        return try ExpositionParser.parse(body, syntax: format == .openMetrics ? .openMetrics : .prometheusText)
    }

    /// The value of the sample with exactly this name and label set, or nil when it is not exposed.
    public func sampleValue(
        _ name: String,
        labels: [String: String] = [:],
        format: ExpositionFormat = .openMetrics
    ) async throws -> Double? {
        try await parsedExposition(format).sample(named: name, labels: labels)?.value
    }

    /// Throws ``SampleExpectationError`` unless the exposition has the sample with exactly this
    /// name, label set and value. Works from XCTest and Swift Testing alike:
    ///
    /// ```swift
    /// try await registry.expectSample(
    ///     "llmdevops_llm_requests_total", labels: ["model": "gpt-4o", "status": "success"], value: 3)
    /// ```
    public func expectSample(
        _ name: String,
        labels: [String: String] = [:],
        value expected: Double,
        format: ExpositionFormat = .openMetrics
    ) async throws {
        let exposition = try await parsedExposition(format)
        let actual = exposition.sample(named: name, labels: labels)?.value
        let matches = actual.map { $0 == expected || ($0.isNaN && expected.isNaN) } ?? false
        guard matches else {
            throw SampleExpectationError(
                name: name,
                labels: labels,
                expected: expected,
                actual: actual,
                candidates: exposition.samples.filter { $0.name == name }.map(\.labels)
            )
        }
    }
}

/// A sample that `RegistryActor.expectSample(_:labels:value:format:)` did not find with the
/// expected value.
public struct SampleExpectationError: Error, CustomStringConvertible, Sendable {
    /// The sample name looked for.
    public let name: String
    /// The label set looked for.
    public let labels: [String: String]
    /// The expected value.
    public let expected: Double
    /// The value found, or nil when the sample is absent.
    public let actual: Double?
    /// Label sets of the samples with the same name that do exist.
    public let candidates: [[String: String]]

    /// What was expected and what was found.
    public var description: String {
        let wanted = "\(name)\(labels.sorted { $0.key < $1.key })"
        guard let actual else {
            return "\(wanted) is not exposed; samples named \(name): \(candidates.map { $0.sorted { $0.key < $1.key } })"
        }
        return "\(wanted) is \(actual), expected \(expected)"
    }
}
