package io.portcullis.authorization;

import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.Permission;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.Registry;
import io.portcullis.registry.TopicSpace;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static io.portcullis.authorization.TestRegistries.binding;
import static io.portcullis.authorization.TestRegistries.client;
import static io.portcullis.authorization.TestRegistries.group;
import static io.portcullis.authorization.TestRegistries.registry;
import static io.portcullis.authorization.TestRegistries.space;

/**
 * Publish and subscribe decisions per second, and the time to rebuild every client's permissions
 * after a registry change, with 10,000 clients and 1, 100 or 10,000 templates. Every client holds
 * all the templates (through a group every client matches) plus one template of its site's group,
 * so the tries are as large as the parameter allows. A quarter of the templates have no variable;
 * the rest use the authentication name or the {@code site} attribute. About a quarter of the checks
 * are denied, and some denied subscribes take the slower "does not cover" path.
 *
 * <p>Run briefly from the worktree:
 * <pre>
 * ./mvnw -q test-compile
 * java -cp target/test-classes:target/classes:$(./mvnw -q dependency:build-classpath \
 *     -Dmdep.outputFile=/dev/stdout) org.openjdk.jmh.Main PermissionEvaluatorBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s
 * </pre>
 * or run {@link #main} with the same classpath.
 */
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class PermissionEvaluatorBenchmark {
    static final int CLIENTS = 10_000;
    private static final int SITES = 10;
    private static final int TEMPLATES_PER_SPACE = 100;
    private static final int REQUESTS = 8192;

    @Param({"1", "100", "10000"})
    public int templates;

    private Registry registry;
    private Client[] clients;
    private ClientPermissions[] permissions;
    private int[] requestClients;
    private String[] publishTopics;
    private String[] subscribeFilters;

    @Setup(Level.Trial)
    public void setUp() {
        List<Client> clientList = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clientList.add(client("device-" + i, "Device-" + i, "type", "sensor", "site", "site-" + (i % SITES),
                    "floor", i % 20));
        }
        List<ClientGroup> groups = new ArrayList<>();
        List<TopicSpace> spaces = new ArrayList<>();
        List<PermissionBinding> bindings = new ArrayList<>();
        groups.add(group("sensors", "attributes.type = 'sensor' and attributes.floor >= 0"));
        for (int s = 0; s < SITES; s++) {
            groups.add(group("site-" + s, "attributes.site IN ['site-" + s + "']"));
            spaces.add(space("site-space-" + s, "sites/site-" + s + "/${client.authenticationName}/#"));
            bindings.add(binding("site-pub-" + s, "site-" + s, "site-space-" + s, Permission.Publisher));
        }
        for (int first = 0, s = 0; first < templates; first += TEMPLATES_PER_SPACE, s++) {
            List<String> sources = new ArrayList<>();
            for (int j = first; j < Math.min(templates, first + TEMPLATES_PER_SPACE); j++) {
                sources.add(template(j));
            }
            spaces.add(space("main-" + s, sources.toArray(new String[0])));
            bindings.add(binding("main-pub-" + s, "sensors", "main-" + s, Permission.Publisher));
            bindings.add(binding("main-sub-" + s, "sensors", "main-" + s, Permission.Subscriber));
        }
        registry = registry(clientList, groups, spaces, bindings);
        clients = clientList.toArray(new Client[0]);
        permissions = rebuild(new RegistryPermissionEvaluator());
        makeRequests();
    }

    private static String template(int j) {
        return switch (j % 4) {
            case 0 -> "fleet/t" + j + "/${client.authenticationName}/#";
            case 1 -> "fleet/t" + j + "/+/status";
            case 2 -> "plant/${client.attributes.site}/line" + j + "/+";
            default -> "devices/${client.authenticationName}/t" + j;
        };
    }

    private void makeRequests() {
        Random random = new Random(42);
        requestClients = new int[REQUESTS];
        publishTopics = new String[REQUESTS];
        subscribeFilters = new String[REQUESTS];
        for (int r = 0; r < REQUESTS; r++) {
            int c = random.nextInt(CLIENTS);
            int j = random.nextInt(templates);
            boolean denied = random.nextInt(4) == 0;
            String name = denied ? "Device-" + ((c + 1) % CLIENTS) : "Device-" + c;
            String site = "site-" + (c % SITES);
            requestClients[r] = c;
            switch (j % 4) {
                case 0 -> {
                    publishTopics[r] = "fleet/t" + j + "/" + name + "/temperature";
                    subscribeFilters[r] = denied ? "fleet/t" + j + "/+/#" : "fleet/t" + j + "/" + name + "/+";
                }
                case 1 -> {
                    publishTopics[r] = "fleet/t" + j + "/" + name + (denied ? "/config" : "/status");
                    subscribeFilters[r] = denied ? "fleet/#" : "fleet/t" + j + "/+/status";
                }
                case 2 -> {
                    publishTopics[r] = "plant/" + (denied ? "site-x" : site) + "/line" + j + "/pump";
                    subscribeFilters[r] = "plant/" + (denied ? "+" : site) + "/line" + j + "/+";
                }
                default -> {
                    publishTopics[r] = "devices/" + name + "/t" + j;
                    subscribeFilters[r] = "devices/" + name + "/t" + j;
                }
            }
        }
    }

    private ClientPermissions[] rebuild(PermissionEvaluator evaluator) {
        ClientPermissions[] rebuilt = new ClientPermissions[clients.length];
        for (int i = 0; i < clients.length; i++) {
            rebuilt[i] = evaluator.permissionsFor(clients[i], registry);
        }
        return rebuilt;
    }

    /** Each benchmark thread walks the request table from its own position. */
    @State(Scope.Thread)
    public static class Cursor {
        private int next;

        int advance() {
            next = (next + 1) & (REQUESTS - 1);
            return next;
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public AccessDecision publishCheck(Cursor cursor) {
        int r = cursor.advance();
        return permissions[requestClients[r]].checkPublish(publishTopics[r]);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public AccessDecision subscribeCheck(Cursor cursor) {
        int r = cursor.advance();
        return permissions[requestClients[r]].checkSubscribe(subscribeFilters[r]);
    }

    /** A registry change: compile the new snapshot once, then resolve every client's permissions. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ClientPermissions[] rebuildAllClients() {
        return rebuild(new RegistryPermissionEvaluator());
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(PermissionEvaluatorBenchmark.class.getSimpleName()).build()).run();
    }
}
