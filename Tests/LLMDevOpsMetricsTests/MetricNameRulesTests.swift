import LLMDevOpsTestSupport
import Testing
@testable import LLMDevOpsMetrics

@Suite("MetricNameRules", .ownThread)
struct MetricNameRulesTests {
    @Test("metric name validity", arguments: [
        ("http_requests_total", true), ("a", true), ("_", true), (":", true), ("job:rate5m", true),
        ("A9_:", true), ("", false), ("1abc", false), ("a-b", false), ("a.b", false), ("a b", false),
        ("héllo", false), ("a\n", false), ("__name", true),
    ] as [(String, Bool)])
    func metricNames(_ name: String, _ valid: Bool) {
        #expect(MetricNameRules.isValidMetricName(name) == valid)
    }

    @Test("label name validity", arguments: [
        ("model", true), ("_", true), ("a1", true), ("__reserved", true), ("Z_9", true),
        ("", false), ("1a", false), ("a:b", false), (":", false), ("a-b", false), ("é", false),
    ] as [(String, Bool)])
    func labelNames(_ name: String, _ valid: Bool) {
        #expect(MetricNameRules.isValidLabelName(name) == valid)
    }

    @Test("sanitizeMetricName", arguments: [
        ("model.name", "model_name"), ("1st", "_1st"), ("héllo wörld", "h_llo_w_rld"), ("", "_"),
        ("a:b", "a_b"), ("ok_name", "ok_name"), ("9", "_9"), ("🙂", "_"), ("e\u{301}", "e_"),
        ("__x", "__x"), ("a-b/c", "a_b_c"),
    ] as [(String, String)])
    func sanitizeMetric(_ input: String, _ expected: String) {
        #expect(MetricNameRules.sanitizeMetricName(input) == expected)
    }

    @Test("sanitizeLabelName", arguments: [
        ("model.name", "model_name"), ("1st", "_1st"), ("__secret", "_secret"),
        ("héllo wörld", "h_llo_w_rld"), ("", "_"), ("a:b", "a_b"), ("___x", "_x"), ("__", "_"),
        ("é_x", "_x"), ("_ok", "_ok"), ("ok", "ok"), ("model name", "model_name"),
    ] as [(String, String)])
    func sanitizeLabel(_ input: String, _ expected: String) {
        #expect(MetricNameRules.sanitizeLabelName(input) == expected)
    }

    @Test("sanitised names are always valid; valid names are unchanged")
    func sanitiseProperties() {
        var rng = SplitMix64(seed: 2024)
        let pool: [Unicode.Scalar] = Array("aZ_:09.- \n\"\\é🙂".unicodeScalars)
            + [Unicode.Scalar(0)!, Unicode.Scalar(0x7F)!, Unicode.Scalar(0x10FFFF)!]
        for _ in 0..<20_000 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 12) { s.append(pool[Int(rng.next() % UInt64(pool.count))]) }
            let input = String(s)

            let metric = MetricNameRules.sanitizeMetricName(input)
            let label = MetricNameRules.sanitizeLabelName(input)
            #expect(MetricNameRules.isValidMetricName(metric), "metric from \(input.debugDescription)")
            #expect(!metric.contains(":"))
            #expect(MetricNameRules.isValidLabelName(label), "label from \(input.debugDescription)")
            #expect(!label.hasPrefix("__"))
            // One `_` per scalar at most (plus one for a leading digit or empty input).
            #expect(metric.unicodeScalars.count <= max(input.unicodeScalars.count + 1, 1))

            if MetricNameRules.isValidMetricName(input), !input.contains(":") {
                #expect(metric == input)
            }
            if MetricNameRules.isValidLabelName(input), !input.hasPrefix("__") {
                #expect(label == input)
            }
            #expect(MetricNameRules.sanitizeMetricName(metric) == metric)
            #expect(MetricNameRules.sanitizeLabelName(label) == label)
        }
    }

    private func escapedLabel(_ s: String) -> String {
        var out: [UInt8] = []
        MetricNameRules.appendEscapedLabelValue(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func escapedHelp(_ s: String, openMetrics: Bool) -> String {
        var out: [UInt8] = []
        MetricNameRules.appendEscapedHelp(s, openMetrics: openMetrics, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("label values escape backslash, quote and newline", arguments: [
        ("plain", "plain"), ("", ""), (#"a\b"#, #"a\\b"#), (#"say "hi""#, #"say \"hi\""#),
        ("line1\nline2", #"line1\nline2"#), ("tab\tok", "tab\tok"), ("cr\rok", "cr\rok"),
        ("héllo 🙂", "héllo 🙂"), ("\\\"\n", #"\\\"\n"#), ("é\"", #"é\""#),
    ] as [(String, String)])
    func labelValues(_ input: String, _ expected: String) {
        #expect(escapedLabel(input) == expected)
    }

    @Test("escaping appends after existing bytes")
    func labelValueAppends() {
        var out = Array("x=\"".utf8)
        MetricNameRules.appendEscapedLabelValue("a\"b", to: &out)
        MetricNameRules.appendEscapedLabelValue("c", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == #"x="a\"bc"#)
    }

    @Test("HELP escaping differs between formats", arguments: [
        ("plain help", "plain help", "plain help"),
        (#"a\b"#, #"a\\b"#, #"a\\b"#),
        ("two\nlines", #"two\nlines"#, #"two\nlines"#),
        (#"say "hi""#, #"say "hi""#, #"say \"hi\""#),
        ("\\\"\n", #"\\"\n"#, #"\\\"\n"#),
        ("ünïcødé", "ünïcødé", "ünïcødé"),
    ] as [(String, String, String)])
    func help(_ input: String, _ text: String, _ openMetrics: String) {
        #expect(escapedHelp(input, openMetrics: false) == text)
        #expect(escapedHelp(input, openMetrics: true) == openMetrics)
    }
}
