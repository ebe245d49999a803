package io.portcullis.protocol;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.portcullis.protocol.codec.MqttVersion;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.portcullis.protocol.Packets.connect;
import static io.portcullis.protocol.codec.MqttVersion.V3_1_1;
import static io.portcullis.protocol.codec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code portcullis.connections} lines for refusals and broker-side closes: the authentication name
 * that was resolved (or no field at all), and only codes the session's MQTT version has.
 */
class ConnectionLogLinesTest {
    private final TestBroker broker = new TestBroker();
    private final Logger connections = (Logger) LoggerFactory.getLogger("portcullis.connections");
    private final Level previousLevel = connections.getLevel();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        log.start();
        connections.setLevel(Level.INFO);
        connections.addAppender(log);
        // Refusal lines are rate-limited per JVM: a window far from the one other tests use.
        broker.clock.advanceSeconds(TimeUnit.DAYS.toSeconds(20_000));
    }

    @AfterEach
    void releaseLog() {
        connections.detachAppender(log);
        connections.setLevel(previousLevel);
    }

    @Test
    void refusalOfADisabledClientNamesItsAuthenticationName() {
        broker.putClient(disabled("carol"));

        broker.newClient().connect(connect(V5, "c", "carol").build());

        assertThat(lines("Connection refused")).singleElement().asString()
                .contains("reason=\"unknown or disabled client carol\" code=0x87 authName=carol clientId=c")
                .doesNotContain("null");
    }

    @Test
    void refusalWithoutAResolvedNameLeavesTheFieldOutAndLogsTheMqtt311ReturnCode() {
        broker.newClient().connect(connect(V3_1_1, "c", "bad name").build());

        assertThat(lines("Connection refused")).singleElement().asString()
                .contains("reason=\"malformed user name\" returnCode=4 clientId=c", "protocol=MQTT3.1.1")
                .doesNotContain("authName", "0x86", "null");
    }

    @Test
    void disablingAnMqtt311ClientLogsTheCloseWithoutAReasonCode() {
        TestClient carol = connected(V3_1_1);

        broker.putClient(disabled("carol"));
        carol.channel.runPendingTasks();

        assertThat(carol.isOpen()).isFalse();
        assertThat(lines("Client disconnected")).singleElement().asString()
                .contains("reason=\"client disabled\" code=none closed=\"by the broker; MQTT 3.1.1 has no reason"
                        + " codes\" authName=carol clientId=c protocol=MQTT3.1.1")
                .doesNotContain("0x98");
    }

    @Test
    void disablingAnMqtt5ClientLogsAdministrativeAction() {
        TestClient carol = connected(V5);

        broker.putClient(disabled("carol"));
        carol.channel.runPendingTasks();

        assertThat(lines("Client disconnected")).singleElement().asString()
                .contains("reason=\"client disabled\" code=0x98 authName=carol clientId=c protocol=MQTT5.0");
    }

    @Test
    void aClientIdWithASpaceCannotAddAFieldToTheAccessChangeAndDisconnectLines() {
        TestClient carol = connected(V5, "c authName=admin");

        broker.putClient(disabled("carol"));
        carol.channel.runPendingTasks();

        assertThat(lines("Client access changed")).singleElement().asString()
                .isEqualTo("Client access changed: clientId=c\\x20authName=admin authName=carol"
                        + " change=\"client disabled\"");
        assertThat(lines("Client disconnected")).singleElement().asString()
                .contains("authName=carol clientId=c\\x20authName=admin protocol=MQTT5.0");
    }

    private TestClient connected(MqttVersion version) {
        return connected(version, "c");
    }

    private TestClient connected(MqttVersion version, String clientId) {
        broker.putClient(TestBroker.client("carol", List.of("carol/#"), List.of("carol/#")));
        TestClient carol = broker.newClient();
        carol.connect(connect(version, clientId, "carol").build());
        assertThat(carol.isOpen()).isTrue();
        return carol;
    }

    private static Client disabled(String name) {
        Client enabled = TestBroker.client(name, List.of(name + "/#"), List.of(name + "/#"));
        return new Client(enabled.name(), enabled.authenticationName(), enabled.validationScheme(),
                enabled.allowedThumbprints(), ClientState.Disabled, enabled.attributes(), "");
    }

    private List<String> lines(String start) {
        synchronized (log.list) {
            return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(line -> line.startsWith(start))
                    .toList();
        }
    }
}
