extension Substring {
    /// Without leading and trailing optional whitespace (spaces and tabs, RFC 9110's `OWS`),
    /// as header values and their list elements are read.
    var trimmingSpaces: Substring {
        var value = self
        while let first = value.first, first == " " || first == "\t" { value.removeFirst() }
        while let last = value.last, last == " " || last == "\t" { value.removeLast() }
        return value
    }
}
