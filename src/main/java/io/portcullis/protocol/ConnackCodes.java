package io.portcullis.protocol;

import io.portcullis.protocol.codec.ReasonCode;

/** Maps MQTT 5 CONNACK reason codes to the MQTT 3.1.1 return codes that mean the same (3.1.1 section 3.2.2.3). */
final class ConnackCodes {

    /** No 3.1.1 return code fits: the connection is closed without CONNACK. */
    static final int NONE = -1;

    private ConnackCodes() {
    }

    static int toV3(int reasonCode) {
        return switch (reasonCode) {
            case ReasonCode.SUCCESS -> ReasonCode.V3_ACCEPTED;
            case ReasonCode.UNSUPPORTED_PROTOCOL_VERSION -> ReasonCode.V3_UNACCEPTABLE_PROTOCOL_VERSION;
            case ReasonCode.CLIENT_IDENTIFIER_NOT_VALID -> ReasonCode.V3_IDENTIFIER_REJECTED;
            case ReasonCode.SERVER_UNAVAILABLE, ReasonCode.SERVER_BUSY -> ReasonCode.V3_SERVER_UNAVAILABLE;
            case ReasonCode.BAD_USER_NAME_OR_PASSWORD -> ReasonCode.V3_BAD_USER_NAME_OR_PASSWORD;
            case ReasonCode.NOT_AUTHORIZED -> ReasonCode.V3_NOT_AUTHORIZED;
            default -> NONE;
        };
    }
}
