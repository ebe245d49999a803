package io.portcullis.auth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CertificateFieldsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "0, 00",
            "1, 01",
            "F, 0F",
            "10, 10",
            "ABC, 0ABC",
            "8F00, 8F00",
            "D1F93C20C1B5C4C6BB9A945C4A54C, 0D1F93C20C1B5C4C6BB9A945C4A54C",
            "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, 7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"})
    void serialsAreWrittenInWholeBytesAsOpenSslPrintsThem(String serial, String written) {
        assertThat(CertificateFields.serialHex(new BigInteger(serial, 16))).isEqualTo(written);
    }
}
