package io.portcullis.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.auth.TrustSeparation;
import io.portcullis.config.PemMaterial.PemException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the certificate-lifecycle parts of the configuration file: {@code listeners.acceptLimits},
 * the TLS extras ({@code certificateExpiryWarning}, {@code sessionTickets}, {@code ocspStapling}),
 * {@code revocation} and {@code admin}. Each problem names the key and the fix. Single-threaded, used
 * while loading.
 */
final class LifecycleSectionReader {
    private static final Pattern THUMBPRINT = Pattern.compile("[0-9A-Fa-f]{64}");

    private final Path baseDirectory;

    LifecycleSectionReader(Path baseDirectory) {
        this.baseDirectory = baseDirectory;
    }

    AcceptLimits acceptLimits(Section section) {
        AcceptLimits defaults = AcceptLimits.DEFAULTS;
        AcceptLimits limits = new AcceptLimits(
                (int) section.number("perSecond", 1, 1_000_000, defaults.perSecond()),
                (int) section.number("burst", 1, 1_000_000, defaults.burst()),
                (int) section.number("perSourcePerSecond", 1, 1_000_000, defaults.perSourcePerSecond()),
                (int) section.number("perSourceBurst", 1, 1_000_000, defaults.perSourceBurst()),
                (int) section.number("maximumHandshakesInProgress", 1, 1_000_000,
                        defaults.maximumHandshakesInProgress()),
                (int) section.number("maximumHandshakesInProgressPerSource", 0, 1_000_000,
                        defaults.maximumHandshakesInProgressPerSource()));
        section.rejectUnknownKeys();
        return limits;
    }

    Duration expiryWarning(Section tls) {
        return tls.duration("certificateExpiryWarning", Duration.ofHours(1), Duration.ofDays(3650),
                TlsConfig.DEFAULT_EXPIRY_WARNING);
    }

    SessionTicketConfig sessionTickets(Section section) {
        SessionTicketConfig defaults = SessionTicketConfig.DEFAULTS;
        SessionTicketConfig tickets = new SessionTicketConfig(section.bool("enabled", defaults.enabled()),
                section.duration("keyRotationInterval", Duration.ofMinutes(1), Duration.ofDays(7),
                        defaults.keyRotationInterval()),
                section.duration("lifetime", Duration.ofMinutes(1), Duration.ofDays(7), defaults.lifetime()));
        section.rejectUnknownKeys();
        return tickets;
    }

    OcspStaplingConfig ocspStapling(Section section) {
        boolean enabled = section.bool("enabled", false);
        URI responder = httpUrl(section, "responderUrl");
        section.rejectUnknownKeys();
        return new OcspStaplingConfig(enabled, responder);
    }

    RevocationConfig revocation(Section section) {
        RevocationConfig defaults = RevocationConfig.DISABLED;
        List<Path> crlFiles = new ArrayList<>();
        List<JsonNode> items = section.list("crlFiles");
        for (int i = 0; i < items.size(); i++) {
            String key = section.key("crlFiles") + "[" + i + "]";
            Path file = crlFile(items.get(i), key, section.problems());
            if (file != null) {
                crlFiles.add(file);
            }
        }
        boolean distributionPoints = section.bool("crlDistributionPoints", defaults.crlDistributionPoints());
        Duration crlCacheTime = section.duration("crlCacheTime", Duration.ofMinutes(1), Duration.ofDays(7),
                defaults.crlCacheTime());
        Section ocsp = section.section("ocsp");
        boolean ocspEnabled = ocsp.bool("enabled", false);
        URI responder = httpUrl(ocsp, "responderUrl");
        Duration ocspCacheTime = ocsp.duration("cacheTime", Duration.ofSeconds(1), Duration.ofDays(7),
                defaults.ocspCacheTime());
        ocsp.rejectUnknownKeys();
        Duration fetchTimeout = section.duration("fetchTimeout", Duration.ofMillis(100), Duration.ofMinutes(1),
                defaults.fetchTimeout());
        RevocationFailurePolicy policy = section.choice("whenUnavailable", RevocationFailurePolicy.class, Enum::name,
                defaults.whenUnavailable());
        Duration recheck = section.duration("liveSessionRecheckInterval", Duration.ofSeconds(1), Duration.ofDays(1),
                defaults.liveSessionRecheckInterval());
        section.rejectUnknownKeys();
        return new RevocationConfig(crlFiles, distributionPoints, crlCacheTime, ocspEnabled, responder, ocspCacheTime,
                fetchTimeout, policy, recheck);
    }

    /** The CRL file's absolute path after checking that it holds at least one CRL, or {@code null}. */
    private Path crlFile(JsonNode value, String key, Problems problems) {
        if (!value.isTextual() || value.asText().isBlank()) {
            problems.add(key, "expected a file path, found " + Section.describe(value),
                    "write the path of a CRL file (PEM or DER), relative to the configuration file");
            return null;
        }
        Path path;
        try {
            path = baseDirectory.resolve(value.asText()).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            problems.add(key, "'" + value.asText() + "' is not a valid file path",
                    "write a path relative to the configuration file's directory, or an absolute path");
            return null;
        }
        try {
            byte[] bytes = Files.readAllBytes(path);
            Collection<? extends CRL> crls = CertificateFactory.getInstance("X.509")
                    .generateCRLs(new ByteArrayInputStream(bytes));
            if (crls.isEmpty()) {
                problems.add(key, "file " + path + " holds no CRL", "point it at a PEM ('-----BEGIN X509 CRL-----')"
                        + " or DER certificate revocation list, for example one written by 'portcullis pki'");
                return null;
            }
        } catch (NoSuchFileException e) {
            problems.add(key, "file " + path + " does not exist", "create it, or correct the path (relative paths"
                    + " start at the configuration file's directory " + baseDirectory + ")");
            return null;
        } catch (IOException e) {
            problems.add(key, "file " + path + " cannot be read (" + e.getClass().getSimpleName() + ")",
                    "check that the broker's user may read it");
            return null;
        } catch (CRLException | CertificateException e) {
            problems.add(key, "file " + path + " is not a valid CRL (" + e.getMessage() + ")",
                    "point it at a PEM or DER certificate revocation list");
            return null;
        }
        return path;
    }

    /** The admin section; an admin CA may not be one of {@code deviceCas}, the registered CA certificates. */
    AdminConfig admin(Section section, List<CaCertificateConfig> deviceCas) {
        AdminConfig defaults = AdminConfig.DISABLED;
        boolean enabled = section.bool("enabled", defaults.enabled());
        String bindAddress = section.text("bindAddress", defaults.bindAddress());
        int port = (int) section.number("port", 0, 65_535, defaults.port());
        List<Path> files = new ArrayList<>();
        List<X509Certificate> certificates = new ArrayList<>();
        String listKey = section.key("caCertificates");
        List<JsonNode> items = section.list("caCertificates");
        for (int i = 0; i < items.size(); i++) {
            String key = listKey + "[" + i + "]";
            JsonNode item = items.get(i);
            if (!item.isTextual()) {
                section.problems().add(key, "expected a file path, found " + Section.describe(item),
                        "write the path of a PEM file holding the admin CA certificate");
                continue;
            }
            ConfigFiles.FileText text = ConfigFiles.read(baseDirectory, item.asText(), key, section.problems());
            if (text == null) {
                continue;
            }
            try {
                List<X509Certificate> read = PemMaterial.certificates(text.text());
                for (X509Certificate certificate : read) {
                    if (certificate.getVersion() >= 3 && certificate.getBasicConstraints() < 0) {
                        section.problems().add(key, "file " + text.path() + " holds a certificate that is not a"
                                + " CA (" + certificate.getSubjectX500Principal().getName() + ")",
                                "list the CA that issues admin certificates; admit a single admin certificate"
                                        + " with admin.thumbprints instead");
                    }
                    for (CaCertificateConfig device : deviceCas) {
                        if (device.certificate().equals(certificate)) {
                            section.problems().add(key, "is also registered for devices as caCertificates '"
                                    + device.name() + "'", "issue admin certificates from a separate CA"
                                    + " (portcullis pki ca create --name admin-ca)");
                        } else if (TrustSeparation.isIssuedBy(certificate, device.certificate())) {
                            section.problems().add(key, "was issued by the device CA caCertificates '"
                                    + device.name() + "', so its certificates reach device trust", "issue admin"
                                    + " certificates from a separate CA (portcullis pki ca create --name admin-ca)");
                        }
                    }
                }
                files.add(text.path());
                certificates.addAll(read);
            } catch (PemException e) {
                section.problems().add(key, "file " + text.path() + " " + e.getMessage(),
                        "give the admin CA certificate in PEM form");
            }
        }
        Set<String> thumbprints = new LinkedHashSet<>();
        String thumbprintKey = section.key("thumbprints");
        List<JsonNode> prints = section.list("thumbprints");
        for (int i = 0; i < prints.size(); i++) {
            JsonNode item = prints.get(i);
            if (!item.isTextual() || !THUMBPRINT.matcher(item.asText()).matches()) {
                section.problems().add(thumbprintKey + "[" + i + "]", Section.describe(item)
                        + " is not a SHA-256 thumbprint", "write 64 hex digits without separators"
                        + " ('portcullis pki thumbprint FILE' prints it)");
                continue;
            }
            thumbprints.add(item.asText().toUpperCase(Locale.ROOT));
        }
        section.rejectUnknownKeys();
        if (enabled && certificates.isEmpty() && thumbprints.isEmpty() && items.isEmpty() && prints.isEmpty()) {
            section.problems().add(section.path(), "is enabled but trusts no admin certificate",
                    "list admin.caCertificates (the CA of your admin certificates) or admin.thumbprints;"
                            + " device CAs are never trusted for the admin API");
        }
        return new AdminConfig(enabled, bindAddress, port, files, certificates, List.copyOf(thumbprints));
    }

    private static URI httpUrl(Section section, String name) {
        String value = section.text(name, "");
        if (value.isBlank()) {
            return null;
        }
        try {
            URI uri = new URI(value);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())
                    || uri.getHost() == null) {
                section.problems().add(section.key(name), "'" + value + "' is not an http(s) URL",
                        "write the responder's URL, for example http://ocsp.example.com/");
                return null;
            }
            return uri;
        } catch (URISyntaxException e) {
            section.problems().add(section.key(name), "'" + value + "' is not a valid URL (" + e.getReason() + ")",
                    "write the responder's URL, for example http://ocsp.example.com/");
            return null;
        }
    }
}
