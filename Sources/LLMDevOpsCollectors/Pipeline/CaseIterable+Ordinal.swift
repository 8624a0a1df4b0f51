extension CaseIterable where Self: Equatable, AllCases == [Self] {
    /// The position of this case in `allCases`, used to build integer series-cache keys.
    var ordinal: Int {
        Self.allCases.firstIndex(of: self) ?? 0
    }

    /// The number of cases.
    static var caseCount: Int { allCases.count }
}
