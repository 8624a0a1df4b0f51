/// Collects the metadata and samples of the family being parsed.
struct FamilyBuilder {
    let name: String
    let syntax: ExpositionSyntax
    /// The line the family started on.
    let firstLine: Int

    private var declaredType: ParsedMetricType?
    private var help: String?
    private var unit: String?
    private var records: [SampleRecord] = []
    private var order: SeriesOrderTracker

    init(name: String, syntax: ExpositionSyntax, firstLine: Int) {
        self.name = name
        self.syntax = syntax
        self.firstLine = firstLine
        self.order = SeriesOrderTracker(syntax: syntax)
    }

    /// The declared type, or `unknown` / `untyped` without a `# TYPE` line.
    var type: ParsedMetricType {
        declaredType ?? .untypedDefault(for: syntax)
    }

    /// The family name and every sample name its type can produce.
    var reservedNames: [String] {
        type.reservedSuffixes(in: syntax).map { name + $0 }
    }

    /// Whether a sample with this name belongs to this family.
    func accepts(sampleNamed sampleName: String) -> Bool {
        guard sampleName.hasPrefix(name) else { return false }
        return type.sampleSuffixes(in: syntax).contains(String(sampleName.dropFirst(name.count)))
    }

    /// Applies a `# HELP`, `# TYPE` or `# UNIT` line: once each, before any sample.
    mutating func apply(_ metadata: MetadataLine, line: Int) throws(ExpositionParseError) {
        let keyword = metadata.content.keyword
        guard records.isEmpty else {
            throw ExpositionParseError(line: line, reason: "# \(keyword) for '\(name)' comes after its samples")
        }
        let duplicate = ExpositionParseError(line: line, reason: "second # \(keyword) line for '\(name)'")
        switch metadata.content {
        case .help(let text):
            guard help == nil else { throw duplicate }
            help = text
        case .type(let newType):
            guard declaredType == nil else { throw duplicate }
            declaredType = newType
        case .unit(let newUnit):
            guard unit == nil else { throw duplicate }
            guard newUnit.isEmpty || name.hasSuffix("_" + newUnit) else {
                throw ExpositionParseError(line: line, reason: "family name '\(name)' does not end with the unit suffix '_\(newUnit)'")
            }
            unit = newUnit
        }
        if let unit, !unit.isEmpty, !type.allowsUnit {
            throw ExpositionParseError(line: line, reason: "a \(type.rawValue) family must not have a # UNIT")
        }
    }

    /// Adds a sample whose name `accepts(sampleNamed:)` approved.
    mutating func append(_ sample: ParsedSample, line: Int) throws(ExpositionParseError) {
        let record = try SampleRules(familyName: name, type: type, syntax: syntax).check(sample, line: line)
        try order.record(record)
        records.append(record)
    }

    /// Runs the family-wide checks and returns the parsed family.
    func finish() throws(ExpositionParseError) -> ParsedFamily {
        if type.hasBuckets {
            try HistogramValidator(familyName: name, type: type, syntax: syntax).validate(records)
        }
        return ParsedFamily(name: name, type: type.rawValue, help: help, unit: unit, samples: records.map(\.sample))
    }
}
