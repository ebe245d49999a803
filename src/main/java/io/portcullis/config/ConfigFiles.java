package io.portcullis.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads files a configuration refers to, recording a problem for each one that cannot be read. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    /** A file's path and its text. */
    record FileText(Path path, String text) {
    }

    /** {@code value} resolved against {@code baseDirectory} and read, or {@code null} after a problem. */
    static FileText read(Path baseDirectory, String value, String key, Problems problems) {
        Path path;
        try {
            path = baseDirectory.resolve(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problems.add(key, "'" + value + "' is not a valid file path", "write a path relative to the"
                    + " configuration file's directory, or an absolute path");
            return null;
        }
        try {
            return new FileText(path, Files.readString(path));
        } catch (NoSuchFileException e) {
            problems.add(key, "file " + path + " does not exist", "create it, or correct the path (relative"
                    + " paths start at the configuration file's directory " + baseDirectory + ")");
        } catch (IOException e) {
            problems.add(key, "file " + path + " cannot be read (" + e.getClass().getSimpleName() + ")",
                    "check that the broker's user may read it and that it is PEM text");
        }
        return null;
    }
}
