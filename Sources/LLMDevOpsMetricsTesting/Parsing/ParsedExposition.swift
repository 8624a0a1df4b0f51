/// A parsed exposition: its metric families in order of appearance.
public struct ParsedExposition: Sendable, Equatable {
    /// The metric families in order of appearance.
    public var families: [ParsedFamily]

    /// Creates an exposition from already parsed families.
    public init(families: [ParsedFamily] = []) {
        self.families = families
    }

    /// The first family whose name is exactly `name` (OpenMetrics counters: without `_total`).
    public func family(named name: String) -> ParsedFamily? {
        families.first { $0.name == name }
    }

    /// All samples of all families, in order.
    public var samples: [ParsedSample] {
        families.flatMap(\.samples)
    }

    /// First sample with exactly this name and exactly this label set (order-insensitive).
    public func sample(named name: String, labels: [String: String]) -> ParsedSample? {
        for family in families {
            if let match = family.samples.first(where: { $0.name == name && $0.labels == labels }) {
                return match
            }
        }
        return nil
    }
}
