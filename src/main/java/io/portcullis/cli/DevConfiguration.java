package io.portcullis.cli;

import io.portcullis.auth.SubjectNameMatch;
import io.portcullis.config.AdminConfig;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.CaCertificateConfig;
import io.portcullis.config.ConfigWriter;
import io.portcullis.config.ListenerConfig;
import io.portcullis.config.ListenersConfig;
import io.portcullis.config.MqttSettings;
import io.portcullis.config.RevocationConfig;
import io.portcullis.config.RevocationFailurePolicy;
import io.portcullis.config.ServerCertificateConfig;
import io.portcullis.config.ServerKeyType;
import io.portcullis.config.StorageConfig;
import io.portcullis.config.TlsConfig;
import io.portcullis.config.TlsEngine;
import io.portcullis.config.WebSocketListenerConfig;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;
import io.portcullis.registry.AuthenticationNameSource;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.Permission;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.TopicSpace;
import io.portcullis.registry.ValidationScheme;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The configuration {@code portcullis dev} serves: listeners on 127.0.0.1, the dev PKI's server
 * certificates, the dev root CA registered, every dev client registered (the self-signed one by
 * thumbprint), names read from the certificate subject when Username is absent, and one topic space
 * {@code #} bound to {@code $all} for both directions, a durable store in {@code DIR/data}, the dev CRL
 * checked fail-closed, and the admin API on 127.0.0.1 trusting only the dev admin CA. Tests start from it too.
 */
public final class DevConfiguration {
    private DevConfiguration() {
    }

    /** The dev configuration as YAML, with paths relative to the PKI directory. */
    public static String yaml(DevPki.Layout pki, int mqttsPort, int wssPort, int adminPort) throws IOException {
        return ConfigWriter.toYaml(build(pki, mqttsPort, wssPort, adminPort), pki.directory());
    }

    /** The dev configuration with the admin API on an ephemeral port, so parallel test brokers never collide. */
    public static BrokerConfig build(DevPki.Layout pki, int mqttsPort, int wssPort) throws IOException {
        return build(pki, mqttsPort, wssPort, 0);
    }

    /** The dev configuration; each port may be 0 for a free one. */
    public static BrokerConfig build(DevPki.Layout pki, int mqttsPort, int wssPort, int adminPort)
            throws IOException {
        ListenersConfig listeners = new ListenersConfig(
                new ListenerConfig(true, "127.0.0.1", mqttsPort),
                new WebSocketListenerConfig(true, "127.0.0.1", wssPort, WebSocketListenerConfig.DEFAULTS.path(),
                        WebSocketListenerConfig.DEFAULTS.maxFrameSize()));
        TlsConfig tls = new TlsConfig(TlsEngine.AUTO, TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT, List.of(
                new ServerCertificateConfig(pki.serverEc().certificate(), pki.serverEc().privateKey(),
                        ServerKeyType.EC_P384),
                new ServerCertificateConfig(pki.serverRsa().certificate(), pki.serverRsa().privateKey(),
                        ServerKeyType.RSA)));
        // Without a Username the name comes from the certificate subject, so plain
        // `mosquitto_pub --cert --key` works; 100 sessions per name lets one certificate run many tools.
        NamespaceSettings namespace = new NamespaceSettings(
                List.of(AuthenticationNameSource.ClientCertificateSubject), 100);
        CaCertificateConfig root = new CaCertificateConfig("dev-root-ca",
                "Root of the dev PKI; clients send their intermediate", pki.caFile(),
                PemFiles.readCertificates(pki.caFile()).get(0));

        List<Client> registered = new ArrayList<>();
        for (DevPki.ClientFiles client : pki.clients()) {
            registered.add(new Client(client.name(), client.name(), ValidationScheme.SubjectMatchesAuthenticationName,
                    List.of(), ClientState.Enabled, Map.of(), "Dev client signed by the dev intermediate CA"));
        }
        DevPki.ClientFiles selfSigned = pki.selfSignedClient();
        registered.add(new Client(selfSigned.name(), selfSigned.name(), ValidationScheme.ThumbprintMatch,
                List.of(selfSigned.thumbprint()), ClientState.Enabled, Map.of(),
                "Dev client with a self-signed certificate, registered by thumbprint"));

        TopicSpace everything = new TopicSpace("everything", List.of("#"),
                "Every topic outside the reserved $ topics");
        List<PermissionBinding> bindings = List.of(
                new PermissionBinding("all-publish", ClientGroup.ALL, everything.name(), Permission.Publisher,
                        "Every client may publish everywhere"),
                new PermissionBinding("all-subscribe", ClientGroup.ALL, everything.name(), Permission.Subscriber,
                        "Every client may subscribe everywhere"));
        // Fail closed: DevPki re-issues the CRL well before its nextUpdate, so it never goes stale under dev.
        RevocationConfig revocation = new RevocationConfig(List.of(pki.crlFile()), false,
                RevocationConfig.DEFAULT_CRL_CACHE_TIME, false, null, RevocationConfig.DEFAULT_OCSP_CACHE_TIME,
                RevocationConfig.DEFAULT_FETCH_TIMEOUT, RevocationFailurePolicy.FailClosed,
                RevocationConfig.DEFAULT_RECHECK_INTERVAL);
        // The admin API trusts its own CA only; the device CAs above never open it.
        AdminConfig admin = new AdminConfig(true, AdminConfig.DEFAULT_BIND_ADDRESS, adminPort,
                List.of(pki.adminCaFile()), PemFiles.readCertificates(pki.adminCaFile()), List.of());
        return new BrokerConfig(listeners, tls, MqttSettings.DEFAULTS, namespace, SubjectNameMatch.CommonName,
                List.of(root), registered, List.of(), List.of(everything), bindings,
                StorageConfig.rocksDb(pki.directory().resolve("data")))
                .withRevocation(revocation)
                .withAdmin(admin);
    }

}
