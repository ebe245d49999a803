package io.portcullis.auth.revocation;

import java.util.Objects;

/**
 * The answer of one revocation check of a client chain: {@link Good} (no source says revoked, and every
 * source that applies gave a current answer, or none applies), {@link Revoked} (some source says a certificate
 * of the chain is revoked), or {@link Unavailable} (no current answer could be had; the configured
 * {@code whenUnavailable} policy decides). Immutable.
 */
public sealed interface RevocationVerdict {

    /** Not revoked; {@code detail} says which sources answered, for DEBUG logs. */
    record Good(String detail) implements RevocationVerdict {
        public Good {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * @param subject the revoked certificate's subject (the leaf or an intermediate)
     * @param serial  its serial number, hex
     * @param issuer  the subject of the CA that issued it
     * @param reason  the CRL or OCSP reason, for example {@code keyCompromise}, or {@code unspecified}
     * @param source  where the answer came from, for example {@code crlFile=/etc/portcullis/ca.crl}
     */
    record Revoked(String subject, String serial, String issuer, String reason, String source)
            implements RevocationVerdict {
        public Revoked {
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(serial, "serial");
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(source, "source");
        }

        /** One sentence for logs. */
        public String describe() {
            return "certificate '" + subject + "' (serial " + serial + ", issuer '" + issuer + "') is revoked, reason "
                    + reason + ", per " + source;
        }
    }

    /** No current answer: {@code why} names the source and what went wrong. */
    record Unavailable(String why) implements RevocationVerdict {
        public Unavailable {
            Objects.requireNonNull(why, "why");
        }
    }
}
