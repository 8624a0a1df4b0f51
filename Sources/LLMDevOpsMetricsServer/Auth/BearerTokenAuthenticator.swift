internal import Crypto

/// Accepts `Authorization: Bearer <token>` when the SHA-256 of the token equals a configured
/// digest. Only digests are kept in memory; the comparison takes the same time whichever
/// token, and whichever byte of it, differs.
///
/// ```swift
/// let authenticator = try BearerTokenAuthenticator(tokens: [
///     .init(name: "prometheus", sha256: "9f86d08...", scopes: ["metrics:read"])])
/// ```
public struct BearerTokenAuthenticator: MetricsAuthenticator {
    private struct Entry: Sendable {
        let name: String
        let digest: [UInt8]
        let scopes: Set<String>
    }

    private let entries: [Entry]

    /// Creates an authenticator; throws for a digest that is not 64 hex characters.
    public init(tokens: [ServiceConfiguration.Token]) throws(ConfigurationError) {
        var entries: [Entry] = []
        for token in tokens {
            guard let digest = Self.bytes(fromHex: token.sha256) else {
                throw ConfigurationError(
                    .invalidValue,
                    key: "prometheus_metrics.auth.tokens.\(token.name).sha256",
                    ServiceConfigurationLoader.digestProblem(token.sha256) ?? "not a hex digest"
                )
            }
            entries.append(Entry(name: token.name, digest: digest, scopes: Set(token.scopes)))
        }
        self.entries = entries
    }

    /// Checks the bearer token of `request`.
    public func authenticate(_ request: AuthenticationRequest) async -> AuthenticationResult {
        guard let header = request.authorization else { return .rejected(.missingCredentials) }
        guard let token = Self.bearerToken(in: header) else { return .rejected(.malformedCredentials) }
        let digest = Array(SHA256.hash(data: Array(token.utf8)))
        // Compare against every entry, without stopping at a match, so the time taken does not
        // tell which entry (if any) matched.
        var matched: Entry?
        for entry in entries where Self.constantTimeEquals(entry.digest, digest) {
            matched = entry
        }
        guard let matched else { return .rejected(.invalidCredentials) }
        return .authenticated(AuthenticatedClient(name: matched.name, scopes: matched.scopes))
    }

    /// The token of a `Bearer` credential (scheme case-insensitive), or nil.
    static func bearerToken(in header: String) -> Substring? {
        let trimmed = header.drop(while: { $0 == " " })
        guard let space = trimmed.firstIndex(of: " ") else { return nil }
        guard trimmed[..<space].lowercased() == "bearer" else { return nil }
        let token = trimmed[space...].drop(while: { $0 == " " })
        let end = token.lastIndex(where: { $0 != " " }).map { token.index(after: $0) } ?? token.startIndex
        let value = token[..<end]
        guard !value.isEmpty, !value.contains(" ") else { return nil }
        return value
    }

    /// Equality of two 32-byte digests in time independent of where they differ.
    static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    static func bytes(fromHex hex: String) -> [UInt8]? {
        guard ServiceConfigurationLoader.digestProblem(hex) == nil else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var high: UInt8?
        for character in hex.utf8 {
            let nibble: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let value = high {
                bytes.append(value << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}
