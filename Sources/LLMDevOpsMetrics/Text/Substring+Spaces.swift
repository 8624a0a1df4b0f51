extension Substring {
    /// Without leading and trailing spaces and tabs: RFC 9110's optional whitespace (`OWS`)
    /// around header values and their list elements, and the padding of `/proc` columns.
    package var trimmingSpaces: Substring {
        var value = self
        while let first = value.first, first == " " || first == "\t" { value.removeFirst() }
        while let last = value.last, last == " " || last == "\t" { value.removeLast() }
        return value
    }
}
