package io.portcullis.cli.admin;

import io.portcullis.cli.ExitCodes;
import picocli.CommandLine.Option;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The connection options every admin command shares (a picocli mixin): {@code --url}, {@code --cert},
 * {@code --key}, {@code --ca}, or a {@code --profile} file holding them, or {@code --dev DIR} filling
 * them from a dev folder. Options given on the command line override the profile or dev folder.
 */
public final class AdminConnectionOptions {

    @Option(names = "--url", paramLabel = "URL", order = 100,
            description = "Admin API address, https://HOST:PORT (default port of the broker: 9443).")
    String url;

    @Option(names = "--cert", paramLabel = "FILE", order = 101,
            description = "Admin certificate (PEM; leaf first, then intermediates).")
    Path certificate;

    @Option(names = "--key", paramLabel = "FILE", order = 102,
            description = "Private key of the admin certificate (PEM: PKCS#8, or traditional EC/RSA).")
    Path privateKey;

    @Option(names = "--ca", paramLabel = "FILE", order = 103,
            description = "CA certificate(s) that issued the broker's server certificate (PEM). Without it the"
                    + " JDK's default CAs are trusted. The host name is always verified.")
    Path caFile;

    @Option(names = "--profile", paramLabel = "FILE", order = 104,
            description = "YAML or JSON file with url, cert, key and ca (relative paths: from the file's"
                    + " directory).")
    Path profile;

    @Option(names = "--dev", paramLabel = "DIR", order = 105,
            description = "Dev folder of 'portcullis dev --dir DIR': its admin port, admin/admin.crt,"
                    + " admin/admin.key and ca.pem. When dev ran with --admin-port 0, add --url too.")
    Path devDirectory;

    /** Whether any connection option was given (check-access uses the API then, not a file). */
    public boolean isGiven() {
        return url != null || certificate != null || privateKey != null || caFile != null || profile != null
                || devDirectory != null;
    }

    /** The endpoint from the options, the profile or the dev folder; a usage failure names what is missing. */
    AdminEndpoint resolve() throws AdminCommandException {
        if (profile != null && devDirectory != null) {
            throw usage("--profile and --dev both given: use one of them (options like --url override either)");
        }
        ConnectionSettings base = ConnectionSettings.NONE;
        if (profile != null) {
            base = ProfileFile.read(profile);
        } else if (devDirectory != null) {
            base = DevFolder.read(devDirectory, url != null);
        }
        ConnectionSettings settings = new ConnectionSettings(url, certificate, privateKey, caFile).orElse(base);
        if (settings.url() == null) {
            throw usage("No admin API address: give --url https://HOST:PORT, --profile FILE or --dev DIR");
        }
        URI baseUrl = baseUrl(settings.url(), urlSource());
        if (settings.certificate() == null || settings.privateKey() == null) {
            throw usage("--cert FILE and --key FILE are required: the admin API admits only clients presenting an"
                    + " admin certificate (give them, or a --profile or --dev that names them)");
        }
        return new AdminEndpoint(baseUrl, settings.certificate(), settings.privateKey(), settings.caFile());
    }

    /**
     * Where the address came from, as the start of an error about it: the option, or the profile file and its
     * key, since "--url" would send the user looking for an option they never typed.
     */
    private String urlSource() {
        if (url == null && profile != null) {
            return "profile " + profile.toAbsolutePath().normalize() + ": url:";
        }
        if (url == null && devDirectory != null) {
            return "--dev " + devDirectory + ": admin API address";
        }
        return "--url";
    }

    /** The base address from {@code text}; an error starts with {@code source}, such as {@code --url}. */
    static URI baseUrl(String text, String source) throws AdminCommandException {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw usage(source + " " + text + " is not a URL (" + e.getReason() + "); write https://HOST:PORT");
        }
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw usage(source + " " + text + ": the admin API speaks only TLS; write https://HOST:PORT");
        }
        if (uri.getHost() == null) {
            throw usage(source + " " + text + " has no host name; write https://HOST:PORT");
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null
                || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw usage(source + " " + text + ": give only https://HOST:PORT; the command adds /api/v1/...");
        }
        try {
            return new URI("https", null, uri.getHost(), uri.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw usage(source + " " + text + " is not a URL (" + e.getReason() + "); write https://HOST:PORT");
        }
    }

    private static AdminCommandException usage(String message) {
        return new AdminCommandException(ExitCodes.USAGE, message);
    }
}
