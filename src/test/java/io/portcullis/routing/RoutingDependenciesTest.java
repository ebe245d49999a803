package io.portcullis.routing;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Routing stays pure: it must not depend on Netty (docs/architecture.md). */
class RoutingDependenciesTest {

    @Test
    void routingSourcesDoNotImportNetty() throws IOException {
        Path sources = Path.of("src/main/java/io/portcullis/routing");
        List<Path> files;
        try (Stream<Path> listing = Files.list(sources)) {
            files = listing.filter(path -> path.toString().endsWith(".java")).toList();
        }

        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContain("import io.netty");
        }
    }
}
