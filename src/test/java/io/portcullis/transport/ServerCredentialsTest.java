package io.portcullis.transport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerCredentialsTest {

    @Test
    void rejectsKeysInTheWrongSlots() {
        assertThatThrownBy(() -> new ServerCredentials(TestPki.SERVER_RSA.privateKey(), TestPki.SERVER_RSA.chain(),
                TestPki.SERVER_EC.privateKey(), TestPki.SERVER_EC.chain()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected an EC server key");
    }

    @Test
    void rejectsAChainWhoseLeafDoesNotMatchTheKeyType() {
        assertThatThrownBy(() -> new ServerCredentials(TestPki.SERVER_EC.privateKey(), TestPki.SERVER_RSA.chain(),
                TestPki.SERVER_RSA.privateKey(), TestPki.SERVER_RSA.chain()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Expected an EC server certificate");
    }
}
