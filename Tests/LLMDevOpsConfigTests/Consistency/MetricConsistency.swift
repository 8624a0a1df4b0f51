/// Checks that every metric the dashboard and the rules query is exposed, and every recording
/// rule they query is defined.
///
/// Feed it the queries (``MonitoringQuery``) and an ``ExposedMetrics`` built from an
/// exposition: today a synthetic one from the catalog names, later the body of a real
/// `llmdevops-metrics --demo` run (`LLMDEVOPS_DEMO_EXPOSITION=/path/to/body`).
enum MetricConsistency {
    struct Problem: Equatable, Sendable, CustomStringConvertible {
        enum Kind: Equatable, Sendable {
            /// The expression does not tokenize or its structure is broken.
            case syntax(String)
            /// A sample name no exposed family offers.
            case unknownMetric(String)
            /// A `level:metric:ops` name no recording rule defines.
            case undefinedRecordingRule(String)
            /// The query is empty.
            case emptyQuery
        }

        var origin: String
        var kind: Kind

        var description: String {
            switch kind {
            case .syntax(let reason): "\(origin): cannot parse: \(reason)"
            case .unknownMetric(let name): "\(origin): \(name) is not exposed"
            case .undefinedRecordingRule(let name): "\(origin): recording rule \(name) is not defined"
            case .emptyQuery: "\(origin): empty query"
            }
        }
    }

    /// The names each query uses, or the problems that kept it from being read.
    static func references(of queries: [MonitoringQuery]) -> (references: MetricReferences, problems: [Problem]) {
        var all = MetricReferences()
        var problems: [Problem] = []
        for query in queries {
            if query.expression.allSatisfy(\.isWhitespace) {
                problems.append(Problem(origin: query.origin, kind: .emptyQuery))
                continue
            }
            do {
                all.formUnion(try MetricReferences(expression: query.expression, grafanaTemplate: query.isGrafanaTemplate))
            } catch {
                problems.append(Problem(origin: query.origin, kind: .syntax(error.description)))
            }
        }
        return (all, problems)
    }

    static func check(
        _ queries: [MonitoringQuery],
        recordingRules: Set<String>,
        against exposed: ExposedMetrics
    ) -> [Problem] {
        var problems: [Problem] = []
        for query in queries {
            let (references, queryProblems) = Self.references(of: [query])
            problems += queryProblems
            for name in references.metricNames.sorted() where exposed.family(of: name) == nil {
                problems.append(Problem(origin: query.origin, kind: .unknownMetric(name)))
            }
            for name in references.recordingRuleNames.sorted() where !recordingRules.contains(name) {
                problems.append(Problem(origin: query.origin, kind: .undefinedRecordingRule(name)))
            }
        }
        return problems
    }
}
