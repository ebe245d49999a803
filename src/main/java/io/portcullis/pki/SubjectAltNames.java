package io.portcullis.pki;

import java.util.List;

/**
 * Subject alternative names to write into a certificate. IP addresses are literal v4 or v6
 * strings; URIs and e-mail addresses are written as given.
 */
public record SubjectAltNames(List<String> dnsNames, List<String> ipAddresses, List<String> uris,
                              List<String> emails) {

    public static final SubjectAltNames NONE = new SubjectAltNames(List.of(), List.of(), List.of(), List.of());

    /** What a broker on this machine answers to: DNS localhost, IP 127.0.0.1 and ::1. */
    public static final SubjectAltNames LOCALHOST = new SubjectAltNames(List.of("localhost"),
            List.of("127.0.0.1", "::1"), List.of(), List.of());

    public SubjectAltNames {
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        uris = List.copyOf(uris);
        emails = List.copyOf(emails);
    }

    public boolean isEmpty() {
        return dnsNames.isEmpty() && ipAddresses.isEmpty() && uris.isEmpty() && emails.isEmpty();
    }
}
