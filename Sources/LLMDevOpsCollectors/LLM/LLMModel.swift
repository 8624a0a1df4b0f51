/// One entry of the model allow-list: the canonical model id used as the `model` label, where
/// it comes from (exported once in `llmdevops_llm_model_info`), and its price.
///
/// ```swift
/// LLMModel("gpt-4o", provider: "openai", family: "gpt-4o", price: LLMPrice(inputPerMillion: 2.5, outputPerMillion: 10))
/// ```
public struct LLMModel: Sendable, Hashable {
    /// The canonical model id (registry alias such as `gpt-4o`), not the dated response model.
    public var name: String
    /// The provider, such as `openai`.
    public var provider: String
    /// The model family, such as `gpt-4o`; defaults to the name.
    public var family: String
    /// The price table entry; nil means no cost is recorded for this model.
    public var price: LLMPrice?

    /// Creates an allow-list entry.
    public init(_ name: String, provider: String, family: String? = nil, price: LLMPrice? = nil) {
        self.name = name
        self.provider = provider
        self.family = family ?? name
        self.price = price
    }
}
