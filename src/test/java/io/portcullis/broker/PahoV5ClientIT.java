package io.portcullis.broker;

import io.portcullis.testsupport.RunningBroker;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Eclipse Paho's MQTT 5 client against a real broker over mutual TLS: delivery at each QoS, CONNACK
 * refusal, properties passed through, retained messages, persistent sessions, message expiry and
 * session takeover. One broker serves the whole class; each test uses its own topics and client ids.
 */
class PahoV5ClientIT {
    private static final long WAIT_MILLIS = 10_000;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int SESSION_TAKEN_OVER = 0x8E;

    @TempDir
    static Path directory;
    static RunningBroker broker;

    private final List<MqttAsyncClient> clients = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RunningBroker.start(directory);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void closeClients() {
        for (MqttAsyncClient client : clients) {
            try {
                if (client.isConnected()) {
                    client.disconnect().waitForCompletion(WAIT_MILLIS);
                }
                client.close(true);
            } catch (MqttException e) {
                // The test already has its answer; a client that cannot close cleanly changes nothing.
            }
        }
        clients.clear();
    }

    @Test
    void deliversAtEveryQosBetweenTwoCertificates() throws Exception {
        Recorder subscriber = connected("client-2", "paho5-qos-sub", cleanStart());
        subscriber.subscribe(new MqttSubscription("paho5/qos/#", 2), new MqttProperties());
        Recorder publisher = connected("client-1", "paho5-qos-pub", cleanStart());

        for (int qos = 0; qos <= 2; qos++) {
            publisher.publish("paho5/qos/q" + qos, message("m" + qos, qos));
        }

        for (int qos = 0; qos <= 2; qos++) {
            Received received = subscriber.next();
            assertThat(received.topic()).isEqualTo("paho5/qos/q" + qos);
            assertThat(received.message().getQos()).isEqualTo(qos);
            assertThat(received.text()).isEqualTo("m" + qos);
        }
    }

    /**
     * Paho 1.2.5 keeps only the reason code of a refused CONNACK (its token has no response properties),
     * so the Reason String that comes with it is checked with the HiveMQ client in {@link HiveMqClientIT}.
     */
    @Test
    void refusesUsernameThatDoesNotMatchTheCertificate() throws Exception {
        MqttAsyncClient client = client("paho5-imposter", new Recorder());
        MqttConnectionOptions options = withCertificate("client-1", cleanStart());
        options.setUserName("client-2");

        IMqttToken token = client.connect(options);

        assertThatThrownBy(() -> token.waitForCompletion(WAIT_MILLIS))
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(NOT_AUTHORIZED));
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void passesUserPropertiesThroughInOrder() throws Exception {
        Recorder subscriber = connected("client-2", "paho5-props-sub", cleanStart());
        subscriber.subscribe(new MqttSubscription("paho5/props", 1), new MqttProperties());
        Recorder publisher = connected("client-1", "paho5-props-pub", cleanStart());
        MqttMessage message = message("with properties", 1);
        MqttProperties properties = new MqttProperties();
        // A repeated key and an order that is not alphabetical: both must survive [MQTT-3.3.2-18].
        properties.setUserProperties(List.of(new UserProperty("zone", "north"), new UserProperty("a", "1"),
                new UserProperty("zone", "south")));
        message.setProperties(properties);

        publisher.publish("paho5/props", message);

        Received received = subscriber.next();
        assertThat(received.message().getProperties().getUserProperties())
                .extracting(UserProperty::getKey, UserProperty::getValue)
                .containsExactly(tuple("zone", "north"), tuple("a", "1"), tuple("zone", "south"));
    }

    @Test
    void forwardsResponseTopicAndCorrelationDataForRequestResponse() throws Exception {
        Recorder responder = connected("client-2", "paho5-responder", cleanStart());
        responder.subscribe(new MqttSubscription("paho5/rr/request", 1), new MqttProperties());
        Recorder requester = connected("client-1", "paho5-requester", cleanStart());
        requester.subscribe(new MqttSubscription("paho5/rr/reply/requester", 1), new MqttProperties());
        MqttMessage request = message("what time is it", 1);
        MqttProperties requestProperties = new MqttProperties();
        requestProperties.setResponseTopic("paho5/rr/reply/requester");
        requestProperties.setCorrelationData(new byte[] {1, 2, 3, (byte) 0xFF});
        request.setProperties(requestProperties);

        requester.publish("paho5/rr/request", request);
        Received asked = responder.next();
        MqttProperties askedProperties = asked.message().getProperties();
        MqttMessage reply = message("noon", 1);
        MqttProperties replyProperties = new MqttProperties();
        replyProperties.setCorrelationData(askedProperties.getCorrelationData());
        reply.setProperties(replyProperties);
        responder.publish(askedProperties.getResponseTopic(), reply);

        assertThat(askedProperties.getResponseTopic()).isEqualTo("paho5/rr/reply/requester");
        assertThat(askedProperties.getCorrelationData()).containsExactly(1, 2, 3, 0xFF);
        Received answer = requester.next();
        assertThat(answer.topic()).isEqualTo("paho5/rr/reply/requester");
        assertThat(answer.text()).isEqualTo("noon");
        assertThat(answer.message().getProperties().getCorrelationData()).containsExactly(1, 2, 3, 0xFF);
    }

    @Test
    void echoesSubscriptionIdentifiersOfEveryMatchingSubscription() throws Exception {
        Recorder subscriber = connected("client-2", "paho5-sid-sub", cleanStart());
        subscriber.subscribe(new MqttSubscription("paho5/sid/#", 1), subscriptionIdentifier(7));
        subscriber.subscribe(new MqttSubscription("paho5/sid/+/x", 1), subscriptionIdentifier(42));
        Recorder publisher = connected("client-1", "paho5-sid-pub", cleanStart());

        publisher.publish("paho5/sid/only-first", message("one", 1));
        Received first = subscriber.next();
        publisher.publish("paho5/sid/a/x", message("both", 1));
        Received both = subscriber.next();

        assertThat(first.topic()).isEqualTo("paho5/sid/only-first");
        assertThat(first.message().getProperties().getSubscriptionIdentifiers()).containsExactly(7);
        // Overlapping subscriptions: one copy carrying both identifiers [MQTT-3.3.4-3].
        assertThat(both.topic()).isEqualTo("paho5/sid/a/x");
        assertThat(both.message().getProperties().getSubscriptionIdentifiers()).containsExactlyInAnyOrder(7, 42);
        assertThat(subscriber.messages.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void deliversRetainedMessageToLateSubscriberWithRetainSet() throws Exception {
        Recorder publisher = connected("client-1", "paho5-retain-pub", cleanStart());
        MqttMessage retained = message("last known", 1);
        retained.setRetained(true);
        publisher.publish("paho5/retained/state", retained);

        Recorder subscriber = connected("client-2", "paho5-retain-sub", cleanStart());
        subscriber.subscribe(new MqttSubscription("paho5/retained/#", 1), new MqttProperties());

        Received received = subscriber.next();
        assertThat(received.topic()).isEqualTo("paho5/retained/state");
        assertThat(received.text()).isEqualTo("last known");
        assertThat(received.message().isRetained()).isTrue();

        // A message published while subscribed arrives with RETAIN 0 (Retain As Published is off) [MQTT-3.3.1-12].
        publisher.publish("paho5/retained/state", retained);
        Received live = subscriber.next();
        assertThat(live.message().isRetained()).isFalse();
    }

    @Test
    void persistentSessionReceivesQos1MessagesPublishedWhileOffline() throws Exception {
        MqttConnectionOptions persistent = persistentSession();
        Recorder first = connected("client-2", "paho5-persistent", persistent);
        first.subscribe(new MqttSubscription("paho5/offline/#", 1), new MqttProperties());
        first.client.disconnect().waitForCompletion(WAIT_MILLIS);
        Recorder publisher = connected("client-1", "paho5-offline-pub", cleanStart());

        publisher.publish("paho5/offline/a", message("while away 1", 1));
        publisher.publish("paho5/offline/b", message("while away 2", 1));
        Recorder again = new Recorder();
        MqttAsyncClient client = client("paho5-persistent", again);
        IMqttToken connected = client.connect(withCertificate("client-2", persistentSession()));
        connected.waitForCompletion(WAIT_MILLIS);

        assertThat(connected.getSessionPresent()).isTrue();
        assertThat(again.next().text()).isEqualTo("while away 1");
        Received second = again.next();
        assertThat(second.text()).isEqualTo("while away 2");
        assertThat(second.message().getQos()).isEqualTo(1);
    }

    @Test
    void dropsRetainedAndQueuedMessagesOnceTheirExpiryHasPassed() throws Exception {
        Recorder offline = connected("client-2", "paho5-expiry-queue", persistentSession());
        offline.subscribe(new MqttSubscription("paho5/expiry/queued", 1), new MqttProperties());
        offline.client.disconnect().waitForCompletion(WAIT_MILLIS);
        Recorder publisher = connected("client-1", "paho5-expiry-pub", cleanStart());

        MqttMessage retainedShortLived = expiring("retained short", 1);
        retainedShortLived.setRetained(true);
        publisher.publish("paho5/expiry/retained/short", retainedShortLived);
        MqttMessage retainedLasting = message("retained lasting", 1);
        retainedLasting.setRetained(true);
        publisher.publish("paho5/expiry/retained/lasting", retainedLasting);
        publisher.publish("paho5/expiry/queued", expiring("queued short", 1));
        publisher.publish("paho5/expiry/queued", message("queued lasting", 1));
        // Expiry is whole seconds measured by the broker's clock; nothing to poll for but time passing.
        Thread.sleep(1_500);

        Recorder late = connected("client-3", "paho5-expiry-late", cleanStart());
        late.subscribe(new MqttSubscription("paho5/expiry/retained/#", 1), new MqttProperties());
        Recorder back = new Recorder();
        client("paho5-expiry-queue", back).connect(withCertificate("client-2", persistentSession()))
                .waitForCompletion(WAIT_MILLIS);

        assertThat(late.next().text()).isEqualTo("retained lasting");
        assertThat(back.next().text()).isEqualTo("queued lasting");
        assertThat(late.messages.poll(300, TimeUnit.MILLISECONDS)).isNull();
        assertThat(back.messages.poll(10, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void secondConnectionWithTheSameClientIdTakesOverAndTheFirstIsToldWhy() throws Exception {
        Recorder first = connected("client-1", "paho5-takeover", cleanStart());

        Recorder second = connected("client-1", "paho5-takeover", cleanStart());

        MqttDisconnectResponse disconnect = first.disconnects.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        assertThat(disconnect).isNotNull();
        assertThat(disconnect.getReturnCode()).isEqualTo(SESSION_TAKEN_OVER);
        assertThat(first.client.isConnected()).isFalse();
        assertThat(second.client.isConnected()).isTrue();
    }

    private MqttAsyncClient client(String clientId, Recorder recorder) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient(broker.mqttsUri(), clientId, new MemoryPersistence());
        client.setCallback(recorder);
        recorder.client = client;
        clients.add(client);
        return client;
    }

    private Recorder connected(String certificateName, String clientId, MqttConnectionOptions options)
            throws Exception {
        Recorder recorder = new Recorder();
        client(clientId, recorder).connect(withCertificate(certificateName, options)).waitForCompletion(WAIT_MILLIS);
        return recorder;
    }

    private static MqttConnectionOptions withCertificate(String certificateName, MqttConnectionOptions options)
            throws Exception {
        options.setSocketFactory(broker.clientSslContext(certificateName).getSocketFactory());
        return options;
    }

    private static MqttConnectionOptions cleanStart() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(false);
        return options;
    }

    private static MqttConnectionOptions persistentSession() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(60L);
        options.setAutomaticReconnect(false);
        return options;
    }

    private static MqttMessage message(String text, int qos) {
        MqttMessage message = new MqttMessage(text.getBytes(StandardCharsets.UTF_8));
        message.setQos(qos);
        return message;
    }

    private static MqttMessage expiring(String text, int qos) {
        MqttMessage message = message(text, qos);
        MqttProperties properties = new MqttProperties();
        properties.setMessageExpiryInterval(1L);
        message.setProperties(properties);
        return message;
    }

    private static MqttProperties subscriptionIdentifier(int identifier) {
        MqttProperties properties = new MqttProperties();
        properties.setSubscriptionIdentifier(identifier);
        return properties;
    }

    private record Received(String topic, MqttMessage message) {
        String text() {
            return new String(message.getPayload(), StandardCharsets.UTF_8);
        }
    }

    /** Records what one client receives; Paho calls it on its callback thread. */
    private static final class Recorder implements MqttCallback {
        final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<MqttDisconnectResponse> disconnects = new LinkedBlockingQueue<>();
        MqttAsyncClient client;

        void subscribe(MqttSubscription subscription, MqttProperties properties) throws MqttException {
            IMqttToken token = client.subscribe(new MqttSubscription[] {subscription}, null, null, properties);
            token.waitForCompletion(WAIT_MILLIS);
            assertThat(token.getReasonCodes()).containsExactly(subscription.getQos());
        }

        void publish(String topic, MqttMessage message) throws MqttException {
            client.publish(topic, message).waitForCompletion(WAIT_MILLIS);
        }

        Received next() throws InterruptedException {
            Received received = messages.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            assertThat(received).as("a message within %d ms", WAIT_MILLIS).isNotNull();
            return received;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            messages.add(new Received(topic, message));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnects.add(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }
}
