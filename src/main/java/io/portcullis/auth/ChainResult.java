package io.portcullis.auth;

import java.util.Objects;

/**
 * Whether a client chain validates to a registered CA: on success the CA's registered name, on
 * failure an operator-facing reason. Immutable.
 */
record ChainResult(boolean isTrusted, String caName, String problem) {

    ChainResult {
        if (isTrusted) {
            Objects.requireNonNull(caName, "caName");
        } else {
            Objects.requireNonNull(problem, "problem");
        }
    }

    static ChainResult trusted(String caName) {
        return new ChainResult(true, caName, null);
    }

    static ChainResult untrusted(String problem) {
        return new ChainResult(false, null, problem);
    }
}
