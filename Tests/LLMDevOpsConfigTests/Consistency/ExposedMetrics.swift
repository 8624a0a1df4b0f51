import LLMDevOpsMetricsTesting

/// The sample names an exposition makes available to PromQL, by family.
///
/// Built from a parsed exposition (text 0.0.4 or OpenMetrics): every sample name that occurs,
/// plus the names each family's `# TYPE` implies even before it has a series: a histogram `x`
/// offers `x_bucket`, `x_sum`, `x_count`; a summary `x`, `x_sum`, `x_count`; a counter
/// `x_total`. So `x_bucket` resolves only against a histogram, never against a summary or a
/// gauge of the same name.
///
/// ```swift
/// let exposed = try ExposedMetrics(exposition: body, syntax: .prometheusText)   // e.g. a `--demo` run's /metrics
/// let problems = MetricConsistency.check(sources, against: exposed)
/// ```
struct ExposedMetrics: Sendable {
    /// Sample name → the family that offers it.
    private(set) var familyOfSample: [String: String] = [:]
    /// Family name → type (`counter`, `gauge`, `histogram`, ...).
    private(set) var families: [String: String] = [:]

    /// Series Prometheus adds to every target itself; always available.
    static let synthesizedByPrometheus: Set<String> = [
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
        "scrape_series_added",
    ]

    /// `nativeHistograms` are the histogram families that also carry native buckets: a
    /// Prometheus with native histograms on stores them as series named after the family
    /// (`x`, read with `histogram_quantile(q, rate(x[5m]))`, `histogram_count`, ...). A text
    /// exposition cannot tell; the default is the catalog's latency families, native by
    /// default in the collectors.
    init(
        exposition: String, syntax: ExpositionSyntax, nativeHistograms: Set<String> = CatalogMetrics.nativeHistograms
    ) throws {
        try self.init(ExpositionParser.parse(exposition, syntax: syntax), nativeHistograms: nativeHistograms)
    }

    init(_ parsed: ParsedExposition, nativeHistograms: Set<String> = CatalogMetrics.nativeHistograms) {
        for family in parsed.families {
            var samples = family.samples.map(\.name)
            if family.type == "histogram", nativeHistograms.contains(family.name) { samples.append(family.name) }
            add(family: family.name, type: family.type, samples: samples)
        }
    }

    mutating func add(family name: String, type: String, samples: [String] = []) {
        families[name] = type
        for sample in samples + Self.impliedSampleNames(family: name, type: type) {
            familyOfSample[sample] = name
        }
    }

    /// A copy without `family` and its samples (for the negative tests).
    func removing(family name: String) -> ExposedMetrics {
        var copy = self
        copy.families[name] = nil
        copy.familyOfSample = copy.familyOfSample.filter { $0.value != name }
        return copy
    }

    /// The family `sampleName` belongs to, or `nil` when nothing exposes it.
    func family(of sampleName: String) -> String? {
        if Self.synthesizedByPrometheus.contains(sampleName) { return sampleName }
        return familyOfSample[sampleName]
    }

    static func impliedSampleNames(family name: String, type: String) -> [String] {
        switch type {
        case "counter":
            // Text format names the family with `_total`; OpenMetrics without.
            name.hasSuffix("_total") ? [name] : [name + "_total", name + "_created"]
        case "histogram":
            [name + "_bucket", name + "_sum", name + "_count", name + "_created"]
        case "gaugehistogram":
            [name + "_bucket", name + "_gsum", name + "_gcount"]
        case "summary":
            [name, name + "_sum", name + "_count", name + "_created"]
        case "info":
            name.hasSuffix("_info") ? [name] : [name + "_info"]
        default:
            [name]
        }
    }
}
