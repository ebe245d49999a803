package io.portcullis.cli;

import io.portcullis.auth.SubjectNameMatch;
import io.portcullis.config.BrokerConfig;
import io.portcullis.config.CaCertificateConfig;
import io.portcullis.config.ConfigWriter;
import io.portcullis.config.ListenerConfig;
import io.portcullis.config.ListenersConfig;
import io.portcullis.config.MqttSettings;
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
 * {@code #} bound to {@code $all} for both directions, and a durable store in {@code DIR/data}. Tests start
 * from it too.
 */
public final class DevConfiguration {
    private DevConfiguration() {
    }

    /** The dev configuration as YAML, with paths relative to the PKI directory. */
    public static String yaml(DevPki.Layout pki, int mqttsPort, int wssPort) throws IOException {
        return ConfigWriter.toYaml(build(pki, mqttsPort, wssPort), pki.directory());
    }

    public static BrokerConfig build(DevPki.Layout pki, int mqttsPort, int wssPort) throws IOException {
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
        return new BrokerConfig(listeners, tls, MqttSettings.DEFAULTS, namespace, SubjectNameMatch.CommonName,
                List.of(root), registered, List.of(), List.of(everything), bindings,
                StorageConfig.rocksDb(pki.directory().resolve("data")));
    }

}
