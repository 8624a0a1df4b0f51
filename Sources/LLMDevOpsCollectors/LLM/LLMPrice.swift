/// What a model costs, in US dollars per million tokens, for `llmdevops_llm_cost_usd_total`.
///
/// ```swift
/// let price = LLMPrice(inputPerMillion: 2.50, outputPerMillion: 10, cacheReadPerMillion: 1.25)
/// ```
public struct LLMPrice: Sendable, Hashable {
    /// Price of one million uncached input tokens.
    public var inputPerMillion: Double
    /// Price of one million output tokens (reasoning tokens included).
    public var outputPerMillion: Double
    /// Price of one million input tokens read from the prompt cache; nil charges them as input.
    public var cacheReadPerMillion: Double?
    /// Price of one million input tokens written to the prompt cache; nil charges them as input.
    public var cacheWritePerMillion: Double?

    /// Creates a price entry.
    public init(
        inputPerMillion: Double,
        outputPerMillion: Double,
        cacheReadPerMillion: Double? = nil,
        cacheWritePerMillion: Double? = nil
    ) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.cacheReadPerMillion = cacheReadPerMillion
        self.cacheWritePerMillion = cacheWritePerMillion
    }

    /// The cost of one request in US dollars. `cacheRead` and `cacheWrite` are parts of `input`.
    public func cost(input: Int, output: Int, cacheRead: Int = 0, cacheWrite: Int = 0) -> Double {
        let read = min(max(0, cacheRead), max(0, input))
        let write = min(max(0, cacheWrite), max(0, input) - read)
        let plain = max(0, input) - read - write
        let inputCost = Double(plain) * inputPerMillion
            + Double(read) * (cacheReadPerMillion ?? inputPerMillion)
            + Double(write) * (cacheWritePerMillion ?? inputPerMillion)
        return (inputCost + Double(max(0, output)) * outputPerMillion) / 1_000_000
    }
}
