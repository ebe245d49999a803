package io.portcullis.admin.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.ApiResponse;
import io.portcullis.routing.SubscriptionOptions;
import io.portcullis.session.ConnectionDescription;
import io.portcullis.session.Session;
import io.portcullis.session.SessionRegistry;
import io.portcullis.session.SessionSnapshot;
import io.portcullis.topic.Topics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /api/v1/sessions}: lists and reads MQTT sessions, connected or offline, and disconnects a client
 * ({@code DELETE}, MQTT 5 reason 0x98) or also discards its session ({@code DELETE ?discard=true}, no Will).
 *
 * <p>Threads: called on the admin server's worker threads. A session's state belongs to its owner event loop,
 * so each read is a {@link Session#snapshot()} taken there and waited for here, at most
 * {@link #OWNER_WAIT}; a list snapshots only the sessions of the page it answers. A disconnect is likewise
 * done on the owner loop and waited for, so a read right after a discard no longer finds the session.
 */
final class SessionsHandler extends ReadAndDeleteCollection {
    static final String COLLECTION = "sessions";
    private static final String PATH = "/api/v1/" + COLLECTION;
    /** How long a request waits for a session's event loop; a loop this busy is reported as a 500. */
    static final Duration OWNER_WAIT = Duration.ofSeconds(5);

    private final SessionRegistry sessions;

    SessionsHandler(SessionRegistry sessions) {
        super(PATH, "clientId");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    ApiResponse get(String clientId) {
        return ApiResponse.json(200, json(snapshotOf(find(clientId))));
    }

    @Override
    ApiResponse delete(String clientId, ApiRequest request) {
        boolean discard = discard(request); // a bad parameter is a 400 whether or not the session exists
        return disconnect(find(clientId), discard);
    }

    /** The audit line's operation: a {@code DELETE} is a {@code disconnect}. */
    @Override
    public String operation(ApiRequest request, int status) {
        return request.method().equals("DELETE") ? "disconnect" : request.method().toLowerCase(Locale.ROOT);
    }

    @Override
    ApiResponse list(ApiRequest request) {
        String filter = request.parameter("filter").orElse("");
        String needle = filter.toLowerCase(Locale.ROOT);
        List<Session> matching = new ArrayList<>();
        for (Session session : sessions.sessions()) {
            if (!session.isEnded() && session.clientId().toLowerCase(Locale.ROOT).contains(needle)) {
                matching.add(session);
            }
        }
        matching.sort(Comparator.comparing(Session::clientId));
        Map<String, String> carried = new LinkedHashMap<>();
        if (!filter.isEmpty()) {
            carried.put("filter", filter);
        }
        Paging<Session> page = Paging.of(matching, Session::clientId, request, PATH, carried,
                SessionsHandler::isClientId);

        List<CompletableFuture<SessionSnapshot>> snapshots = new ArrayList<>();
        for (Session session : page.items()) {
            snapshots.add(requestSnapshot(session));
        }
        long deadline = System.nanoTime() + OWNER_WAIT.toNanos();
        ArrayNode value = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < snapshots.size(); i++) {
            SessionSnapshot snapshot = await(snapshots.get(i), deadline, page.items().get(i));
            // A session that ended while the page was read is left out, as it would be a moment later.
            if (!page.items().get(i).isEnded()) {
                value.add(json(snapshot));
            }
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("value", value);
        if (page.nextLink() != null) {
            body.put("nextLink", page.nextLink());
        }
        return ApiResponse.json(200, body);
    }

    /**
     * Whether a session could have this client id: a non-empty MQTT string without U+0000 (the codec admits no
     * other; an empty ClientId is replaced by an assigned one) [MQTT-1.5.4-2].
     */
    static boolean isClientId(String clientId) {
        return !clientId.isEmpty() && clientId.indexOf('\u0000') < 0
                && Topics.utf8Length(clientId) <= Paging.MAXIMUM_KEY_BYTES;
    }

    private Session find(String clientId) {
        Session session = sessions.find(clientId);
        if (session == null || session.isEnded()) {
            throw ApiException.notFound("Session '" + clientId + "'");
        }
        return session;
    }

    private static boolean discard(ApiRequest request) {
        String value = request.parameter("discard").orElse("false");
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.invalidParameter("discard", "must be true or false");
        };
    }

    private ApiResponse disconnect(Session session, boolean discard) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        onOwner(session, done, () -> {
            // On the owner loop disconnectByAdministrator acts at once, so done completes after it.
            session.disconnectByAdministrator(discard);
            done.complete(null);
        });
        await(done, System.nanoTime() + OWNER_WAIT.toNanos(), session);
        return ApiResponse.noContent();
    }

    private SessionSnapshot snapshotOf(Session session) {
        return await(requestSnapshot(session), System.nanoTime() + OWNER_WAIT.toNanos(), session);
    }

    private static CompletableFuture<SessionSnapshot> requestSnapshot(Session session) {
        CompletableFuture<SessionSnapshot> snapshot = new CompletableFuture<>();
        onOwner(session, snapshot, () -> snapshot.complete(session.snapshot()));
        return snapshot;
    }

    private static void onOwner(Session session, CompletableFuture<?> result, Runnable task) {
        try {
            session.runOnOwner(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            // The loop is shutting down with the broker.
            result.completeExceptionally(e);
        }
    }

    private static <T> T await(CompletableFuture<T> future, long deadlineNanos, Session session) {
        try {
            return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("The event loop of session '" + session.clientId()
                    + "' did not answer within " + OWNER_WAIT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Reading session '" + session.clientId() + "' failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading session '" + session.clientId() + "'", e);
        }
    }

    /** The session as docs/admin-api.md shows it; every field is present, {@code null} when it does not apply. */
    static ObjectNode json(SessionSnapshot snapshot) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        ConnectionDescription connection = snapshot.connection();
        node.put("name", snapshot.clientId());
        node.put("authenticationName", snapshot.authenticationName());
        node.put("connected", snapshot.isConnected());
        node.put("protocol", connection == null ? null : connection.protocol());
        node.put("transport", connection == null ? null : connection.transport());
        node.put("remoteAddress", connection == null ? null : connection.remoteAddress());
        node.put("connectedAt", connection == null ? null : time(connection.connectedAtMillis()));
        node.put("disconnectedAt", connection == null && snapshot.disconnectedAtMillis() >= 0
                ? time(snapshot.disconnectedAtMillis()) : null);
        node.put("sessionExpiryIntervalSeconds", snapshot.sessionExpirySeconds());
        ArrayNode subscriptions = node.putArray("subscriptions");
        // Sorted by filter so that two reads of an unchanged session answer the same.
        for (Map.Entry<String, SubscriptionOptions> entry : new TreeMap<>(snapshot.subscriptions()).entrySet()) {
            SubscriptionOptions options = entry.getValue();
            subscriptions.addObject()
                    .put("topicFilter", entry.getKey())
                    .put("qos", options.qos())
                    .put("noLocal", options.noLocal())
                    .put("retainAsPublished", options.retainAsPublished())
                    .put("retainHandling", options.retainHandling());
        }
        node.put("queuedMessages", snapshot.queuedMessages());
        node.put("inflightMessages", snapshot.inflightMessages());
        return node;
    }

    /** ISO-8601 in UTC to the second, as the rest of the API writes times. */
    static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
