/// The metric names a PromQL expression selects, found by walking its tokens: functions and
/// aggregations (an identifier followed by `(`), keywords, label names in `by (...)`,
/// `on (...)`, `{...}` matchers, ranges and subqueries in `[...]`, strings, numbers and Grafana
/// variables are not metric names. Names with a colon are recording rules (`level:metric:ops`)
/// and are reported apart. A selector written as `{__name__="x"}` counts as `x`.
///
/// ```swift
/// let references = try MetricReferences(
///     expression: #"histogram_quantile(0.99, sum by (le) (rate(x_bucket{model=~"$model"}[5m])))"#)
/// references.metricNames   // ["x_bucket"]
/// ```
struct MetricReferences: Equatable, Sendable {
    /// Sample names selected (`foo_bucket` stays `foo_bucket`; ``ExposedMetrics`` resolves it).
    var metricNames: Set<String> = []
    /// Recording-rule names selected (`llmdevops:llm_requests:rate5m`).
    var recordingRuleNames: Set<String> = []

    init() {}

    init(expression: String, grafanaTemplate: Bool = false) throws(PromQLSyntaxError) {
        let tokens = try PromQLLexer.tokenize(expression)
        var walker = Walker(tokens: tokens, grafanaTemplate: grafanaTemplate)
        try walker.walk()
        self = walker.references
    }

    mutating func formUnion(_ other: MetricReferences) {
        metricNames.formUnion(other.metricNames)
        recordingRuleNames.formUnion(other.recordingRuleNames)
    }

    // PromQL's functions and aggregation operators as of Prometheus 2.42, plus `start` / `end`
    // of the `@` modifier.
    static let functions: Set<String> = [
        "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "avg_over_time",
        "ceil", "changes", "clamp", "clamp_max", "clamp_min", "cos", "cosh", "count_over_time", "day_of_month",
        "day_of_week", "day_of_year", "days_in_month", "deg", "delta", "deriv", "exp", "floor",
        "histogram_count", "histogram_fraction", "histogram_quantile", "histogram_stddev", "histogram_stdvar",
        "histogram_sum", "holt_winters", "hour", "idelta", "increase", "irate", "label_join", "label_replace",
        "last_over_time", "ln", "log10", "log2", "mad_over_time", "max_over_time", "min_over_time", "minute",
        "month", "pi", "predict_linear", "present_over_time", "quantile_over_time", "rad", "rate", "resets",
        "round", "scalar", "sgn", "sin", "sinh", "sort", "sort_desc", "sqrt", "stddev_over_time",
        "stdvar_over_time", "sum_over_time", "tan", "tanh", "time", "timestamp", "vector", "year",
        "start", "end",
    ]

    static let aggregations: Set<String> = [
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile",
    ]

    /// Keywords followed by a parenthesised list of label names.
    static let labelListKeywords: Set<String> = ["by", "without", "on", "ignoring", "group_left", "group_right"]

    static let keywords: Set<String> = ["and", "or", "unless", "bool", "offset", "atan2"]

    private struct Walker {
        let tokens: [PromQLToken]
        let grafanaTemplate: Bool
        var index = 0
        var depth = 0
        var references = MetricReferences()

        init(tokens: [PromQLToken], grafanaTemplate: Bool) {
            self.tokens = tokens
            self.grafanaTemplate = grafanaTemplate
        }

        func token(_ ahead: Int = 0) -> PromQLToken? {
            index + ahead < tokens.count ? tokens[index + ahead] : nil
        }

        func isSymbol(_ token: PromQLToken?, _ text: String) -> Bool {
            token?.kind == .symbol && token?.text == text
        }

        mutating func walk() throws(PromQLSyntaxError) {
            if grafanaTemplate, let first = token(), first.kind == .identifier, isSymbol(token(1), "(") {
                try walkTemplateFunction(first)
                return
            }
            while let current = token() {
                try step(current)
            }
            guard depth == 0 else { throw PromQLSyntaxError(offset: tokens.last?.offset ?? 0, reason: "unbalanced parentheses") }
        }

        mutating func step(_ current: PromQLToken) throws(PromQLSyntaxError) {
            switch current.kind {
            case .string, .number, .variable:
                index += 1
            case .symbol:
                switch current.text {
                case "(":
                    depth += 1
                    index += 1
                case ")":
                    depth -= 1
                    guard depth >= 0 else { throw PromQLSyntaxError(offset: current.offset, reason: "unbalanced )") }
                    index += 1
                case "{":
                    try skipMatchers()
                case "[":
                    try skip(to: "]", from: current)
                case "}", "]":
                    throw PromQLSyntaxError(offset: current.offset, reason: "unbalanced \(current.text)")
                default:
                    index += 1
                }
            case .identifier:
                try identifier(current)
            }
        }

        mutating func identifier(_ current: PromQLToken) throws(PromQLSyntaxError) {
            let name = current.text
            let lowered = name.lowercased()
            if Self.isLabelListKeyword(lowered) {
                index += 1
                if isSymbol(token(), "(") {
                    try skipLabelList()
                } else if lowered != "group_left" && lowered != "group_right" {
                    throw PromQLSyntaxError(offset: current.offset, reason: "\(name) needs a label list")
                }
                return
            }
            if MetricReferences.keywords.contains(lowered) || lowered == "inf" || lowered == "nan" {
                index += 1
                return
            }
            if MetricReferences.aggregations.contains(name) {
                // `sum by (x) (...)` or `sum (...) by (x)`: the modifier is handled as a keyword.
                guard isSymbol(token(1), "(") || Self.isLabelListKeyword(token(1)?.text.lowercased() ?? "") else {
                    throw PromQLSyntaxError(offset: current.offset, reason: "aggregation \(name) without arguments")
                }
                index += 1
                return
            }
            if isSymbol(token(1), "(") {
                guard MetricReferences.functions.contains(name) else {
                    throw PromQLSyntaxError(offset: current.offset, reason: "unknown function \(name)")
                }
                index += 1
                return
            }
            record(name)
            index += 1
        }

        static func isLabelListKeyword(_ text: String) -> Bool {
            MetricReferences.labelListKeywords.contains(text)
        }

        mutating func record(_ name: String) {
            if name.contains(":") {
                references.recordingRuleNames.insert(name)
            } else {
                references.metricNames.insert(name)
            }
        }

        /// `(label, label, ...)` after by / without / on / ignoring / group_left / group_right.
        mutating func skipLabelList() throws(PromQLSyntaxError) {
            let open = tokens[index]
            index += 1
            var expectName = true
            while let current = token() {
                index += 1
                if isSymbol(current, ")") { return }
                if expectName {
                    guard current.kind == .identifier else {
                        throw PromQLSyntaxError(offset: current.offset, reason: "expected a label name, found \(current)")
                    }
                } else {
                    guard isSymbol(current, ",") else {
                        throw PromQLSyntaxError(offset: current.offset, reason: "expected , or ), found \(current)")
                    }
                }
                expectName.toggle()
            }
            throw PromQLSyntaxError(offset: open.offset, reason: "unterminated label list")
        }

        /// `{label op "value", ...}`; `__name__="x"` selects the metric `x`.
        mutating func skipMatchers() throws(PromQLSyntaxError) {
            let open = tokens[index]
            index += 1
            while let current = token() {
                if isSymbol(current, "}") {
                    index += 1
                    return
                }
                guard current.kind == .identifier,
                    let op = token(1), op.kind == .symbol, ["=", "!=", "=~", "!~"].contains(op.text),
                    let value = token(2), value.kind == .string
                else {
                    throw PromQLSyntaxError(offset: current.offset, reason: "malformed label matcher at \(current)")
                }
                if current.text == "__name__" && op.text == "=" { record(value.text) }
                index += 3
                if isSymbol(token(), ",") { index += 1 }
            }
            throw PromQLSyntaxError(offset: open.offset, reason: "unterminated label matchers")
        }

        mutating func skip(to close: String, from open: PromQLToken) throws(PromQLSyntaxError) {
            index += 1
            while let current = token() {
                index += 1
                if isSymbol(current, close) { return }
            }
            throw PromQLSyntaxError(offset: open.offset, reason: "unterminated \(open.text)")
        }

        /// Grafana's Prometheus variable queries: `label_values(selector, label)`,
        /// `label_values(label)`, `label_names(selector)`, `metrics(regex)`,
        /// `query_result(expr)`.
        mutating func walkTemplateFunction(_ function: PromQLToken) throws(PromQLSyntaxError) {
            guard let close = tokens.lastIndex(where: { isSymbol($0, ")") }), close == tokens.count - 1 else {
                throw PromQLSyntaxError(offset: function.offset, reason: "\(function.text)(...) must close the query")
            }
            var inner = Array(tokens[(index + 2)..<close])
            switch function.text {
            case "label_values":
                guard let label = inner.last, label.kind == .identifier else {
                    throw PromQLSyntaxError(offset: function.offset, reason: "label_values needs a label name")
                }
                inner.removeLast()
                if let comma = inner.last {
                    guard isSymbol(comma, ",") else {
                        throw PromQLSyntaxError(offset: comma.offset, reason: "expected , before the label name")
                    }
                    inner.removeLast()
                }
            case "label_names", "query_result":
                break
            case "metrics":
                return
            default:
                throw PromQLSyntaxError(offset: function.offset, reason: "unknown Grafana template function \(function.text)")
            }
            var nested = Walker(tokens: inner, grafanaTemplate: false)
            try nested.walk()
            references.formUnion(nested.references)
            index = tokens.count
        }
    }
}
