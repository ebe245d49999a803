package io.portcullis.broker;

import com.hivemq.client.internal.mqtt.datatypes.MqttTopicFilterImpl;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopicFilter;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5RetainHandling;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.portcullis.testsupport.RunningBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The HiveMQ MQTT client (MQTT 5 and 3.1.1 blocking APIs) against a real broker over mutual TLS, with
 * key and trust managers built from the dev PKI's PEM files ({@link HiveMqClients}).
 * One broker serves the whole class; each test uses its own topics and client ids.
 */
class HiveMqClientIT {
    private static final long WAIT_SECONDS = 10;

    @TempDir
    static Path directory;
    static RunningBroker broker;

    private final HiveMqConnections clients = new HiveMqConnections();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RunningBroker.start(directory);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @AfterEach
    void disconnectClients() {
        clients.close();
    }

    @Test
    void deliversQos2WithMqtt5() throws Exception {
        Mqtt5BlockingClient subscriber = connected5("client-2", "hive5-qos2-sub");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("hive5/qos2").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt5BlockingClient publisher = connected5("client-1", "hive5-qos2-pub");

            publisher.publishWith().topic("hive5/qos2").qos(MqttQos.EXACTLY_ONCE)
                    .payload(bytes("exactly once 5")).send();

            Mqtt5Publish received = next(publishes);
            assertThat(received.getTopic().toString()).isEqualTo("hive5/qos2");
            assertThat(received.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(text(received.getPayloadAsBytes())).isEqualTo("exactly once 5");
        }
    }

    @Test
    void deliversQos2WithMqtt3() throws Exception {
        Mqtt3BlockingClient subscriber = connected3("client-2", "hive3-qos2-sub");
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("hive3/qos2").qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt3BlockingClient publisher = connected3("client-1", "hive3-qos2-pub");

            publisher.publishWith().topic("hive3/qos2").qos(MqttQos.EXACTLY_ONCE)
                    .payload(bytes("exactly once 3")).send();

            Optional<Mqtt3Publish> received = publishes.receive(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(received.get().getTopic().toString()).isEqualTo("hive3/qos2");
            assertThat(received.get().getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(text(received.get().getPayloadAsBytes())).isEqualTo("exactly once 3");
        }
    }

    @Test
    void refusesUsernameThatDoesNotMatchTheCertificateWithReasonString() throws Exception {
        Mqtt5BlockingClient imposter = client5("client-1", "hive5-imposter");

        assertThatThrownBy(() -> imposter.connectWith().simpleAuth().username("client-2").applySimpleAuth().send())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
                    assertThat(e.getMqttMessage().getReasonString()).isPresent();
                    // The reason is deliberately generic: it does not tell a stranger which names exist.
                    assertThat(e.getMqttMessage().getReasonString().get().toString()).startsWith("Not authorized");
                });
    }

    @Test
    void sharedSubscriptionDeliversEachMessageOnceAcrossTheGroup() throws Exception {
        Mqtt5BlockingClient first = connected5("client-2", "hive5-share-a");
        Mqtt5BlockingClient second = connected5("client-3", "hive5-share-b");
        try (Mqtt5BlockingClient.Mqtt5Publishes firstPublishes = first.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes secondPublishes = second.publishes(MqttGlobalPublishFilter.ALL)) {
            first.subscribeWith().topicFilter("$share/g/hive5/shared/#").qos(MqttQos.AT_LEAST_ONCE).send();
            second.subscribeWith().topicFilter("$share/g/hive5/shared/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient publisher = connected5("client-1", "hive5-share-pub");
            int count = 20;

            for (int i = 0; i < count; i++) {
                publisher.publishWith().topic("hive5/shared/" + i).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(bytes("m" + i)).send();
            }

            Map<String, Integer> copies = new HashMap<>();
            List<String> firstGot = drain(firstPublishes, copies);
            List<String> secondGot = drain(secondPublishes, copies);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (copies.size() < count && System.nanoTime() < deadline) {
                Optional<Mqtt5Publish> more = firstPublishes.receive(50, TimeUnit.MILLISECONDS);
                more.ifPresent(p -> record(p, copies, firstGot));
                more = secondPublishes.receive(50, TimeUnit.MILLISECONDS);
                more.ifPresent(p -> record(p, copies, secondGot));
            }
            // Late duplicates would arrive right behind the originals.
            firstPublishes.receive(200, TimeUnit.MILLISECONDS).ifPresent(p -> record(p, copies, firstGot));
            secondPublishes.receive(200, TimeUnit.MILLISECONDS).ifPresent(p -> record(p, copies, secondGot));

            assertThat(copies).hasSize(count);
            assertThat(copies.values()).allMatch(n -> n == 1);
            assertThat(firstGot).isNotEmpty();
            assertThat(secondGot).isNotEmpty();
        }
    }

    @Test
    void noLocalSubscriptionDoesNotReceiveItsOwnMessages() throws Exception {
        Mqtt5BlockingClient self = connected5("client-1", "hive5-nolocal-self");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = self.publishes(MqttGlobalPublishFilter.ALL)) {
            self.subscribeWith().topicFilter("hive5/nolocal").noLocal(true).qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient other = connected5("client-2", "hive5-nolocal-other");

            self.publishWith().topic("hive5/nolocal").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("mine")).send();
            other.publishWith().topic("hive5/nolocal").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("theirs")).send();

            assertThat(text(next(publishes).getPayloadAsBytes())).isEqualTo("theirs");
            assertThat(publishes.receive(200, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void retainHandlingTwoSendsNoRetainedMessageOnSubscribe() throws Exception {
        Mqtt5BlockingClient publisher = connected5("client-1", "hive5-rh-pub");
        publisher.publishWith().topic("hive5/rh/state").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload(bytes("retained")).send();
        Mqtt5BlockingClient withoutRetained = connected5("client-2", "hive5-rh-none");
        Mqtt5BlockingClient withRetained = connected5("client-3", "hive5-rh-send");
        try (Mqtt5BlockingClient.Mqtt5Publishes none = withoutRetained.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes sent = withRetained.publishes(MqttGlobalPublishFilter.ALL)) {

            withoutRetained.subscribeWith().topicFilter("hive5/rh/#").qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.DO_NOT_SEND).send();
            withRetained.subscribeWith().topicFilter("hive5/rh/#").qos(MqttQos.AT_LEAST_ONCE)
                    .retainHandling(Mqtt5RetainHandling.SEND).send();
            publisher.publishWith().topic("hive5/rh/live").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("live")).send();

            // The control subscriber proves the retained message is there to be sent.
            Mqtt5Publish control = next(sent);
            assertThat(text(control.getPayloadAsBytes())).isEqualTo("retained");
            assertThat(control.isRetain()).isTrue();
            Mqtt5Publish first = next(none);
            assertThat(text(first.getPayloadAsBytes())).isEqualTo("live");
            assertThat(first.isRetain()).isFalse();
        }
    }

    @Test
    void invalidFilterInSubscribeIsRefusedAloneWithTopicFilterInvalid() throws Exception {
        Mqtt5BlockingClient subscriber = connected5("client-2", "hive5-badfilter");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {

            // The client reports a SUBACK holding any error code as an exception that carries the SUBACK.
            Throwable thrown = catchThrowable(() -> subscriber.subscribeWith()
                    .addSubscription(Mqtt5Subscription.builder().topicFilter("hive5/good").qos(MqttQos.AT_LEAST_ONCE)
                            .build())
                    .addSubscription(Mqtt5Subscription.builder().topicFilter(unvalidatedFilter("a/#/b"))
                            .qos(MqttQos.AT_LEAST_ONCE).build())
                    .send());

            assertThat(thrown).isInstanceOf(Mqtt5SubAckException.class);
            Mqtt5SubAck subAck = ((Mqtt5SubAckException) thrown).getMqttMessage();
            assertThat(subAck.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1,
                    Mqtt5SubAckReasonCode.TOPIC_FILTER_INVALID);
            // The valid filter in the same SUBSCRIBE works, and the connection stays up.
            Mqtt5BlockingClient publisher = connected5("client-1", "hive5-badfilter-pub");
            publisher.publishWith().topic("hive5/good").qos(MqttQos.AT_LEAST_ONCE).payload(bytes("ok")).send();
            assertThat(text(next(publishes).getPayloadAsBytes())).isEqualTo("ok");
            assertThat(subscriber.getState().isConnected()).isTrue();
        }
    }

    /**
     * A topic filter the HiveMQ client would refuse to build: its public factory checks wildcards, so the
     * test calls the package-private constructor that skips the check (flag 1 = contains "#").
     */
    private static MqttTopicFilter unvalidatedFilter(String filter) throws Exception {
        Constructor<MqttTopicFilterImpl> constructor =
                MqttTopicFilterImpl.class.getDeclaredConstructor(String.class, int.class);
        constructor.setAccessible(true);
        return constructor.newInstance(filter, 1);
    }

    private Mqtt5BlockingClient client5(String certificateName, String clientId) throws Exception {
        return HiveMqClients.mqtt5(broker, certificateName, clientId);
    }

    private Mqtt5BlockingClient connected5(String certificateName, String clientId) throws Exception {
        return clients.connected5(broker, certificateName, clientId);
    }

    private Mqtt3BlockingClient connected3(String certificateName, String clientId) throws Exception {
        return clients.connected3(broker, certificateName, clientId);
    }

    private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        Optional<Mqtt5Publish> received = publishes.receive(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(received).as("a message within %d s", WAIT_SECONDS).isPresent();
        return received.get();
    }

    private static List<String> drain(Mqtt5BlockingClient.Mqtt5Publishes publishes, Map<String, Integer> copies) {
        List<String> got = new ArrayList<>();
        for (Optional<Mqtt5Publish> p = publishes.receiveNow(); p.isPresent(); p = publishes.receiveNow()) {
            record(p.get(), copies, got);
        }
        return got;
    }

    private static void record(Mqtt5Publish publish, Map<String, Integer> copies, List<String> got) {
        String topic = publish.getTopic().toString();
        copies.merge(topic, 1, Integer::sum);
        got.add(topic);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
