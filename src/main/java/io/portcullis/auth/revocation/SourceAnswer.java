package io.portcullis.auth.revocation;

/**
 * What one source (a CRL file, a distribution point's CRL, an OCSP responder) says about one certificate.
 * A source that does not apply to a certificate gives no answer at all. Immutable.
 */
sealed interface SourceAnswer {

    record Good(String source) implements SourceAnswer {
    }

    record Revoked(String reason, String source) implements SourceAnswer {
    }

    record Unavailable(String why) implements SourceAnswer {
    }
}
