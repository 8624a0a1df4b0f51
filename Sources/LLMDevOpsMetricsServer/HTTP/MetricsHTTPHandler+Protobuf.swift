extension MetricsHTTPHandler {
    /// The number of metric families in a protobuf body: its length-delimited messages. Stops
    /// at a malformed length (the body is ours, so that means a bug, not input).
    package static func protobufFamilyCount(_ body: [UInt8]) -> Int {
        var count = 0
        var index = 0
        while index < body.count {
            var length = 0
            var shift = 0
            while true {
                guard index < body.count, shift < 63 else { return count }
                let byte = body[index]
                index += 1
                length |= Int(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            guard length <= body.count - index else { return count }
            index += length
            count += 1
        }
        return count
    }
}
