package io.portcullis.pki;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class KeyPairsTest {

    private static final KeyPair EC = generate("EC");
    private static final KeyPair OTHER_EC = generate("EC");
    private static final KeyPair RSA = generate("RSA");
    private static final KeyPair OTHER_RSA = generate("RSA");

    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of("EC pair", EC, EC, true),
                Arguments.of("RSA pair", RSA, RSA, true),
                Arguments.of("EC key, another EC public key", EC, OTHER_EC, false),
                Arguments.of("RSA key, another RSA public key", RSA, OTHER_RSA, false),
                Arguments.of("EC key, RSA public key", EC, RSA, false),
                Arguments.of("RSA key, EC public key", RSA, EC, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void belongTogetherOnlyForTheTwoHalvesOfOnePair(String name, KeyPair privateHalf, KeyPair publicHalf,
                                                     boolean expected) {
        assertThat(KeyPairs.canCheck(publicHalf.getPublic())).isTrue();
        assertThat(KeyPairs.belongTogether(privateHalf.getPrivate(), publicHalf.getPublic())).isEqualTo(expected);
    }

    private static KeyPair generate(String algorithm) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp384r1"));
            } else {
                generator.initialize(2048);
            }
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
