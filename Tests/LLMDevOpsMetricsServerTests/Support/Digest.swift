import Crypto

/// The lowercase hex SHA-256 of `token`, as `printf %s "$TOKEN" | sha256sum` prints it.
func sha256Hex(_ token: String) -> String {
    SHA256.hash(data: Array(token.utf8)).map { byte in
        let hex = String(byte, radix: 16)
        return byte < 16 ? "0" + hex : hex
    }.joined()
}
