package io.portcullis.config;

/** The kind of key a server certificate has; the broker holds one of each at once (SPEC 1). */
public enum ServerKeyType {
    /** ECDSA on NIST P-384 (secp384r1). */
    EC_P384,
    /** RSA, 2048 bits or more. */
    RSA
}
