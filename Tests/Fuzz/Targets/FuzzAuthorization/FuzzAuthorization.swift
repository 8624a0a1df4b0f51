import Crypto
import LLMDevOpsFuzzSupport
import LLMDevOpsMetricsServer

/// The `Authorization` header as `BearerTokenAuthenticator` reads it (`Sources/LLMDevOpsMetricsServer/Auth/`).
///
/// Two tokens are configured (by digest). Input: a mode byte, then either the raw header or the
/// pieces of a well-formed one (spaces, scheme letter case, which token, a one-byte change).
/// Properties:
/// - soundness: a request is authenticated only when its header is, byte for byte,
///   `SP* bearer SP+ <token> SP*` (scheme in any ASCII case) for exactly the configured token
///   of the client it is authenticated as;
/// - completeness: every header of that form authenticates as its token's client;
/// - the outcome equals a byte-level reference reader's (RFC 9110 §11.6.2 credentials):
///   missing header, malformed (no `Bearer` credential), invalid (a token matching no digest);
///   for headers that are not ASCII only "authenticated or not" must agree (the
///   implementation reads characters, the reference bytes).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAuthorization(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let header: String?
    var mustAuthenticateAs: String?
    switch input.byte() % 4 {
    case 0:
        header = nil
    case 1:
        // A well-formed header for one of the configured tokens.
        let (name, token) = input.pick(Tokens.configured)
        let scheme = String("bearer".map { letter in input.bool() ? Character(letter.uppercased()) : letter })
        header =
            String(repeating: " ", count: input.int(in: 0...3)) + scheme
            + String(repeating: " ", count: input.int(in: 1...3)) + token
            + String(repeating: " ", count: input.int(in: 0...3))
        mustAuthenticateAs = name
    case 2:
        // A configured token with one byte changed, inserted or removed.
        var token = Array(input.pick(Tokens.configured).token.utf8)
        let position = input.int(in: 0...token.count)
        switch input.byte() % 3 {
        case 0 where position < token.count: token[position] = input.byte()
        case 1: token.insert(input.byte(), at: position)
        default: if position < token.count { token.remove(at: position) }
        }
        header = "Bearer " + String(decoding: token, as: UTF8.self)
    default:
        header = String(decoding: input.remaining(), as: UTF8.self)
    }

    let request = AuthenticationRequest(authorization: header, remoteAddress: "127.0.0.1", path: "/metrics")
    let authenticator = Tokens.authenticator
    let result = runBlocking { await authenticator.authenticate(request) }
    let reference = ReferenceBearer.authenticate(header)

    if let mustAuthenticateAs {
        fuzzCheck(
            result == .authenticated(AuthenticatedClient(name: mustAuthenticateAs, scopes: ["metrics:read"])),
            "the well-formed header \(quoted(header ?? "")) was not accepted: \(result)"
        )
    }
    switch result {
    case .authenticated(let client):
        let token = Tokens.configured.first { $0.name == client.name }?.token
        fuzzCheck(
            token != nil && ReferenceBearer.token(in: header ?? "") == Array(token!.utf8),
            "\(quoted(header ?? "")) authenticated as \(client.name) without being Bearer <its token>"
        )
    case .rejected:
        break
    }
    let ascii = header?.utf8.allSatisfy { $0 < 0x80 } ?? true
    if ascii {
        fuzzCheck(result == reference, "\(quoted(header ?? "nil")): \(result), the reference reader says \(reference)")
    } else {
        fuzzCheck(
            isAuthenticated(result) == isAuthenticated(reference),
            "\(quoted(header ?? "nil")): \(result), the reference reader says \(reference)"
        )
    }
    return 0
}

func isAuthenticated(_ result: AuthenticationResult) -> Bool {
    if case .authenticated = result { return true }
    return false
}

enum Tokens {
    /// Token names and secrets: one plain, one using every token68 punctuation character.
    static let configured: [(name: String, token: String)] = [
        ("prometheus", "fuzz-token-4f9Qk2"),
        ("grafana", "Zm9v.bar_~+/x=="),
    ]

    static let authenticator: BearerTokenAuthenticator = {
        let tokens = configured.map { name, token in
            ServiceConfiguration.Token(
                name: name,
                sha256: hex(SHA256.hash(data: Array(token.utf8))),
                scopes: ["metrics:read"]
            )
        }
        do {
            return try BearerTokenAuthenticator(tokens: tokens)
        } catch {
            fuzzCheck(false, "cannot configure the tokens: \(error)")
            fatalError()
        }
    }()

    static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined()
    }
}

/// Credentials read from bytes: `SP* auth-scheme SP+ token SP*`, the scheme `Bearer` in any
/// ASCII case, the token a non-empty run without spaces.
enum ReferenceBearer {
    static func token(in header: String) -> [UInt8]? {
        var bytes = Array(header.utf8)[...]
        while bytes.first == 0x20 { bytes = bytes.dropFirst() }
        while bytes.last == 0x20 { bytes = bytes.dropLast() }
        guard let space = bytes.firstIndex(of: 0x20) else { return nil }
        let scheme = bytes[..<space].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        guard scheme == Array("bearer".utf8) else { return nil }
        var token = bytes[space...]
        while token.first == 0x20 { token = token.dropFirst() }
        guard !token.isEmpty, !token.contains(0x20) else { return nil }
        return Array(token)
    }

    static func authenticate(_ header: String?) -> AuthenticationResult {
        guard let header else { return .rejected(.missingCredentials) }
        guard let token = token(in: header) else { return .rejected(.malformedCredentials) }
        guard let match = Tokens.configured.first(where: { Array($0.token.utf8) == token }) else {
            return .rejected(.invalidCredentials)
        }
        return .authenticated(AuthenticatedClient(name: match.name, scopes: ["metrics:read"]))
    }
}
