/// Why the listener refused a message line: the `reason` label of
/// `llmdevops_sidecar_messages_rejected_total`.
enum SidecarRejection: String, Error, Sendable, CaseIterable {
    /// Longer than `max_line_bytes`.
    case lineTooLong = "line_too_long"
    /// Not a JSON object.
    case malformedJSON = "malformed_json"
    /// `v` is missing or not a version this service reads.
    case unsupportedVersion = "unsupported_version"
    /// `type` is missing or names no event.
    case unknownType = "unknown_type"
    /// A field the type needs is missing, has the wrong JSON type, or is not one of its values.
    case invalidField = "invalid_field"
    /// A number is negative, too large or not finite, or a string is empty or too long.
    case outOfRange = "out_of_range"
    /// Bytes after the last newline when the connection ended.
    case truncated
}
