import Crypto
import LeanPulseCore

/// Replaces employee identifiers by `HMAC-SHA256(key, id)` (hex) before anything is stored.
public struct Pseudonymizer {
    /// HMAC state with the key already absorbed (inner and outer padded key blocks hashed once): each
    /// pseudonym copies it instead of deriving the padded keys again.
    private let keyed: HMAC<SHA256>

    /// - Parameter key: the secret, read from the environment or a key file, never from the pipeline file.
    public init(key: String) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: Array(key.utf8)))
    }

    /// The pseudonym of `id` (surrounding spaces ignored, so `" E42"` and `"E42"` are one person).
    public func pseudonym(_ id: String) -> String {
        var mac = keyed
        var text = id.hasNoSpacesAtEdges ? id : id.trimmingSpaces
        text.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return mac.finalize().hexText
    }
}
