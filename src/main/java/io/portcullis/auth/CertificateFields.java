package io.portcullis.auth;

import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.util.IPAddress;

import javax.security.auth.x500.X500Principal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the fields of an X.509 certificate that authentication uses: the SHA-256 thumbprint, the
 * subject and its common name, subject alternative names by type, and validity dates. Stateless and
 * thread-safe; every method works on the certificate it is given and never does network I/O
 * (IP literals are parsed, never resolved).
 */
public final class CertificateFields {
    private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

    // GeneralName tags as returned by X509Certificate.getSubjectAlternativeNames (RFC 5280 4.2.1.6).
    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    private static final int SAN_IP = 7;

    private CertificateFields() {
    }

    /** Upper-case hex SHA-256 of the DER encoding, the form thumbprints are registered in. */
    public static String thumbprint(X509Certificate certificate) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return UPPER_HEX.formatHex(sha256.digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be DER-encoded", e);
        }
    }

    /** The serial number as upper-case hex in whole bytes ({@link #serialHex(BigInteger)}). */
    public static String serialHex(X509Certificate certificate) {
        return serialHex(certificate.getSerialNumber());
    }

    /**
     * A serial number in upper-case hex, whole bytes as OpenSSL prints it ({@code 0D1F…}, not {@code D1F…}), so
     * a serial copied from {@code openssl x509 -serial} can be found in the logs and the API.
     */
    public static String serialHex(BigInteger serial) {
        String hex = serial.toString(16).toUpperCase(Locale.ROOT);
        return serial.signum() >= 0 && hex.length() % 2 == 1 ? "0" + hex : hex;
    }

    /** The subject as an RFC 4514 string (the JDK's RFC 2253 form, which RFC 4514 obsoletes compatibly). */
    public static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName(X500Principal.RFC2253);
    }

    /**
     * The subject's common name. When a subject holds several CNs, the most specific one (the last
     * in DER order, the first in the RFC 4514 string) is used, so the choice is deterministic.
     */
    public static Optional<String> subjectCommonName(X509Certificate certificate) {
        X500Name name = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        String found = null;
        for (RDN rdn : name.getRDNs(BCStyle.CN)) {
            for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
                if (BCStyle.CN.equals(value.getType()) && value.getValue() instanceof ASN1String text) {
                    found = text.getString();
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** Whether two RFC 4514 distinguished names are the same name, compared in canonical form. */
    public static boolean sameDistinguishedName(X509Certificate certificate, String distinguishedName) {
        try {
            X500Principal wanted = new X500Principal(distinguishedName);
            return certificate.getSubjectX500Principal().getName(X500Principal.CANONICAL)
                    .equals(wanted.getName(X500Principal.CANONICAL));
        } catch (IllegalArgumentException notADistinguishedName) {
            return false;
        }
    }

    public static List<String> dnsNames(X509Certificate certificate) {
        return alternativeNames(certificate, SAN_DNS);
    }

    public static List<String> uris(X509Certificate certificate) {
        return alternativeNames(certificate, SAN_URI);
    }

    public static List<String> emails(X509Certificate certificate) {
        return alternativeNames(certificate, SAN_EMAIL);
    }

    /** SAN iPAddress entries in normalized text form (see {@link #normalizeIpAddress}). */
    public static List<String> ipAddresses(X509Certificate certificate) {
        List<String> normalized = new ArrayList<>();
        for (String address : alternativeNames(certificate, SAN_IP)) {
            normalizeIpAddress(address).ifPresent(normalized::add);
        }
        return normalized;
    }

    /**
     * Parses an IPv4 or IPv6 literal and returns it in the JDK's canonical text form, so that
     * {@code ::1}, {@code 0:0:0:0:0:0:0:1} and {@code 0000::0001} compare equal. Anything that is not
     * an IP literal (including host names, which are never resolved) gives empty.
     */
    public static Optional<String> normalizeIpAddress(String text) {
        if (text == null || !(IPAddress.isValidIPv4(text) || IPAddress.isValidIPv6(text))) {
            return Optional.empty();
        }
        try {
            // A validated literal: getByName parses it without a name lookup.
            return Optional.of(InetAddress.getByName(text).getHostAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * The fix for a client certificate outside its dates, the same whether the handshake or a CONNECT on a
     * resumed TLS session finds it.
     */
    static final String CLIENT_DATES_FIX = "issue the client a current certificate, or check the clocks of client"
            + " and broker";

    /** The fix for a client certificate whose key usage or extended key usage is not for TLS clients. */
    public static final String CLIENT_USAGE_FIX = "issue a certificate for TLS clients: extended key usage clientAuth"
            + " (or none), key usage digitalSignature (or none), as portcullis pki client issue does";

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int DIGITAL_SIGNATURE = 0;

    /**
     * Why the certificate may not authenticate a TLS client, or empty when it may (RFC 5280 4.2.1.3 and 4.2.1.12):
     * an extended key usage, when present, must list clientAuth or anyExtendedKeyUsage, so a server certificate
     * (serverAuth only) or a code-signing one is no device credential; a key usage, when present, must allow
     * digitalSignature, the signature a client makes in the handshake.
     */
    public static Optional<String> clientUsageProblem(X509Certificate certificate) {
        List<String> purposes;
        try {
            purposes = certificate.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return Optional.of("has an unreadable extended key usage extension");
        }
        if (purposes != null && !purposes.contains(CLIENT_AUTH) && !purposes.contains(ANY_EXTENDED_KEY_USAGE)) {
            return Optional.of("is not for TLS clients: its extended key usage " + purposes + " lacks clientAuth");
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && (usage.length <= DIGITAL_SIGNATURE || !usage[DIGITAL_SIGNATURE])) {
            return Optional.of("is not for TLS clients: its key usage lacks digitalSignature");
        }
        return Optional.empty();
    }

    /** Why the certificate is outside its validity period at {@code now}, or empty when it is within it. */
    public static Optional<String> validityProblem(X509Certificate certificate, Instant now) {
        Instant notBefore = certificate.getNotBefore().toInstant();
        Instant notAfter = certificate.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            return Optional.of("expired on " + notAfter);
        }
        if (now.isBefore(notBefore)) {
            return Optional.of("is not valid before " + notBefore);
        }
        return Optional.empty();
    }

    private static List<String> alternativeNames(X509Certificate certificate, int type) {
        Collection<List<?>> entries;
        try {
            entries = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (entries == null) {
            return List.of();
        }
        List<String> values = new ArrayList<>();
        for (List<?> entry : entries) {
            if (entry.size() >= 2 && entry.get(0) instanceof Integer tag && tag == type
                    && entry.get(1) instanceof String value && !value.isEmpty()) {
                values.add(value);
            }
        }
        return values;
    }
}
