import LLMDevOpsTestSupport
import Testing
import LLMDevOpsMetrics

@Suite("ExpositionFormat", .ownThread)
struct ExpositionFormatTests {
    @Test("content types are exact")
    func contentTypes() {
        #expect(ExpositionFormat.prometheusText.contentType == "text/plain; version=0.0.4; charset=utf-8")
        #expect(ExpositionFormat.openMetrics.contentType
            == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(ExpositionFormat.protobuf.contentType
            == "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited")
        #expect(ExpositionFormat.allCases == [.prometheusText, .openMetrics, .protobuf])
        #expect(ExpositionFormat.allCases.filter(\.isText) == [.prometheusText, .openMetrics])
    }

    /// What Debian's Prometheus 2.42 sends with `--enable-feature=native-histograms`, captured
    /// from the running binary with a loopback listener (README, "Protobuf and native histograms").
    static let prometheus242NativeHistograms =
        "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,"
        + "application/openmetrics-text;version=1.0.0;q=0.8,application/openmetrics-text;version=0.0.1;q=0.75,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    static let prometheus242 = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"
    static let prometheus3 = "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"

    @Test("negotiates the Accept header", arguments: [
        // Required vectors.
        (prometheus242, .openMetrics),
        (prometheus3, .openMetrics),
        ("*/*", .prometheusText),
        (nil, .prometheusText),
        ("text/plain", .prometheusText),
        ("garbage;;;q=x", .prometheusText),
        ("application/openmetrics-text;version=1.0.0;q=0.2,text/plain;version=0.0.4;q=0.9", .prometheusText),
        ("application/openmetrics-text;q=0,*/*", .prometheusText),
        ("application/json", .prometheusText),
        ("text/plain;version=1.0.0", .prometheusText),
        ("APPLICATION/OPENMETRICS-TEXT; Version=1.0.0", .openMetrics),
        // More.
        ("", .prometheusText),
        ("   ", .prometheusText),
        (",,,", .prometheusText),
        ("application/openmetrics-text", .openMetrics),
        ("application/openmetrics-text;version=0.0.1", .openMetrics),
        ("application/openmetrics-text;version=2.0.0", .prometheusText),
        ("application/openmetrics-text;version=2.0.0,application/openmetrics-text;version=1.0.0;q=0.1", .openMetrics),
        ("application/openmetrics-text;version=\"1.0.0\"", .openMetrics),
        ("  application/openmetrics-text ; version = 1.0.0 ; q = 0.5 , text/plain ; q=0.4", .openMetrics),
        ("\tapplication/openmetrics-text;\tq=1.000", .openMetrics),
        // Ties go to the earlier entry.
        ("text/plain;q=0.5,application/openmetrics-text;q=0.5", .prometheusText),
        ("application/openmetrics-text;q=0.5,text/plain;q=0.5", .openMetrics),
        ("text/*,application/openmetrics-text", .prometheusText),
        // Higher q wins regardless of position.
        ("text/plain;q=0.001,application/openmetrics-text;q=0.002", .openMetrics),
        ("*/*;q=0.9,application/openmetrics-text;q=0.8", .prometheusText),
        // Malformed q ignores only that entry.
        ("application/openmetrics-text;q=1.5", .prometheusText),
        ("application/openmetrics-text;q=0.1234", .prometheusText),
        ("application/openmetrics-text;q=-0.5", .prometheusText),
        ("application/openmetrics-text;q=.5", .prometheusText),
        ("application/openmetrics-text;q=", .prometheusText),
        ("application/openmetrics-text;q=abc,text/plain;q=0.1", .prometheusText),
        ("text/plain;q=oops,application/openmetrics-text;q=0.1", .openMetrics),
        ("application/openmetrics-text;q=1.", .openMetrics),
        ("application/openmetrics-text;q=0.", .prometheusText),
        // q=0 means not acceptable.
        ("application/openmetrics-text;q=0.000", .prometheusText),
        ("text/plain;q=0,application/openmetrics-text;q=0.01", .openMetrics),
        // Other parameters are ignored; case-insensitive everything.
        ("application/openmetrics-text;charset=utf-8;escaping=underscores", .openMetrics),
        ("Application/OpenMetrics-Text;VERSION=1.0.0;Q=0.9", .openMetrics),
        ("TEXT/PLAIN;VERSION=0.0.4", .prometheusText),
        ("application/*", .prometheusText),
        ("application/openmetrics-text;version=1.0.0;foo=\"a,b;c\";q=0.9,text/plain;q=0.5", .openMetrics),
        ("application/openmetrics-textx", .prometheusText),
        ("openmetrics", .prometheusText),
        // Protobuf: the proto parameter (case-sensitive) and encoding=delimited are required.
        (prometheus242NativeHistograms, .protobuf),
        ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited", .protobuf),
        ("APPLICATION/VND.GOOGLE.PROTOBUF; PROTO=io.prometheus.client.MetricFamily; Encoding=DELIMITED", .protobuf),
        ("application/vnd.google.protobuf;proto=\"io.prometheus.client.MetricFamily\";encoding=delimited", .protobuf),
        ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily", .prometheusText),
        ("application/vnd.google.protobuf;encoding=delimited", .prometheusText),
        ("application/vnd.google.protobuf;proto=io.prometheus.client.metricfamily;encoding=delimited", .prometheusText),
        ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text", .prometheusText),
        ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=compact-text", .prometheusText),
        ("application/vnd.google.protobuf", .prometheusText),
        ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.5,"
            + "application/openmetrics-text;q=0.6", .openMetrics),
        ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited;q=0,*/*", .prometheusText),
    ] as [(String?, ExpositionFormat)])
    func negotiate(_ accept: String?, _ expected: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept) == expected)
    }

    @Test("offers only the formats asked for; text 0.0.4 always", arguments: [
        (prometheus242NativeHistograms, [.openMetrics], .openMetrics),
        (prometheus242NativeHistograms, [], .prometheusText),
        (prometheus242NativeHistograms, [.protobuf, .openMetrics], .protobuf),
        (prometheus242, [.protobuf], .prometheusText),
        ("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
            + "encoding=delimited", [], .prometheusText),
        ("text/plain;version=0.0.4", [], .prometheusText),
    ] as [(String, Set<ExpositionFormat>, ExpositionFormat)])
    func negotiateAmongOffered(_ accept: String, _ offered: Set<ExpositionFormat>, _ expected: ExpositionFormat) {
        #expect(ExpositionFormat.negotiate(accept: accept, offering: offered) == expected)
    }

    @Test("never crashes on random byte soup")
    func fuzz() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("aet/*;,=q0.1\" \t\\xopnmrics-plainvTEXT".unicodeScalars)
        var seen = Set<ExpositionFormat>()
        for _ in 0..<5_000 {
            let length = Int(rng.next() % 40)
            var s = ""
            for _ in 0..<length { s.unicodeScalars.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
            seen.insert(ExpositionFormat.negotiate(accept: s))
        }
        #expect(seen.contains(.prometheusText))
    }
}
