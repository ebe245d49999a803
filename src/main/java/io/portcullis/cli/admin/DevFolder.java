package io.portcullis.cli.admin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.portcullis.cli.ExitCodes;
import io.portcullis.config.AdminConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Connection settings for {@code --dev DIR}, taken from what {@code portcullis dev --dir DIR} wrote:
 * the admin listener's {@code admin.bindAddress} and {@code admin.port} in {@code DIR/portcullis.yaml},
 * the admin certificate {@code DIR/admin/admin.crt} and key {@code DIR/admin/admin.key}, and the dev
 * root CA {@code DIR/ca.pem}. Only the {@code admin} section is read, so a dev configuration whose
 * other files have moved still yields the address. Stateless.
 */
final class DevFolder {
    static final String CONFIG_FILE = "portcullis.yaml";

    private DevFolder() {
    }

    /**
     * The settings of the dev folder. With {@code urlGiven} (the caller has {@code --url}) a port the
     * configuration leaves to the broker (0) is no error: the URL comes from the option instead.
     */
    static ConnectionSettings read(Path directory, boolean urlGiven) throws AdminCommandException {
        Path dir = directory.toAbsolutePath().normalize();
        Path config = dir.resolve(CONFIG_FILE);
        String rerun = "; run 'portcullis dev --dir " + directory + "' first, or give --url, --cert, --key and --ca";
        if (!Files.isDirectory(dir)) {
            throw usage("--dev " + directory + ": no such directory" + rerun);
        }
        if (!Files.isRegularFile(config)) {
            throw usage("--dev " + directory + ": " + config + " is missing" + rerun);
        }
        JsonNode admin;
        try {
            JsonNode root = new YAMLMapper().readTree(Files.readString(config));
            admin = root == null ? null : root.get("admin");
        } catch (JacksonException e) {
            throw usage("--dev " + directory + ": " + config + " is not valid YAML (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw usage("--dev " + directory + ": cannot read " + config + " (" + e.getMessage() + ")");
        }
        String host = AdminConfig.DEFAULT_BIND_ADDRESS;
        int port = AdminConfig.DEFAULT_PORT;
        if (admin != null && admin.isObject()) {
            if (admin.path("enabled").isBoolean() && !admin.path("enabled").asBoolean()) {
                throw usage("--dev " + directory + ": " + config + " has admin.enabled: false, so the dev broker"
                        + " serves no admin API; start it with a 'portcullis dev' that enables it, or give --url");
            }
            if (admin.path("bindAddress").isTextual()) {
                host = admin.path("bindAddress").asText();
            }
            if (admin.path("port").canConvertToInt()) {
                port = admin.path("port").asInt();
            }
        }
        boolean isPortKnown = port > 0 && port <= 65_535;
        if (!isPortKnown && !urlGiven) {
            throw usage("--dev " + directory + ": admin.port in " + config + " is " + port
                    + " (a free port is picked at start); add --url https://127.0.0.1:PORT with the port dev"
                    + " printed (or the broker logged), or restart dev with --admin-port N");
        }
        Path certificate = dir.resolve("admin").resolve("admin.crt");
        Path key = dir.resolve("admin").resolve("admin.key");
        Path ca = dir.resolve("ca.pem");
        for (Path required : new Path[] {certificate, key, ca}) {
            if (!Files.isRegularFile(required)) {
                throw usage("--dev " + directory + ": " + required + " is missing" + rerun);
            }
        }
        String url = isPortKnown ? "https://" + urlHost(host) + ":" + port : null;
        return new ConnectionSettings(url, certificate, key, ca);
    }

    /** A host to connect to for a bind address: a wildcard bind is reached on loopback. */
    static String urlHost(String bindAddress) {
        String host = switch (bindAddress) {
            case "", "0.0.0.0", "*" -> "127.0.0.1";
            case "::", "[::]", "::0" -> "::1";
            default -> bindAddress;
        };
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static AdminCommandException usage(String message) {
        return new AdminCommandException(ExitCodes.USAGE, message);
    }
}
