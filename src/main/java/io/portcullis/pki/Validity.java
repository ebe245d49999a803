package io.portcullis.pki;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The validity window written into a certificate. Tests build expired and not-yet-valid windows
 * with {@link #between}; the factory methods give the defaults the dev PKI uses.
 */
public record Validity(Instant notBefore, Instant notAfter) {

    /** Backdating tolerates clients whose clocks run a little behind the broker's. */
    private static final Duration BACKDATE = Duration.ofHours(1);

    public Validity {
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        // X.509 times have second precision; truncating keeps equals() true after a PEM round trip.
        notBefore = notBefore.truncatedTo(ChronoUnit.SECONDS);
        notAfter = notAfter.truncatedTo(ChronoUnit.SECONDS);
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter " + notAfter + " must be after notBefore " + notBefore);
        }
    }

    public static Validity between(Instant notBefore, Instant notAfter) {
        return new Validity(notBefore, notAfter);
    }

    /** From an hour ago until {@code days} days from now. */
    public static Validity days(int days) {
        Instant now = Instant.now();
        return new Validity(now.minus(BACKDATE), now.plus(Duration.ofDays(days)));
    }

    /** Default for root and intermediate CAs: ten years. */
    public static Validity defaultCa() {
        return days(3650);
    }

    /** Default for server and client certificates: one year. */
    public static Validity defaultLeaf() {
        return days(365);
    }
}
