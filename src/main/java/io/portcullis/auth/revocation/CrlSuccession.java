package io.portcullis.auth.revocation;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.util.Optional;

/**
 * Decides whether a CRL may take the place of the CRL of the same issuer and scope held so far, so that an
 * older CRL written back to a file, or served again by a distribution point, cannot take a revocation back.
 * The CRL Number orders two such CRLs (RFC 5280 section 5.2.3: it only ever increases); when either CRL has
 * none, thisUpdate does. Equal thisUpdates without numbers cannot be ordered, and the candidate is taken:
 * X.509 times have one-second precision, and refusing would stop a CA that issues twice in one second.
 * Stateless; any thread.
 */
final class CrlSuccession {

    private CrlSuccession() {
    }

    /**
     * Why {@code candidate} must not replace {@code held}, or empty when it may: it is newer, or the same
     * CRL. Both must be of the same issuer and scope ({@link LoadedCrl#hasSameIssuerAndScope}).
     */
    static Optional<String> refusal(X509CRL held, X509CRL candidate) {
        BigInteger heldNumber = crlNumber(held);
        BigInteger candidateNumber = crlNumber(candidate);
        if (heldNumber != null && candidateNumber != null) {
            int order = candidateNumber.compareTo(heldNumber);
            if (order < 0) {
                return Optional.of("its CRL number " + candidateNumber + " is lower than " + heldNumber
                        + ", the number of the CRL in force");
            }
            if (order == 0 && !candidate.equals(held)) {
                // A CA never issues two different CRLs under one number: one of them is not genuine or not current.
                return Optional.of("it has the CRL number " + candidateNumber + " of the CRL in force but a"
                        + " different content");
            }
            return Optional.empty();
        }
        if (candidate.getThisUpdate().before(held.getThisUpdate())) {
            return Optional.of("its thisUpdate " + candidate.getThisUpdate().toInstant() + " is earlier than "
                    + held.getThisUpdate().toInstant() + ", that of the CRL in force (compared by date because "
                    + (heldNumber == null && candidateNumber == null ? "neither has" : "one has no")
                    + " CRL number)");
        }
        return Optional.empty();
    }

    /** The CRL Number extension, or {@code null} when the CRL has none or it does not decode. */
    static BigInteger crlNumber(X509CRL crl) {
        byte[] extension = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (extension == null) {
            return null;
        }
        try {
            return ASN1Integer.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getValue();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * For logs: {@code <role>CrlNumber=N <role>ThisUpdate=T}, such as {@code inForceCrlNumber=2}, with
     * {@code none} for a missing number.
     */
    static String fields(String role, X509CRL crl) {
        BigInteger number = crlNumber(crl);
        return role + "CrlNumber=" + (number == null ? "none" : number) + " " + role + "ThisUpdate="
                + crl.getThisUpdate().toInstant();
    }
}
