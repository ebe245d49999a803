package io.portcullis.admin.composition;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.broker.Configurations;
import io.portcullis.registry.NamespaceSettings;
import io.portcullis.registry.Registry;
import io.portcullis.registry.RegistryHolder;
import io.portcullis.registry.TopicSpace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** API changes and configuration reloads racing each other: neither may undo the other. */
class RegistryComposerConcurrencyTest {
    private static final int ROUNDS = 150;

    private static Registry file(String... spaces) {
        return new Registry(NamespaceSettings.DEFAULTS, List.of(), List.of(), List.of(),
                List.of(spaces).stream().map(name -> new TopicSpace(name, List.of(name + "/#"), "")).toList(),
                List.of());
    }

    @Test
    void apiChangesAndFileReloadsNeverLoseEachOther() throws Exception {
        Registry first = file("file-space-a");
        Registry second = file("file-space-a", "file-space-b");
        RegistryHolder holder = new RegistryHolder(first);
        RegistryComposer composer = RegistryComposer.open(holder, first, ApiResourceStore.inMemory(),
                Configurations.queryCheck(), Configurations.templateCheck());
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            Future<?> api = threads.submit(() -> {
                start.await();
                for (int i = 0; i < ROUNDS; i++) {
                    ObjectNode entry = JsonNodeFactory.instance.objectNode();
                    entry.putArray("topicTemplates").add("api/" + i + "/#");
                    composer.put(ResourceKind.TOPIC_SPACES, "api-space-" + i, existing -> entry, Precondition.NONE);
                }
                return null;
            });
            Future<?> reloads = threads.submit(() -> {
                start.await();
                for (int i = 0; i < ROUNDS; i++) {
                    composer.applyConfiguration(i % 2 == 0 ? second : first, (previous, next) -> true);
                }
                return null;
            });
            start.countDown();
            api.get(30, TimeUnit.SECONDS);
            reloads.get(30, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        composer.applyConfiguration(second, (previous, next) -> true);

        String[] expected = IntStream.range(0, ROUNDS).mapToObj(i -> "api-space-" + i).toArray(String[]::new);
        assertThat(holder.current().topicSpaces()).containsKeys(expected).containsKeys("file-space-a",
                "file-space-b");
        assertThat(holder.current()).isSameAs(composer.current().registry());
    }
}
