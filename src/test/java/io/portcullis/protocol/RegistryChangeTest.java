package io.portcullis.protocol;

import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.protocol.codec.Suback;
import io.portcullis.protocol.codec.Subscribe;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.portcullis.protocol.Packets.connect;
import static io.portcullis.protocol.Packets.publish;
import static io.portcullis.protocol.codec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

class RegistryChangeTest {
    private final TestBroker broker = new TestBroker();

    private TestClient carolSubscribedTo(String... filters) {
        TestClient carol = broker.newClient();
        carol.connect(connect(V5, "c", "carol").build());
        List<Subscribe.Subscription> subscriptions = new java.util.ArrayList<>();
        for (String filter : filters) {
            subscriptions.add(new Subscribe.Subscription(filter, 1, false, false, 0));
        }
        carol.send(new Subscribe(1, subscriptions, 0, List.of()));
        assertThat(carol.next(Suback.class).reasonCodes()).containsOnly(1);
        return carol;
    }

    @Test
    void removesSubscriptionsThatAreNoLongerAllowed() {
        TestClient carol = carolSubscribedTo("carol/a", "shared/b");

        broker.putClient(TestBroker.client("carol", List.of("carol/#"), List.of("carol/#")));
        carol.channel.runPendingTasks();
        TestClient alice = broker.newClient();
        alice.connect(connect(V5, "a", "alice").build());
        alice.send(publish("shared/b", 0, 0, "gone")).send(publish("carol/a", 0, 0, "kept"));

        assertThat(broker.context.sessions().find("c").subscriptions()).containsOnlyKeys("carol/a");
        assertThat(carol.received()).extracting(p -> ((Publish) p).topic()).containsExactly("carol/a");
        assertThat(carol.isOpen()).isTrue();
    }

    @Test
    void disconnectsARemovedClientWithAdministrativeAction() {
        TestClient carol = carolSubscribedTo("carol/a");

        broker.removeClient("carol");
        carol.channel.runPendingTasks();

        assertThat(carol.next(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.ADMINISTRATIVE_ACTION);
        assertThat(carol.isOpen()).isFalse();
    }

    @Test
    void disconnectsADisabledClientWithAdministrativeAction() {
        TestClient carol = carolSubscribedTo("carol/a");
        Client enabled = broker.registry.current().clients().get("carol");

        broker.putClient(new Client(enabled.name(), enabled.authenticationName(), enabled.validationScheme(),
                enabled.allowedThumbprints(), ClientState.Disabled, enabled.attributes(), ""));
        carol.channel.runPendingTasks();

        assertThat(carol.next(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.ADMINISTRATIVE_ACTION);
    }

    @Test
    void disconnectsAClientLeftWithoutAnyPermission() {
        TestClient carol = carolSubscribedTo("carol/a");

        broker.putClient(TestBroker.client("carol", List.of(), List.of()));
        carol.channel.runPendingTasks();

        Disconnect disconnect = carol.next(Disconnect.class);
        assertThat(disconnect.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(broker.context.subscriptions().subscriptionCount()).isZero();
    }

    @Test
    void offlineSessionLosesForbiddenSubscriptionsWhenItReconnects() {
        TestClient carol = broker.newClient();
        carol.connect(connect(V5, "c", "carol").cleanStart(false).sessionExpiry(600).build());
        carol.send(Packets.subscribe(1, "shared/x", 1));
        carol.received();
        carol.dropConnection();

        broker.putClient(TestBroker.client("carol", List.of("carol/#"), List.of("carol/#")));
        TestClient back = broker.newClient();
        back.connect(connect(V5, "c", "carol").cleanStart(false).sessionExpiry(600).build());

        assertThat(broker.context.sessions().find("c").subscriptions()).isEmpty();
    }
}
