package io.portcullis.session;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.portcullis.config.MqttSettings;
import io.portcullis.routing.SubscriptionTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class SessionRegistryTest {
    private final SessionRegistry registry = new SessionRegistry(new InMemorySessionStore(),
            new SessionServices(MqttSettings.DEFAULTS, new SubscriptionTree(), Clock.systemUTC(),
                    new SessionMetrics()));

    private SessionClaim claim(String clientId, String name, int maximum, boolean cleanStart) {
        return registry.claim(clientId, name, maximum, cleanStart, ImmediateEventExecutor.INSTANCE);
    }

    @ParameterizedTest(name = "{0} then {1}/{2} cleanStart={3} -> {4}")
    @CsvSource({
            "alice, alice, dev-1, false, resumed",
            "alice, ALICE, dev-1, false, resumed",
            "alice, alice, dev-1, true,  replaced",
            "alice, bob,   dev-1, false, refused",
            "alice, bob,   dev-1, true,  refused",
            "alice, alice, dev-2, false, refused",
            "alice, bob,   dev-2, false, new",
    })
    void decidesOwnershipAndTheCapPerAuthenticationName(String owner, String name, String clientId,
                                                         boolean cleanStart, String outcome) {
        SessionClaim.Granted first = (SessionClaim.Granted) claim("dev-1", owner, 1, false);

        SessionClaim second = claim(clientId, name, 1, cleanStart);

        switch (outcome) {
            case "refused" -> assertThat(second).isInstanceOf(SessionClaim.Refused.class);
            case "resumed" -> assertThat(second).isEqualTo(new SessionClaim.Granted(first.session(), null, true));
            case "replaced" -> {
                SessionClaim.Granted granted = (SessionClaim.Granted) second;
                assertThat(granted.displaced()).isSameAs(first.session());
                assertThat(granted.session()).isNotSameAs(first.session());
                assertThat(registry.find("dev-1")).isSameAs(granted.session());
            }
            default -> assertThat(((SessionClaim.Granted) second).resumed()).isFalse();
        }
    }

    @Test
    void countsSessionsPerNameCaseInsensitively() {
        claim("a", "Alice", 3, false);
        claim("b", "alice", 3, false);
        claim("c", "ALICE", 3, false);

        assertThat(claim("d", "alice", 3, false)).isInstanceOf(SessionClaim.Refused.class);
        assertThat(registry.countByAuthenticationName("aLiCe")).isEqualTo(3);
    }

    @Test
    void anEndedSessionFreesItsNameAndSlot() {
        SessionClaim.Granted first = (SessionClaim.Granted) claim("dev-1", "alice", 1, false);

        first.session().end(0, "test");

        assertThat(registry.find("dev-1")).isNull();
        assertThat(claim("dev-1", "bob", 1, false)).isInstanceOf(SessionClaim.Granted.class);
    }
}
