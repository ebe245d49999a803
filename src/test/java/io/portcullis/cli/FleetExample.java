package io.portcullis.cli;

import io.portcullis.pki.DevPki;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The worked example of docs/security-model.md: the test resource {@code security-model/fleet.yaml}, written
 * into a directory with the dev PKI it refers to ({@code ca.pem}, {@code server/}).
 */
final class FleetExample {
    static final String RESOURCE = "/security-model/fleet.yaml";

    private FleetExample() {
    }

    static String yaml() {
        try (InputStream in = FleetExample.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the PKI and the example as {@code portcullis.yaml} into {@code directory}; returns the file. */
    static Path write(Path directory) throws IOException {
        DevPki.ensure(directory, 0);
        Path file = directory.resolve("portcullis.yaml");
        Files.writeString(file, yaml(), StandardCharsets.UTF_8);
        return file;
    }
}
