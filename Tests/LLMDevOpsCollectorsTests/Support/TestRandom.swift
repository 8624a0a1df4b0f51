import LLMDevOpsTestSupport

/// A seeded generator for reproducible test traffic.
typealias TestRandom = SplitMix64
