package io.portcullis.testsupport;

import io.portcullis.authorization.RegistryPermissionEvaluator;
import io.portcullis.broker.Broker;
import io.portcullis.broker.Configurations;
import io.portcullis.cli.DevConfiguration;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.ConfigWriter;
import io.portcullis.config.LoadedConfig;
import io.portcullis.config.StorageConfig;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A whole broker for integration tests, started the way {@code portcullis serve} starts one: a dev PKI
 * generated for the run, the dev configuration (optionally changed by the test) written to a YAML file
 * and loaded back with every check, and both listeners on 127.0.0.1 with ephemeral ports. Sessions and
 * retained messages are kept in memory unless the customizer sets durable storage.
 */
public final class RunningBroker implements AutoCloseable {
    private static final char[] STORE_PASSWORD = "test".toCharArray();

    private final DevPki.Layout pki;
    private final Path configFile;
    private final Broker broker;

    private RunningBroker(DevPki.Layout pki, Path configFile, Broker broker) {
        this.pki = pki;
        this.configFile = configFile;
        this.broker = broker;
    }

    /** Starts the plain dev configuration in {@code directory}. */
    public static RunningBroker start(Path directory) throws Exception {
        return start(directory, UnaryOperator.identity());
    }

    /**
     * Starts the dev configuration as changed by {@code customizer} (which sees ports 0 and the dev PKI's
     * clients client-1..client-4 and selfsigned-1).
     */
    public static RunningBroker start(Path directory, UnaryOperator<BrokerConfig> customizer) throws Exception {
        DevPki.Layout pki = DevPki.ensure(directory, 4);
        BrokerConfig config = customizer.apply(DevConfiguration.build(pki, 0, 0, 0).withStorage(StorageConfig.MEMORY));
        Path configFile = directory.resolve("portcullis.yaml");
        writeConfig(configFile, config, directory);
        LoadedConfig loaded = Configurations.load(configFile);
        return new RunningBroker(pki, configFile, Broker.start(loaded, new RegistryPermissionEvaluator()));
    }

    /** Writes a configuration the way a user would edit the file. */
    public static void writeConfig(Path file, BrokerConfig config, Path directory) throws Exception {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, ConfigWriter.toYaml(config, directory), StandardCharsets.UTF_8);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public Broker broker() {
        return broker;
    }

    public DevPki.Layout pki() {
        return pki;
    }

    public Path configFile() {
        return configFile;
    }

    public int mqttsPort() {
        return broker.mqttsPort();
    }

    public int webSocketPort() {
        return broker.webSocketPort();
    }

    public String mqttsUri() {
        return "ssl://localhost:" + mqttsPort();
    }

    public Path caFile() {
        return pki.caFile();
    }

    /** The certificate and key files of a dev client ({@code client-1}.. or {@code selfsigned-1}). */
    public DevPki.CertificateFiles clientFiles(String name) {
        if (name.equals(pki.selfSignedClient().name())) {
            return pki.selfSignedClient().files();
        }
        return pki.clients().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no dev client " + name)).files();
    }

    /** A TLS context that trusts the dev CA and presents the named dev client's certificate chain. */
    public SSLContext clientSslContext(String name) throws Exception {
        DevPki.CertificateFiles files = clientFiles(name);
        return sslContext(PemFiles.readCertificates(files.certificate()), PemFiles.readPrivateKey(files.privateKey()),
                caFile());
    }

    /** A TLS context presenting any chain and key (for certificates a test made itself). */
    public static SSLContext sslContext(List<X509Certificate> chain, PrivateKey key, Path trustedCa) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", key, STORE_PASSWORD, chain.toArray(new Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, STORE_PASSWORD);

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (X509Certificate ca : PemFiles.readCertificates(trustedCa)) {
            trust.setCertificateEntry("ca-" + i++, ca);
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);

        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() {
        broker.close();
    }
}
