/// The bucket sets of the LLM and agent histograms. Each is a superset of its anchor's (OpenTelemetry,
/// vLLM) so their `le` thresholds work on our data, plus SLO points the anchors lack.
public enum CatalogBuckets {
    /// LLM request durations (17 buckets, seconds): the OpenTelemetry duration buckets plus 163.84, 327.68 and 655.36.
    public static let llmDuration: [Double] = [
        0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
        163.84, 327.68, 655.36,
    ]
    /// Time to first token (22 buckets, seconds): OpenTelemetry TTFT ∪ vLLM TTFT ≤ 160 s ∪ the
    /// 0.2 s and 2 s SLO points.
    public static let timeToFirstToken: [Double] = [
        0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 2, 2.5, 5, 7.5, 10, 20, 40, 80,
        160,
    ]
    /// Time per output token (16 buckets, seconds): OpenTelemetry TPOT plus sub-10 ms buckets for fast models.
    public static let timePerOutputToken: [Double] = [
        0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5,
    ]
    /// Tokens per request (12 buckets): powers of four from 1 to 4,194,304.
    public static let tokens: [Double] = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304]
    /// Agent run durations (15 buckets, seconds): OpenTelemetry invoke_agent 0.1 … 409.6 plus 819.2 and 1638.4.
    public static let agentDuration: [Double] = [
        0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8, 25.6, 51.2, 102.4, 204.8, 409.6, 819.2, 1638.4,
    ]
    /// Tool call durations (16 buckets, seconds): the OpenTelemetry duration buckets plus 163.84 and 327.68.
    public static let toolDuration: [Double] = [
        0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92, 163.84, 327.68,
    ]
    /// Model or tool calls per agent run (8 buckets): 1, 2, 4, … 128.
    public static let callsPerExecution: [Double] = [1, 2, 4, 8, 16, 32, 64, 128]
    /// Cost of one agent run (15 buckets, US dollars).
    public static let cost: [Double] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    ]
}
