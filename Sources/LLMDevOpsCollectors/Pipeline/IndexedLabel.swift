/// A closed label enum whose cases have stable positions, used to build integer series-cache
/// keys without allocating (`allCases` builds a new array on every access).
protocol IndexedLabel: CaseIterable, Hashable where AllCases == [Self] {
    /// The position of every case in `allCases`, computed once per type.
    static var ordinals: [Self: Int] { get }
}

extension IndexedLabel {
    /// The position of this case in `allCases`.
    var ordinal: Int { Self.ordinals[self] ?? 0 }

    /// The number of cases.
    static var caseCount: Int { ordinals.count }

    static func makeOrdinals() -> [Self: Int] {
        Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })
    }
}

extension LLMRequestStatus: IndexedLabel { static let ordinals = makeOrdinals() }
extension LLMFinishReason: IndexedLabel { static let ordinals = makeOrdinals() }
extension LLMErrorType: IndexedLabel { static let ordinals = makeOrdinals() }
extension LLMRetryReason: IndexedLabel { static let ordinals = makeOrdinals() }
extension LLMFallbackOutcome: IndexedLabel { static let ordinals = makeOrdinals() }
extension LLMRateLimitKind: IndexedLabel { static let ordinals = makeOrdinals() }
extension AgentExecutionStatus: IndexedLabel { static let ordinals = makeOrdinals() }
extension AgentStepType: IndexedLabel { static let ordinals = makeOrdinals() }
extension AgentToolErrorType: IndexedLabel { static let ordinals = makeOrdinals() }
extension AgentLimit: IndexedLabel { static let ordinals = makeOrdinals() }
extension AgentRetryKind: IndexedLabel { static let ordinals = makeOrdinals() }
