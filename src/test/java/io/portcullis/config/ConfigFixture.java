package io.portcullis.config;

import io.portcullis.testsupport.TestCertificates;
import io.portcullis.testsupport.TestCertificates.Issued;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a test PKI into a directory and composes configuration files from named top-level sections,
 * so a test can replace one section of an otherwise valid file.
 */
final class ConfigFixture {
    static final Issued ROOT = TestCertificates.rootCa("Config Root");
    static final Issued INTERMEDIATE = TestCertificates.intermediateCa("Config Intermediate", ROOT);
    static final Issued SERVER_EC = TestCertificates.certificate("CN=broker.test").issuer(ROOT)
            .keyPair(TestCertificates.ecKeyPair("secp384r1")).dns("broker.test").build();
    static final Issued SERVER_RSA = TestCertificates.certificate("CN=broker.test").issuer(ROOT)
            .keyPair(TestCertificates.rsaKeyPair(2048)).dns("broker.test").build();
    static final Issued CLIENT = TestCertificates.certificate("CN=client-1").issuer(INTERMEDIATE).build();

    final Path directory;

    ConfigFixture(Path directory) {
        this.directory = directory;
        write("pki/root.pem", TestCertificates.pem(ROOT));
        write("pki/intermediate.pem", TestCertificates.pem(INTERMEDIATE));
        write("pki/client.pem", TestCertificates.pem(CLIENT));
        write("server/server-ec.crt", TestCertificates.pem(SERVER_EC, ROOT));
        write("server/server-ec.key", pkcs8(SERVER_EC.privateKey()));
        write("server/server-rsa.crt", TestCertificates.pem(SERVER_RSA, ROOT));
        write("server/server-rsa.key", pkcs8(SERVER_RSA.privateKey()));
    }

    /** The sections of a valid file, in order; tests replace or remove entries. */
    static Map<String, String> validSections() {
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put("listeners", """
                listeners:
                  mqtts: { port: 18883, bindAddress: 127.0.0.1 }
                  websocket: { port: 18443, bindAddress: 127.0.0.1, path: /mqtt, maxFrameSize: 65536 }
                """);
        sections.put("tls", """
                tls:
                  engine: jdk
                  handshakeTimeout: 5s
                  serverCertificates:
                    - { certificate: server/server-ec.crt, privateKey: server/server-ec.key }
                    - { certificate: server/server-rsa.crt, privateKey: server/server-rsa.key }
                """);
        sections.put("mqtt", """
                mqtt:
                  maximumPacketSize: 524288
                  connectTimeout: 500ms
                  maximumSessionExpirySeconds: 28800
                  queueOverflowPolicy: DropNewest
                  slowSubscriberGracePeriod: 2m
                  sharedSubscriptionsEnabled: false
                """);
        sections.put("namespace", """
                namespace:
                  alternativeAuthenticationNameSources: [ClientCertificateSubject, ClientCertificateDns]
                  maximumClientSessionsPerAuthenticationName: 5
                """);
        sections.put("caCertificates", """
                caCertificates:
                  - name: dev-intermediate
                    description: "issues device certificates"
                    certificate: pki/intermediate.pem
                """);
        sections.put("clients", """
                clients:
                  - name: client-1
                    state: Enabled
                    clientCertificateAuthentication: { validationScheme: SubjectMatchesAuthenticationName }
                    attributes: { type: sensor, floor: 3, roles: [a, b], code: "7" }
                  - name: pump.7
                    authenticationName: Pump-Seven
                    state: Disabled
                    description: a pump
                    clientCertificateAuthentication:
                      validationScheme: ThumbprintMatch
                      allowedThumbprints: [%s]
                """.formatted("ab".repeat(32)));
        sections.put("clientGroups", """
                clientGroups:
                  - { name: sensors, query: "attributes.type = 'sensor'" }
                """);
        sections.put("topicSpaces", """
                topicSpaces:
                  - name: everything
                    topicTemplates: ["#"]
                  - name: own-telemetry
                    topicTemplates: ["telemetry/${client.authenticationName}/#"]
                """);
        sections.put("permissionBindings", """
                permissionBindings:
                  - { name: all-pub, clientGroupName: $all, topicSpaceName: everything, permission: Publisher }
                  - name: sensors-sub
                    clientGroupName: sensors
                    topicSpaceName: own-telemetry
                    permission: Subscriber
                """);
        return sections;
    }

    static String yaml(Map<String, String> sections) {
        return String.join("", sections.values());
    }

    Path writeConfig(String yaml) {
        return write("portcullis.yaml", yaml);
    }

    Path write(String relative, String text) {
        try {
            Path file = directory.resolve(relative);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String pkcs8(PrivateKey key) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
