/// A `# HELP`, `# TYPE` or `# UNIT` line.
struct MetadataLine {
    enum Content {
        case help(String)
        case type(ParsedMetricType)
        case unit(String)

        var keyword: String {
            switch self {
            case .help: return "HELP"
            case .type: return "TYPE"
            case .unit: return "UNIT"
            }
        }
    }

    let familyName: String
    let content: Content
}
