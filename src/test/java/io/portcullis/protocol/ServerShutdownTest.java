package io.portcullis.protocol;

import io.portcullis.protocol.codec.Disconnect;
import io.portcullis.protocol.codec.MqttPacket;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.routing.Message;
import io.portcullis.routing.Subscriber;
import io.portcullis.routing.SubscriptionOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.portcullis.protocol.Packets.connect;
import static io.portcullis.protocol.codec.MqttVersion.V3_1_1;
import static io.portcullis.protocol.codec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

class ServerShutdownTest {
    private final TestBroker broker = new TestBroker();

    @Test
    void mqtt5ClientsGetServerShuttingDownBeforeTheClose() {
        TestClient client = broker.newClient();
        client.connect(connect(V5, "dev", "alice").build());

        int stillOpen = broker.context.shutdown(Duration.ofSeconds(1));

        List<MqttPacket> packets = client.received();
        assertThat(packets).singleElement().isInstanceOf(Disconnect.class);
        assertThat(((Disconnect) packets.get(0)).reasonCode()).isEqualTo(ReasonCode.SERVER_SHUTTING_DOWN);
        assertThat(client.isOpen()).isFalse();
        assertThat(stillOpen).isZero();
        assertThat(broker.context.connectionCount()).isZero();
    }

    @Test
    void mqtt311ClientsAreClosedWithoutAPacket() {
        TestClient client = broker.newClient();
        client.connect(connect(V3_1_1, "dev", "alice").build());

        broker.context.shutdown(Duration.ofSeconds(1));

        assertThat(client.received()).isEmpty();
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void willsArePublishedBecauseTheClientDidNotAskToClose() {
        // A subscriber outside any connection: the shutdown closes connections in no particular order, so a
        // connected watcher could be gone before the Will is routed.
        List<String> routed = new CopyOnWriteArrayList<>();
        broker.context.subscriptions().subscribe(new Subscriber() {
            @Override
            public String clientId() {
                return "observer";
            }

            @Override
            public boolean isConnected() {
                return true;
            }

            @Override
            public void deliver(Message message, int maximumQos, boolean retainFlag, List<Integer> identifiers) {
                routed.add(message.topic());
            }
        }, "status/#", SubscriptionOptions.ofQos(0));
        TestClient client = broker.newClient();
        client.connect(connect(V5, "dev", "alice").will("status/dev", "offline", 0, 0).build());

        broker.context.shutdown(Duration.ofSeconds(1));

        assertThat(routed).containsExactly("status/dev");
    }

    @Test
    void connectionsStillBeforeConnectAreLeftToTheListeners() {
        TestClient client = broker.newClient();

        broker.context.shutdown(Duration.ofSeconds(1));

        assertThat(client.isOpen()).isTrue();
    }
}
