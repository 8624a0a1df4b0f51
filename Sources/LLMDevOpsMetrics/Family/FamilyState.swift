/// The part of a ``MetricFamily`` that lookups and renders read without entering the actor,
/// behind the family's `Lock`. Only actor-isolated code changes it (create, remove, expire),
/// always under the lock, so a miss the actor sees stays a miss until the actor inserts.
struct FamilyState {
    var table = SeriesTable()
    var rejected: [SeriesRejection: UInt64] = [:]
    var redactions: [LabelRedaction: UInt64] = [:]
    /// Series removed by idle expiry since the family was created.
    var idleExpiries: UInt64 = 0
}
