package io.portcullis.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code portcullis dev} run the way a user first runs it, in its own JVM: the mosquitto_sub and
 * mosquitto_pub lines it prints are executed as printed (only {@code -C 1 -W 10} is added to the
 * subscriber so that it ends) and the subscriber must print the message; the {@code bin/portcullis} lines
 * it prints run as printed too, with the launcher replaced by this JVM. The mosquitto test needs bash and
 * the mosquitto clients on PATH.
 */
class DevCommandIT {
    private static final Duration BROKER_START = Duration.ofSeconds(60);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String INSTALL = "install the mosquitto clients (Debian/Ubuntu: apt-get install "
            + "mosquitto-clients; macOS: brew install mosquitto)";

    @TempDir
    Path directory;

    @Test
    void printedAdminLinesWorkWithAFreeAdminPort() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> launcher = List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.portcullis.cli.PortcullisCommand");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("dev", "--dir", "dev", "--mqtts-port", "0", "--wss-port", "0", "--admin-port", "0"));

        try (ChildProcess broker = ChildProcess.start(command, directory)) {
            Optional<String> listLine = broker.awaitLine(line -> line.contains("client list"), BROKER_START);
            assertThat(listLine).as(broker.describe()).isPresent();
            Optional<String> revokeLine = broker.awaitLine(line -> line.contains("pki client revoke"), WAIT);
            assertThat(revokeLine).as(broker.describe()).isPresent();

            assertThat(listLine.get().trim()).startsWith("bin/portcullis client list --dev dev --url https://");
            assertThat(revokeLine.get().trim()).isEqualTo("bin/portcullis pki client revoke client-3 --dir dev");
            try (ChildProcess list = ChildProcess.start(printed(launcher, listLine.get()), directory)) {
                assertThat(list.awaitExit(BROKER_START)).as(list.describe()).contains(0);
                assertThat(list.output()).as(list.describe()).contains("client-1", "selfsigned-1");
            }
            try (ChildProcess revoke = ChildProcess.start(printed(launcher, revokeLine.get()), directory)) {
                assertThat(revoke.awaitExit(BROKER_START)).as(revoke.describe()).contains(0);
            }
        }
    }

    /** A printed {@code bin/portcullis ...} line as a command: this JVM in place of the launcher. */
    private static List<String> printed(List<String> launcher, String line) {
        List<String> words = Arrays.asList(line.trim().split("\\s+"));
        assertThat(words.get(0)).isEqualTo("bin/portcullis");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(words.subList(1, words.size()));
        return command;
    }

    @Test
    void printedMosquittoLinesDeliverAMessage() throws Exception {
        String bash = ChildProcess.onPath("bash", "the test runs the printed lines with bash");
        ChildProcess.onPath("mosquitto_sub", INSTALL);
        ChildProcess.onPath("mosquitto_pub", INSTALL);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
                "io.portcullis.cli.PortcullisCommand", "dev", "--dir", directory.toString(),
                "--mqtts-port", "0", "--wss-port", "0", "--admin-port", "0");

        // Run from the dev directory, so the printed paths are the relative ones a user would see.
        try (ChildProcess broker = ChildProcess.start(command, directory)) {
            Optional<String> subscribeLine = broker.awaitLine(line -> line.trim().startsWith("mosquitto_sub "),
                    BROKER_START);
            assertThat(subscribeLine).as(broker.describe()).isPresent();
            Optional<String> publishLine = broker.awaitLine(line -> line.trim().startsWith("mosquitto_pub "), WAIT);
            assertThat(publishLine).as(broker.describe()).isPresent();

            String subscribe = subscribeLine.get().trim() + " -C 1 -W 10";
            String publish = publishLine.get().trim();
            try (ChildProcess subscriber = ChildProcess.start(List.of(bash, "-c", subscribe), directory)) {
                // The printed subscriber says nothing when its subscription is in place, so the printed
                // publish line is repeated until the subscriber has its one message (-C 1) or gives up (-W 10).
                Optional<Integer> subscriberExit = Optional.empty();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (subscriberExit.isEmpty() && System.nanoTime() < deadline) {
                    try (ChildProcess publisher = ChildProcess.start(List.of(bash, "-c", publish), directory)) {
                        assertThat(publisher.awaitExit(WAIT)).as(publisher.describe()).contains(0);
                    }
                    subscriberExit = subscriber.awaitExit(Duration.ofMillis(300));
                }
                if (subscriberExit.isEmpty()) {
                    subscriberExit = subscriber.awaitExit(WAIT);
                }

                assertThat(subscriberExit).as(subscriber.describe()).contains(0);
                assertThat(subscriber.output()).as(subscriber.describe()).isEqualTo("demo/hello hello");
            }
        }
    }
}
