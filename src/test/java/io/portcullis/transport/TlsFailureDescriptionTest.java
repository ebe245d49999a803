package io.portcullis.transport;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLHandshakeException;
import java.security.cert.CertificateException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class TlsFailureDescriptionTest {

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    static Stream<Arguments> causes() {
        String refused = "Client certificate refused: client certificate 'CN=client-4' (thumbprint AB12): expired";
        return Stream.of(
                Arguments.of(handshake(refused, new CertificateException(refused)),
                        "SSLHandshakeException: " + refused),
                Arguments.of(handshake("Empty client certificate chain", null),
                        "the client sent no certificate. Fix: configure the client with its certificate and key;"
                                + " this broker requires one (SSLHandshakeException: Empty client certificate chain)"),
                Arguments.of(handshake("error:10000418:SSL routines:OPENSSL_internal:"
                                + "PEER_DID_NOT_RETURN_A_CERTIFICATE", null),
                        "the client sent no certificate. Fix: configure the client with its certificate and key;"
                                + " this broker requires one (SSLHandshakeException: error:10000418:SSL routines:"
                                + "OPENSSL_internal:PEER_DID_NOT_RETURN_A_CERTIFICATE)"),
                Arguments.of(handshake("PKIX path building failed", new CertificateException("no trust anchor")),
                        "SSLHandshakeException: PKIX path building failed <- CertificateException: no trust anchor"),
                Arguments.of(new DecoderException(handshake(refused, new CertificateException(refused))),
                        "DecoderException: javax.net.ssl.SSLHandshakeException: " + refused
                                + " <- SSLHandshakeException: " + refused),
                Arguments.of(new NotSslRecordException("not an SSL/TLS record: 1003"), "NotSslRecordException"),
                Arguments.of(handshake("refused 'CN=a\0b\nINFO forged'", null),
                        "SSLHandshakeException: refused 'CN=a\\x00b\\nINFO forged'"));
    }

    @ParameterizedTest
    @MethodSource("causes")
    void namesEachCauseOnceAndEscapesItsText(Throwable cause, String expected) {
        assertThat(TlsFailureHandler.describe(cause)).isEqualTo(expected);
    }
}
