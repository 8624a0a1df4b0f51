import LLMDevOpsMetrics

/// A seeded generator for reproducible test traffic.
typealias TestRandom = SplitMix64
