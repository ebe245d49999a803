package io.portcullis.cli.pki;

import io.portcullis.pki.KeyAlgorithm;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The key types the {@code pki} commands accept, by their command-line spelling. */
enum KeyType {
    EC_P256("ec-p256", KeyAlgorithm.EcP256),
    EC_P384("ec-p384", KeyAlgorithm.EcP384),
    RSA_2048("rsa-2048", KeyAlgorithm.Rsa2048);

    private final String option;
    private final KeyAlgorithm algorithm;

    KeyType(String option, KeyAlgorithm algorithm) {
        this.option = option;
        this.algorithm = algorithm;
    }

    KeyAlgorithm algorithm() {
        return algorithm;
    }

    @Override
    public String toString() {
        return option;
    }

    /** Converts {@code ec-p384} and friends; the error lists what is accepted. */
    static final class Converter implements ITypeConverter<KeyType> {
        @Override
        public KeyType convert(String value) {
            String wanted = value.toLowerCase(Locale.ROOT);
            return Arrays.stream(values()).filter(type -> type.option.equals(wanted)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("'" + value + "' is not a key type; use one of "
                            + Arrays.stream(values()).map(KeyType::toString).collect(Collectors.joining(", "))));
        }
    }
}
