/// Groups parsed lines into families, enforcing that each family appears once, contiguously,
/// and that no family name clashes with a name another family reserves
/// (e.g. gauge `a_created` next to counter `a`).
struct ExpositionAssembler {
    let syntax: ExpositionSyntax
    private var families: [ParsedFamily] = []
    private var current: FamilyBuilder?
    /// Family and sample names already taken, mapped to the family that took them.
    private var reservedNames: [String: String] = [:]

    init(syntax: ExpositionSyntax) {
        self.syntax = syntax
    }

    mutating func add(_ metadata: MetadataLine, line: Int) throws(ExpositionParseError) {
        if current?.name != metadata.familyName {
            try startFamily(named: metadata.familyName, line: line)
        }
        try current?.apply(metadata, line: line)
    }

    mutating func add(_ sample: ParsedSample, line: Int) throws(ExpositionParseError) {
        if current?.accepts(sampleNamed: sample.name) != true {
            try startFamily(named: sample.name, line: line)
        }
        try current?.append(sample, line: line)
    }

    mutating func finish() throws(ExpositionParseError) -> ParsedExposition {
        try finishCurrentFamily()
        return ParsedExposition(families: families)
    }

    private mutating func startFamily(named name: String, line: Int) throws(ExpositionParseError) {
        try finishCurrentFamily()
        if let owner = reservedNames[name] {
            let reason = owner == name
                ? "metric family '\(name)' appears again; a family's lines must be contiguous"
                : "'\(name)' clashes with a sample name of metric family '\(owner)'"
            throw ExpositionParseError(line: line, reason: reason)
        }
        current = FamilyBuilder(name: name, syntax: syntax, firstLine: line)
    }

    private mutating func finishCurrentFamily() throws(ExpositionParseError) {
        guard let family = current else { return }
        current = nil
        for reserved in family.reservedNames {
            if let owner = reservedNames[reserved] {
                throw ExpositionParseError(
                    line: family.firstLine,
                    reason: "\(family.type.rawValue) family '\(family.name)' clashes with metric family '\(owner)' over the name '\(reserved)'"
                )
            }
            reservedNames[reserved] = family.name
        }
        families.append(try family.finish())
    }
}
