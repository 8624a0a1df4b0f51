import LLMDevOpsMetrics

/// Reads an `Accept-Encoding` header (RFC 9110 §12.5.3) for gzip.
enum AcceptEncoding {
    /// Whether `header` accepts gzip: an explicit `gzip` (or `x-gzip`) entry with a non-zero q,
    /// or else a `*` entry with a non-zero q. A missing header accepts nothing but identity.
    static func allowsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        var gzipQuality: Double?
        var wildcardQuality: Double?
        for entry in header.split(separator: ",") {
            let parts = entry.split(separator: ";")
            guard let coding = parts.first?.trimmingSpaces.lowercased(), !coding.isEmpty else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingSpaces.lowercased() == "q" else { continue }
                // A malformed q makes the entry unusable.
                quality = Double(pair[1].trimmingSpaces).flatMap { (0...1).contains($0) ? $0 : nil } ?? 0
            }
            switch coding {
            case "gzip", "x-gzip": gzipQuality = max(gzipQuality ?? 0, quality)
            case "*": wildcardQuality = quality
            default: continue
            }
        }
        if let gzipQuality { return gzipQuality > 0 }
        return (wildcardQuality ?? 0) > 0
    }
}
