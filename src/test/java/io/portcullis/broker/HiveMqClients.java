package io.portcullis.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.portcullis.pki.DevPki;
import io.portcullis.pki.PemFiles;
import io.portcullis.testsupport.RunningBroker;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Builds HiveMQ MQTT clients (not yet connected) for a test broker's MQTT over TLS listener, with key
 * and trust managers made from the dev PKI's PEM files the way an application would make them.
 */
final class HiveMqClients {
    private static final char[] STORE_PASSWORD = "hivemq-it".toCharArray();

    private HiveMqClients() {
    }

    static Mqtt5BlockingClient mqtt5(RunningBroker broker, String certificateName, String clientId)
            throws Exception {
        TlsManagers tls = tlsManagers(broker, certificateName);
        return MqttClient.builder().useMqttVersion5().identifier(clientId)
                .serverHost("localhost").serverPort(broker.mqttsPort())
                .sslConfig().keyManagerFactory(tls.keys()).trustManagerFactory(tls.trust()).applySslConfig()
                .buildBlocking();
    }

    static Mqtt3BlockingClient mqtt3(RunningBroker broker, String certificateName, String clientId)
            throws Exception {
        TlsManagers tls = tlsManagers(broker, certificateName);
        return MqttClient.builder().useMqttVersion3().identifier(clientId)
                .serverHost("localhost").serverPort(broker.mqttsPort())
                .sslConfig().keyManagerFactory(tls.keys()).trustManagerFactory(tls.trust()).applySslConfig()
                .buildBlocking();
    }

    private record TlsManagers(KeyManagerFactory keys, TrustManagerFactory trust) {
    }

    /** Key managers presenting the named dev client's chain, trust managers holding the dev CA. */
    private static TlsManagers tlsManagers(RunningBroker broker, String certificateName) throws Exception {
        DevPki.CertificateFiles files = broker.clientFiles(certificateName);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("client", PemFiles.readPrivateKey(files.privateKey()), STORE_PASSWORD,
                PemFiles.readCertificates(files.certificate()).toArray(new Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(keyStore, STORE_PASSWORD);

        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        List<X509Certificate> authorities = PemFiles.readCertificates(broker.caFile());
        for (int i = 0; i < authorities.size(); i++) {
            trustStore.setCertificateEntry("ca-" + i, authorities.get(i));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        return new TlsManagers(keys, trust);
    }
}
