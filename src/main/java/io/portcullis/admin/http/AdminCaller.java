package io.portcullis.admin.http;

import java.util.Objects;

/**
 * Who made an admin API request: the verified admin certificate's subject (RFC 2253) and its SHA-256
 * thumbprint (upper-case hex). Written on every audit line.
 */
public record AdminCaller(String subject, String thumbprint) {
    public AdminCaller {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(thumbprint, "thumbprint");
    }
}
