import LLMDevOpsMetricsTesting
import Testing

/// An exposition that must be rejected, and the line the error must point at.
struct RejectedExposition: Sendable, CustomTestStringConvertible {
    let name: String
    let body: String
    let line: Int

    init(_ name: String, _ body: String, line: Int) {
        self.name = name
        self.body = body
        self.line = line
    }

    var testDescription: String { name }
}

private func parseText(_ body: String) throws(ExpositionParseError) -> ParsedExposition {
    try ExpositionParser.parse(body, syntax: .prometheusText)
}

private func parseOpenMetrics(_ body: String) throws(ExpositionParseError) -> ParsedExposition {
    try ExpositionParser.parse(body, syntax: .openMetrics)
}

/// Expects `body` to be rejected in `syntax` with an error on `line`.
private func expectRejected(_ body: String, syntax: ExpositionSyntax, line: Int, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let parsed = try ExpositionParser.parse(body, syntax: syntax)
        Issue.record("expected a parse error, got \(parsed)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
        #expect(!error.reason.isEmpty, sourceLocation: sourceLocation)
    }
}

// MARK: - Prometheus text format 0.0.4

@Suite("Prometheus text format 0.0.4")
struct PrometheusTextParsingTests {
    @Test("Families, HELP unescaping, counters keep _total")
    func familiesAndMetadata() throws {
        let body = """
            # HELP http_requests_total Requests \\\\ served\\nsince start.
            # TYPE http_requests_total counter
            http_requests_total{code="200",method="get"} 1027
            http_requests_total{code="400",method="post"} 3
            # A free comment
            # EOF is just a comment here

            # TYPE temperature gauge
            temperature -3.5

            """
        let exposition = try parseText(body)
        #expect(exposition.families.map(\.name) == ["http_requests_total", "temperature"])
        let counter = try #require(exposition.family(named: "http_requests_total"))
        #expect(counter.type == "counter")
        #expect(counter.help == "Requests \\ served\nsince start.")
        #expect(counter.unit == nil)
        #expect(counter.samples.count == 2)
        let sample = try #require(exposition.sample(named: "http_requests_total", labels: ["method": "post", "code": "400"]))
        #expect(sample.value == 3)
        #expect(sample.timestamp == nil)
        #expect(exposition.sample(named: "temperature", labels: [:])?.value == -3.5)
        #expect(exposition.samples.map(\.name) == ["http_requests_total", "http_requests_total", "temperature"])
    }

    @Test("Samples without TYPE form an untyped family named after the sample")
    func untypedFamilies() throws {
        let exposition = try parseText("# HELP up Whether it is up.\nup 1\nother_metric{a=\"b\"} 2\n")
        #expect(exposition.families == [
            ParsedFamily(name: "up", type: "untyped", help: "Whether it is up.", samples: [ParsedSample(name: "up", value: 1)]),
            ParsedFamily(name: "other_metric", type: "untyped", samples: [ParsedSample(name: "other_metric", labels: ["a": "b"], value: 2)]),
        ])
    }

    @Test("Integer millisecond timestamps become seconds")
    func timestamps() throws {
        let exposition = try parseText("a 1 1700000000123\nb 2 -1500\n")
        #expect(exposition.sample(named: "a", labels: [:])?.timestamp == 1_700_000_000.123)
        #expect(exposition.sample(named: "b", labels: [:])?.timestamp == -1.5)
    }

    @Test("Special values: +Inf, -Inf, NaN and the variants Go's ParseFloat accepts")
    func specialValues() throws {
        let exposition = try parseText("""
            a{v="1"} +Inf
            a{v="2"} -Inf
            a{v="3"} NaN
            a{v="4"} inf
            a{v="5"} -Infinity
            a{v="6"} nan
            a{v="7"} 0x1p-3
            a{v="8"} 1.5e3

            """)
        let values = exposition.samples.map(\.value)
        #expect(values[0] == .infinity)
        #expect(values[1] == -.infinity)
        #expect(values[2].isNaN)
        #expect(values[3] == .infinity)
        #expect(values[4] == -.infinity)
        #expect(values[5].isNaN)
        #expect(values[6] == 0.125)
        #expect(values[7] == 1500)
    }

    @Test("Label values unescape \\\\, \\\" and \\n")
    func labelEscaping() throws {
        let exposition = try parseText(#"a{path="C:\\dir",quote="say \"hi\"",multi="x\ny"} 1"# + "\n")
        #expect(exposition.samples.first?.labels == ["path": #"C:\dir"#, "quote": #"say "hi""#, "multi": "x\ny"])
    }

    @Test("Blanks between tokens and a trailing comma in labels, as Go's expfmt allows")
    func lenientWhitespace() throws {
        let exposition = try parseText("  a { b = \"c\" , } \t 1 \t 2000 \n#HELP b  text\nb 2\n")
        #expect(exposition.samples == [
            ParsedSample(name: "a", labels: ["b": "c"], value: 1, timestamp: 2),
            ParsedSample(name: "b", value: 2),
        ])
        #expect(exposition.family(named: "b")?.help == "text")
    }

    @Test("Histogram and summary families")
    func histogramAndSummary() throws {
        let body = """
            # TYPE latency_seconds histogram
            latency_seconds_bucket{route="/",le="0.1"} 1
            latency_seconds_bucket{route="/",le="1.0"} 3
            latency_seconds_bucket{route="/",le="+Inf"} 4
            latency_seconds_sum{route="/"} 2.5
            latency_seconds_count{route="/"} 4
            # TYPE rpc_seconds summary
            rpc_seconds{quantile="0.5"} 0.2
            rpc_seconds{quantile="0.99"} NaN
            rpc_seconds_sum 10
            rpc_seconds_count 40

            """
        let exposition = try parseText(body)
        let histogram = try #require(exposition.family(named: "latency_seconds"))
        #expect(histogram.type == "histogram")
        #expect(histogram.samples.map(\.name) == [
            "latency_seconds_bucket", "latency_seconds_bucket", "latency_seconds_bucket",
            "latency_seconds_sum", "latency_seconds_count",
        ])
        #expect(exposition.sample(named: "latency_seconds_bucket", labels: ["le": "+Inf", "route": "/"])?.value == 4)
        let summary = try #require(exposition.family(named: "rpc_seconds"))
        #expect(summary.type == "summary")
        #expect(summary.samples.count == 4)
    }

    static let rejected: [RejectedExposition] = [
        RejectedExposition("invalid escape in label value", "a{b=\"x\\ty\"} 1\n", line: 1),
        RejectedExposition("escaped quote in HELP", "# HELP a say \\\"hi\\\"\n", line: 1),
        RejectedExposition("carriage return", "a 1\r\n", line: 1),
        RejectedExposition("missing final newline", "a 1\nb 2", line: 2),
        RejectedExposition("float timestamp", "a 1 1.5\n", line: 1),
        RejectedExposition("exemplar", "# TYPE a counter\na 1 # {t=\"x\"} 1\n", line: 2),
        RejectedExposition("underscore in number", "a 1_000\n", line: 1),
        RejectedExposition("overflowing number", "a 1e400\n", line: 1),
        RejectedExposition("OpenMetrics-only type", "# TYPE a info\n", line: 1),
        RejectedExposition("upper-case type", "# TYPE a COUNTER\n", line: 1),
        RejectedExposition("negative counter", "# TYPE a_total counter\na_total -1\n", line: 2),
        RejectedExposition("NaN counter", "# TYPE a_total counter\na_total NaN\n", line: 2),
        RejectedExposition("duplicate label name", "a{x=\"1\",x=\"2\"} 1\n", line: 1),
        RejectedExposition("invalid label name", "a{1x=\"1\"} 1\n", line: 1),
        RejectedExposition("invalid metric name", "a-b 1\n", line: 1),
        RejectedExposition("reserved label prefix", "a{__x=\"1\"} 1\n", line: 1),
        RejectedExposition("family reappears", "a 1\nb 1\na{x=\"1\"} 2\n", line: 3),
        RejectedExposition("TYPE after samples", "a 1\n# TYPE a gauge\n", line: 2),
        RejectedExposition("second TYPE", "# TYPE a gauge\n# TYPE a gauge\n", line: 2),
        RejectedExposition("second HELP", "# HELP a x\n# HELP a y\n", line: 2),
        RejectedExposition("missing value", "a\n", line: 1),
        RejectedExposition("trailing garbage", "a 1 2 3\n", line: 1),
        RejectedExposition("bucket without le", "# TYPE h histogram\nh_bucket 1\n", line: 2),
        RejectedExposition("summary quantile without quantile label", "# TYPE s summary\ns 1\n", line: 2),
        RejectedExposition("negative _count", "# TYPE s summary\ns_count -1\n", line: 2),
        RejectedExposition("le on _count", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count{le=\"1\"} 1\n", line: 3),
        RejectedExposition(
            "buckets not cumulative",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"+Inf\"} 2\n",
            line: 3
        ),
        RejectedExposition(
            "le not increasing",
            "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\n",
            line: 3
        ),
        RejectedExposition("no +Inf bucket", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n", line: 3),
        RejectedExposition(
            "_count differs from +Inf bucket",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n",
            line: 4
        ),
        RejectedExposition(
            "family clashes with histogram sample name",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\n# TYPE h_count gauge\nh_count 1\n",
            line: 3
        ),
    ]

    @Test("Invalid text expositions are rejected on the right line", arguments: rejected)
    func rejectsInvalid(_ invalid: RejectedExposition) {
        expectRejected(invalid.body, syntax: .prometheusText, line: invalid.line)
    }

    @Test("The same name and label set twice is an error (unlike the Python parser)")
    func duplicateSeries() {
        expectRejected("a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n", syntax: .prometheusText, line: 2)
        expectRejected("a 1 1000\na 2 2000\n", syntax: .prometheusText, line: 2)
    }

    @Test("A raw carriage return inside a label value is legal in both formats; only a CRLF line end is not")
    func carriageReturnInsideLabelValue() throws {
        let text = try parseText("a{k=\"x\ry\"} 1\n")
        #expect(text.sample(named: "a", labels: ["k": "x\ry"])?.value == 1)
        let openMetrics = try parseOpenMetrics("# TYPE a gauge\na{k=\"x\ry\"} 1\n# EOF\n")
        #expect(openMetrics.sample(named: "a", labels: ["k": "x\ry"])?.value == 1)
        expectRejected("# TYPE a gauge\r\na 1\n# EOF\n", syntax: .openMetrics, line: 1)
    }

    @Test("Invalid UTF-8 is rejected")
    func invalidUTF8() {
        let bytes: [UInt8] = Array("a 1\nb{x=\"".utf8) + [0xC3, 0x28] + Array("\"} 1\n".utf8)
        #expect(throws: ExpositionParseError(line: 2, reason: "invalid UTF-8")) {
            try ExpositionParser.parse(bytes, syntax: .prometheusText)
        }
    }

    @Test("An empty body is an empty exposition")
    func emptyBody() throws {
        #expect(try parseText("") == ParsedExposition())
        #expect(try parseText("\n# just a comment\n").families.isEmpty)
    }
}

// MARK: - OpenMetrics 1.0.0

@Suite("OpenMetrics 1.0.0")
struct OpenMetricsParsingTests {
    @Test("Counter: family name without _total, UNIT, HELP escapes, _created, exemplar")
    func counter() throws {
        let body = """
            # TYPE requests_seconds counter
            # UNIT requests_seconds seconds
            # HELP requests_seconds Time \\"spent\\" \\\\ total\\nin seconds.
            requests_seconds_total{path="/a"} 17.5 # {trace_id="abc"} 0.25 1700000000.123
            requests_seconds_created{path="/a"} 1600000000
            # EOF

            """
        let exposition = try parseOpenMetrics(body)
        let family = try #require(exposition.family(named: "requests_seconds"))
        #expect(family.type == "counter")
        #expect(family.unit == "seconds")
        #expect(family.help == "Time \"spent\" \\ total\nin seconds.")
        #expect(family.samples.map(\.name) == ["requests_seconds_total", "requests_seconds_created"])
        let total = try #require(exposition.sample(named: "requests_seconds_total", labels: ["path": "/a"]))
        #expect(total.value == 17.5)
        #expect(total.timestamp == nil)
        #expect(total.exemplar == ParsedExemplar(labels: ["trace_id": "abc"], value: 0.25, timestamp: 1_700_000_000.123))
        #expect(exposition.family(named: "requests_seconds_total") == nil)
    }

    @Test("Histogram with exemplars on buckets")
    func histogram() throws {
        let body = """
            # TYPE h histogram
            h_bucket{le="0.5"} 1 # {id="1"} 0.3
            h_bucket{le="1.0"} 2
            h_bucket{le="+Inf"} 3 # {id="2"} 7 123
            h_count 3
            h_sum 8.3
            # EOF

            """
        let family = try #require(try parseOpenMetrics(body).family(named: "h"))
        #expect(family.type == "histogram")
        #expect(family.samples.count == 5)
        #expect(family.samples[0].exemplar == ParsedExemplar(labels: ["id": "1"], value: 0.3))
        #expect(family.samples[2].exemplar?.timestamp == 123)
        #expect(family.samples[4].value == 8.3)
    }

    @Test("Gauge values +Inf, -Inf, NaN; stateset, info, unknown and gauge histogram")
    func otherTypes() throws {
        let body = """
            # TYPE g gauge
            g{k="a"} +Inf
            g{k="b"} -Inf
            g{k="c"} NaN
            # TYPE s stateset
            s{s="on"} 1
            s{s="off"} 0
            # TYPE build info
            build_info{version="1.2"} 1
            # TYPE gh gaugehistogram
            gh_bucket{le="1"} 1
            gh_bucket{le="+Inf"} 2
            gh_gcount 2
            gh_gsum 1.5
            mystery 42
            # EOF

            """
        let exposition = try parseOpenMetrics(body)
        #expect(exposition.families.map(\.type) == ["gauge", "stateset", "info", "gaugehistogram", "unknown"])
        #expect(exposition.sample(named: "g", labels: ["k": "a"])?.value == .infinity)
        #expect(exposition.sample(named: "g", labels: ["k": "b"])?.value == -.infinity)
        #expect(exposition.sample(named: "g", labels: ["k": "c"])?.value.isNaN == true)
        #expect(exposition.sample(named: "build_info", labels: ["version": "1.2"])?.value == 1)
        #expect(exposition.family(named: "mystery")?.samples == [ParsedSample(name: "mystery", value: 42)])
    }

    @Test("Escapes in label values; unknown escapes are kept literally, as the conformance suite requires")
    func labelEscaping() throws {
        let exposition = try parseOpenMetrics(#"a{x="q\"b\\n\n",y="\z"} 1"# + "\n# EOF\n")
        #expect(exposition.samples.first?.labels == ["x": "q\"b\\n\n", "y": #"\z"#])
    }

    @Test("# EOF without a final newline is accepted (conformance case no_newline_after_eof)")
    func eofWithoutNewline() throws {
        #expect(try parseOpenMetrics("a 1\n# EOF").samples.count == 1)
    }

    @Test("Repeated series need timestamps that do not go backwards")
    func repeatedSeriesWithTimestamps() throws {
        let exposition = try parseOpenMetrics("a 1 10\na 2 10\na 3 11.5\n# EOF\n")
        #expect(exposition.samples.map(\.timestamp) == [10, 10, 11.5])
        expectRejected("a 1\na 2\n# EOF\n", syntax: .openMetrics, line: 2)
        expectRejected("a 1 11\na 2 10\n# EOF\n", syntax: .openMetrics, line: 2)
    }

    @Test("Exemplar labels may hold 128 code points, not 129")
    func exemplarLength() throws {
        let value127 = String(repeating: "é", count: 127)
        let accepted = "# TYPE c counter\nc_total 1 # {a=\"\(value127)\"} 1\n# EOF\n"
        #expect(try parseOpenMetrics(accepted).samples.first?.exemplar?.labels["a"] == value127)
        expectRejected("# TYPE c counter\nc_total 1 # {a=\"\(value127)é\"} 1\n# EOF\n", syntax: .openMetrics, line: 2)
    }

    static let rejected: [RejectedExposition] = [
        RejectedExposition("missing # EOF", "a 1\n", line: 1),
        RejectedExposition("empty body", "", line: 1),
        RejectedExposition("content after # EOF", "a 1\n# EOF\nb 1\n", line: 3),
        RejectedExposition("blank line", "a 1\n\n# EOF\n", line: 2),
        RejectedExposition("free comment", "# hello\n# EOF\n", line: 1),
        RejectedExposition("lower-case inf", "a inf\n# EOF\n", line: 1),
        RejectedExposition("Go-style Infinity", "a +Infinity\n# EOF\n", line: 1),
        RejectedExposition("hex float", "a 0x1p-3\n# EOF\n", line: 1),
        RejectedExposition("double space", "a  1\n# EOF\n", line: 1),
        RejectedExposition("untyped type", "# TYPE a untyped\n# EOF\n", line: 1),
        RejectedExposition("counter sample without _total", "# TYPE c counter\nc 1\n# EOF\n", line: 2),
        RejectedExposition("exemplar on gauge", "# TYPE g gauge\ng 1 # {a=\"b\"} 1\n# EOF\n", line: 2),
        RejectedExposition("exemplar on _count", "# TYPE h histogram\nh_count 1 # {a=\"b\"} 1\n# EOF\n", line: 2),
        RejectedExposition("non-integer bucket", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1.5\n# EOF\n", line: 2),
        RejectedExposition("le spelled +INF", "# TYPE h histogram\nh_bucket{le=\"+INF\"} 1\n# EOF\n", line: 2),
        RejectedExposition(
            "_sum without _count",
            "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\n# EOF\n",
            line: 3
        ),
        RejectedExposition("UNIT is not a suffix", "# TYPE a_bytes gauge\n# UNIT a_bytes seconds\n# EOF\n", line: 2),
        RejectedExposition("UNIT on info", "# TYPE i info\n# UNIT i i\n# EOF\n", line: 2),
        RejectedExposition("second UNIT", "# UNIT a_s s\n# UNIT a_s s\n# EOF\n", line: 2),
        RejectedExposition("info value 2", "# TYPE i info\ni_info 2\n# EOF\n", line: 2),
        RejectedExposition("stateset value 2", "# TYPE s stateset\ns{s=\"a\"} 2\n# EOF\n", line: 2),
        RejectedExposition("quantile above 1", "# TYPE s summary\ns{quantile=\"1.5\"} 1\n# EOF\n", line: 2),
        RejectedExposition("NaN timestamp", "a 1 NaN\n# EOF\n", line: 1),
        RejectedExposition(
            "gauge clashing with counter _created",
            "# TYPE a counter\na_total 1\n# TYPE a_created gauge\na_created 1\n# EOF\n",
            line: 3
        ),
        RejectedExposition(
            "gauge clashing with histogram _count",
            "# TYPE h_count gauge\nh_count 1\n# TYPE h histogram\n# EOF\n",
            line: 3
        ),
        RejectedExposition(
            "interleaved series groups",
            "# TYPE h histogram\nh_bucket{x=\"1\",le=\"+Inf\"} 1\nh_bucket{x=\"2\",le=\"+Inf\"} 1\nh_count{x=\"1\"} 1\n# EOF\n",
            line: 4
        ),
    ]

    @Test("Invalid OpenMetrics expositions are rejected on the right line", arguments: rejected)
    func rejectsInvalid(_ invalid: RejectedExposition) {
        expectRejected(invalid.body, syntax: .openMetrics, line: invalid.line)
    }

    @Test("Text-format-only spellings are OpenMetrics errors but text-format values")
    func formatSpecificSpellings() throws {
        #expect(try parseText("a inf\n").samples.first?.value == .infinity)
        expectRejected("a inf\n# EOF\n", syntax: .openMetrics, line: 1)
        #expect(try parseOpenMetrics("a 1 1.5\n# EOF\n").samples.first?.timestamp == 1.5)
        expectRejected("a 1 1.5\n", syntax: .prometheusText, line: 1)
    }
}

// MARK: - Public API

@Suite("Parsed value types")
struct ParsedValueTests {
    @Test("NaN values compare equal")
    func nanEquality() {
        #expect(ParsedSample(name: "a", value: .nan) == ParsedSample(name: "a", value: .nan))
        #expect(ParsedSample(name: "a", value: .nan) != ParsedSample(name: "a", value: 1))
        #expect(ParsedExemplar(value: .nan) == ParsedExemplar(value: .nan))
        #expect(ParsedSample(name: "a", value: 1, timestamp: 2) != ParsedSample(name: "a", value: 1))
    }

    @Test("sample(named:labels:) matches the exact label set in any order")
    func sampleLookup() throws {
        let exposition = try parseText("a{x=\"1\",y=\"2\"} 1\na{x=\"1\"} 2\n")
        #expect(exposition.sample(named: "a", labels: ["y": "2", "x": "1"])?.value == 1)
        #expect(exposition.sample(named: "a", labels: ["x": "1"])?.value == 2)
        #expect(exposition.sample(named: "a", labels: [:]) == nil)
        #expect(exposition.sample(named: "b", labels: ["x": "1"]) == nil)
    }

    @Test("String and byte input parse identically")
    func stringAndBytes() throws {
        let body = "# TYPE c counter\nc_total{a=\"ü\"} 1\n# EOF\n"
        #expect(try parseOpenMetrics(body) == (try ExpositionParser.parse(Array(body.utf8), syntax: .openMetrics)))
    }

    @Test("Errors describe themselves with their line")
    func errorDescription() {
        #expect(ExpositionParseError(line: 3, reason: "bad").description == "line 3: bad")
        #expect(throws: ExpositionParseError(line: 1, reason: "missing the final # EOF line")) {
            try parseOpenMetrics("a 1\n")
        }
    }
}
