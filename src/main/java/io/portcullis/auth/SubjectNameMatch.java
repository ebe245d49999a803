package io.portcullis.auth;

/**
 * How the certificate subject is compared with an authentication name, for the
 * {@code SubjectMatchesAuthenticationName} scheme and the {@code ClientCertificateSubject} name source
 * (SPEC 2.2, 2.3). Set once for the broker in the configuration file as
 * {@code namespace.subjectNameMatch}.
 */
public enum SubjectNameMatch {
    /** The subject's common name equals the authentication name, ignoring case (the default). */
    CommonName,
    /**
     * The whole subject, as an RFC 4514 distinguished name, equals the authentication name in canonical
     * form (attribute order, case and spacing as X.500 canonical comparison defines). The name read
     * from the subject as an alternative source is then the RFC 4514 string, for example
     * {@code CN=pump-3,O=Acme}, so clients are registered under that string.
     */
    DistinguishedName
}
