package io.portcullis.session;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.portcullis.config.MqttSettings;
import io.portcullis.config.MqttSettings.QueueOverflowPolicy;
import io.portcullis.logging.LogRateLimiter;
import io.portcullis.logging.LogText;
import io.portcullis.protocol.codec.PublishProperties;
import io.portcullis.protocol.codec.Publish;
import io.portcullis.protocol.codec.Pubrel;
import io.portcullis.protocol.codec.ReasonCode;
import io.portcullis.routing.Message;
import io.portcullis.routing.Subscriber;
import io.portcullis.routing.SubscriptionOptions;
import io.portcullis.session.SessionMetrics.DropReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One MQTT session (SPEC 2.4, 4): its subscriptions, the messages queued for it, outbound QoS 1/2
 * messages in flight, inbound QoS 2 packet ids, the Session Expiry Interval and a Will waiting for its
 * delay. It survives its connection until it expires.
 *
 * <p>Thread rule: one thread owns a session's changes, the event loop of the connection that holds it
 * (or held it last, while offline). Every method not marked "any thread" must run there. Publishers on
 * other loops only {@link #deliver}: that appends to a lock-free inbox and hands the drain to the owner
 * with {@code execute}. A takeover moves ownership: the old loop detaches, then switches
 * {@link #executor()} and hands on; work that still lands on the old loop follows the switch.
 *
 * <p>Slow subscribers: a connected session whose queue passes its high-water mark pauses the
 * publishers feeding it (they stop reading their sockets) until it drains below the low-water mark.
 * If it is still above that mark after {@code slowSubscriberGracePeriod}, the publishers resume and the
 * queue overflow policy applies. Offline sessions get the same bounds and policy without back-pressure;
 * they do not keep QoS 0 messages.
 *
 * <p>Durability: with a durable {@link SessionJournal}, a session whose expiry is above zero is
 * persistent from then on. It stores its record, subscriptions, inbound QoS 2 packet ids, queued QoS 1/2
 * messages (from the publisher's thread, inside {@link #deliver}, so the publisher can acknowledge once
 * they are durable) and in-flight packet ids. Offline, its queue lives on disk only and is read back in
 * pages of {@value #PAGE_SIZE} when a connection resumes it. Writes of outbound state (sent, PUBREC,
 * PUBCOMP) are not waited for: a crash just after one may re-send a message whose acknowledgement was lost.
 */
public final class Session implements Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final LogRateLimiter DROP_LOG = new LogRateLimiter(20, 10_000);
    /** Messages read from the disk segment at a time: the bound on a resumed session's queue in memory. */
    static final int PAGE_SIZE = 256;

    private final String clientId;
    private final String authenticationName;
    private final SessionServices services;
    private final MqttSettings settings;
    private final SessionRegistry registry;
    private final OutboundQueue queue;
    private final SessionJournal journal;
    private final StoredQueue storedQueue;

    private volatile EventExecutor executor;
    private volatile boolean connected;
    private volatile boolean ended;
    private volatile boolean overflowing;
    private volatile boolean trimRequested;
    /** Whether it stores its state; set once the expiry is above zero with a durable journal, never cleared. */
    private volatile boolean persistent;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean graceTimerArmed = new AtomicBoolean();
    private final Set<PublisherThrottle> pausedPublishers = ConcurrentHashMap.newKeySet();

    private SessionConnection connection;
    private final Map<String, SubscriptionOptions> subscriptions = new LinkedHashMap<>();
    private final LinkedHashMap<Integer, InflightMessage> inflight = new LinkedHashMap<>();
    private final Set<Integer> inboundQos2 = new HashSet<>();
    private int nextPacketId = 1;
    private volatile long expirySeconds;
    private long disconnectedAtMillis = -1;
    private ScheduledFuture<?> expiryTimer;
    private Runnable pendingWill;
    private Message pendingWillMessage;
    private long pendingWillDelaySeconds;
    private ScheduledFuture<?> willTimer;
    private boolean draining;
    /** Owner loop: an administrator discarded the session, so no Will goes out for it. */
    private boolean discarded;

    Session(String clientId, String authenticationName, EventExecutor executor, SessionServices services,
            SessionRegistry registry) {
        this.clientId = clientId;
        this.authenticationName = authenticationName;
        this.executor = executor;
        this.services = services;
        this.settings = services.settings();
        this.registry = registry;
        this.queue = new OutboundQueue(settings.maximumQueuedMessages(), settings.maximumQueuedBytes());
        this.journal = services.journal();
        this.storedQueue = new StoredQueue(clientId, queue, journal, this::runOnOwner, this::drain,
                count -> dropped(DropReason.QUEUE_FULL, count), () -> ended);
    }

    @Override
    public String clientId() {
        return clientId;
    }

    /** The authentication name that owns this session name, as it was registered. Any thread. */
    public String authenticationName() {
        return authenticationName;
    }

    /** Any thread. */
    @Override
    public boolean isConnected() {
        return connected;
    }

    /** Whether the session has ended (expired, replaced, or closed by policy); it takes no more work. Any thread. */
    public boolean isEnded() {
        return ended;
    }

    /** The loop that owns the session now. Any thread. */
    public EventExecutor executor() {
        return executor;
    }

    /** Runs {@code task} on the owner loop, now if already there. Any thread. */
    public void runOnOwner(Runnable task) {
        EventExecutor owner = executor;
        if (owner.inEventLoop()) {
            task.run();
        } else {
            owner.execute(() -> runOnOwner(task));
        }
    }

    // ---------------------------------------------------------------- delivery (any thread)

    @Override
    public void deliver(Message message, int maximumQos, boolean retainFlag, List<Integer> subscriptionIdentifiers) {
        if (ended) {
            return;
        }
        int qos = Math.min(message.qos(), maximumQos);
        boolean online = connected;
        if (!online && qos == 0) {
            // QoS 0 promises nothing once the subscriber is gone; keeping it would only crowd out QoS 1/2.
            dropped(DropReason.OFFLINE_QOS0, 1);
            return;
        }

        QueuedMessage queued = new QueuedMessage(message, qos, retainFlag, subscriptionIdentifiers);
        boolean inGrace = online && !overflowing;
        QueueOverflowPolicy policy = settings.queueOverflowPolicy();
        Consumer<QueuedMessage> store = qos > 0 && persistent ? stored -> journal.saveQueued(clientId, stored) : null;
        switch (queue.offer(queued, inGrace, policy, store)) {
            case CLOSED -> {
                return;
            }
            case REJECTED -> {
                dropped(DropReason.QUEUE_FULL, 1);
                return;
            }
            case END_SESSION -> {
                dropped(DropReason.QUEUE_FULL, 1);
                runOnOwner(() -> endForOverflow("the session queue is full"));
                return;
            }
            case ADMITTED_OVER_LIMIT -> trimRequested = true;
            case ADMITTED -> {
            }
        }
        if (inGrace && queue.isAboveHighWater()) {
            pauseCurrentPublisher();
        }
        scheduleDrain();
    }

    private void pauseCurrentPublisher() {
        PublisherThrottle publisher = PublisherThrottle.current();
        if (publisher != null && pausedPublishers.add(publisher)) {
            publisher.pause(this);
            services.metrics().publisherPaused();
            LOG.debug("Publisher paused by slow subscriber: clientId={} queued={}", LogText.token(clientId),
                    queue.size());
            // The owner may have drained below the low-water mark between the check and the add.
            runOnOwner(this::resumeIfDrained);
        }
        if (graceTimerArmed.compareAndSet(false, true)) {
            executor.schedule(() -> runOnOwner(this::graceExpired),
                    settings.slowSubscriberGracePeriod().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void scheduleDrain() {
        EventExecutor owner = executor;
        if (owner.inEventLoop() && !draining) {
            drain();
        } else if (drainScheduled.compareAndSet(false, true)) {
            owner.execute(this::drainTask);
        }
    }

    private void drainTask() {
        EventExecutor owner = executor;
        if (!owner.inEventLoop()) {
            // Ownership moved since this was scheduled: follow it, keeping the inbox order.
            owner.execute(this::drainTask);
            return;
        }
        drainScheduled.set(false);
        drain();
    }

    // ---------------------------------------------------------------- owner loop from here on

    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            queue.takeInbox();
            if (connection == null && persistent) {
                // Offline: its queue is on disk only, so heap use does not grow with it.
                queue.spill();
            }
            if (trimRequested && !storedQueue.isBusy()) {
                trimRequested = false;
                trimOldest();
            }
            writeOut();
        } finally {
            draining = false;
        }
        resumeIfDrained();
    }

    private void writeOut() {
        SessionConnection out = connection;
        if (out == null || ended) {
            return;
        }
        int inflightLimit = Math.max(1, Math.min(out.receiveMaximum(), settings.maximumOutboundInflight()));
        long now = services.clock().millis();
        boolean wrote = false;
        while (out.isWritable()) {
            if (queue.isHeadOnDisk()) {
                if (inflight.size() < inflightLimit) {
                    storedQueue.loadPage();
                }
                break;
            }
            QueuedMessage next = queue.peek();
            if (next == null) {
                break;
            }
            if (next.qos() > 0 && inflight.size() >= inflightLimit) {
                // The client's Receive Maximum [MQTT-4.9.0-2]; the rest waits for acknowledgements.
                break;
            }
            queue.poll();
            if (next.message().isExpired(now)) {
                storedQueue.discard(next);
                dropped(DropReason.EXPIRED, 1);
                continue;
            }
            Publish publish = toPublish(next, next.qos() > 0 ? 1 : 0, false, now);
            long maximumPacketSize = out.maximumPacketSize();
            if (maximumPacketSize > 0 && out.encodedSize(publish) > maximumPacketSize) {
                // Too large for the client: discard and behave as if sent [MQTT-3.1.2-24, MQTT-3.1.2-25].
                storedQueue.discard(next);
                dropped(DropReason.TOO_LARGE, 1);
                continue;
            }
            if (next.qos() > 0) {
                int packetId = allocatePacketId();
                publish = toPublish(next, packetId, false, now);
                inflight.put(packetId, new InflightMessage(packetId, next, false));
                if (next.isStored()) {
                    journal.saveInflight(clientId, packetId, next.sequence(), false);
                }
            }
            out.write(publish);
            services.metrics().sent();
            wrote = true;
        }
        if (wrote) {
            out.flush();
        }
    }

    /** Drops the oldest messages until the queue is within its limits, or asks again once the store is free. */
    private void trimOldest() {
        if (!storedQueue.trimOldest()) {
            trimRequested = true;
        }
    }

    private Publish toPublish(QueuedMessage queued, int packetId, boolean dup, long now) {
        Message message = queued.message();
        PublishProperties received = message.properties();
        Long remaining = message.remainingExpirySeconds(now);
        // Forward the time left [MQTT-3.3.2-6]; a message still alive keeps at least one second.
        Long expiry = remaining == null ? null : Math.max(1L, remaining);
        PublishProperties forwarded = new PublishProperties(received.payloadFormatIndicator(), expiry, 0,
                received.responseTopic(), received.correlationData(), received.userProperties(),
                queued.subscriptionIdentifiers(), received.contentType());
        return new Publish(message.topic(), queued.qos(), queued.retain(), dup, packetId, message.payload(),
                forwarded);
    }

    private int allocatePacketId() {
        // Identifiers in use are skipped [MQTT-2.2.1-3]; the in-flight limit keeps some always free.
        while (true) {
            int candidate = nextPacketId;
            nextPacketId = candidate == 65_535 ? 1 : candidate + 1;
            if (!inflight.containsKey(candidate)) {
                return candidate;
            }
        }
    }

    private void resumeIfDrained() {
        if (queue.isBelowLowWater()) {
            overflowing = false;
            resumePublishers();
        }
    }

    private void resumePublishers() {
        if (pausedPublishers.isEmpty()) {
            return;
        }
        for (PublisherThrottle publisher : List.copyOf(pausedPublishers)) {
            pausedPublishers.remove(publisher);
            publisher.resume(this);
        }
    }

    private void graceExpired() {
        graceTimerArmed.set(false);
        if (ended || connection == null || queue.isBelowLowWater()) {
            resumeIfDrained();
            return;
        }
        // Still backed up after the grace period: stop holding publishers and let the policy decide.
        overflowing = true;
        resumePublishers();
        QueueOverflowPolicy policy = settings.queueOverflowPolicy();
        LOG.warn("Slow subscriber: clientId={} queued={} queuedBytes={} policy={}", LogText.token(clientId),
                queue.size(), queue.sizeInBytes(), policy);
        switch (policy) {
            case DropOldest -> trimOldest();
            case DropNewest -> {
                // Newest first among the messages in memory; a disk segment, if any, is then trimmed oldest first.
                dropped(DropReason.QUEUE_FULL, queue.trimToLimits(false, storedQueue::discard));
                if (queue.isOverLimit()) {
                    trimOldest();
                }
            }
            case EndSession -> {
                if (queue.isOverLimit()) {
                    endForOverflow("the session queue stayed full past the slow subscriber grace period");
                }
            }
        }
    }

    private void endForOverflow(String reason) {
        if (ended) {
            return;
        }
        LOG.warn("Session ended by queue overflow: clientId={} authName={} reason=\"{}\"", LogText.token(clientId),
                LogText.token(authenticationName), reason);
        end(ReasonCode.QUOTA_EXCEEDED, reason);
    }

    private void dropped(DropReason reason, int count) {
        if (count <= 0) {
            return;
        }
        for (int i = 0; i < count; i++) {
            services.metrics().dropped(reason);
        }
        if (reason == DropReason.OFFLINE_QOS0) {
            return;
        }
        long suppressed = DROP_LOG.tryAcquire(services.clock().millis());
        if (suppressed >= 0) {
            LOG.warn("Messages dropped: reason={} clientId={} count={} suppressed={}", reason,
                    LogText.token(clientId), count, suppressed);
        }
    }

    // ---------------------------------------------------------------- connection life cycle

    /**
     * Attaches the connection that now holds the session, on its loop (which must be the owner), after
     * CONNACK was written: re-sends what was in flight, in order, before anything new [MQTT-4.4.0-1].
     */
    public void attach(SessionConnection newConnection) {
        if (!newConnection.executor().inEventLoop() || executor != newConnection.executor()) {
            throw new IllegalStateException("attach must run on the session's owner loop");
        }
        SessionConnection previous = connection;
        if (previous != null && previous != newConnection) {
            // Two CONNECTs resuming the session on this loop can each pass their takeover before either
            // attaches; the one attaching last wins and the other is closed like any taken-over connection.
            previous.takenOver();
        }
        cancelTimers();
        pendingWill = null;
        connection = newConnection;
        connected = true;
        overflowing = false;
        pendingWillMessage = null;
        disconnectedAtMillis = -1;
        saveRecord();

        long now = services.clock().millis();
        for (InflightMessage each : inflight.values()) {
            if (each.released()) {
                newConnection.write(new Pubrel(each.packetId(), ReasonCode.SUCCESS));
            } else {
                newConnection.write(toPublish(each.message(), each.packetId(), true, now));
            }
        }
        newConnection.flush();
        drain();
    }

    /**
     * The connection is gone. With a will, it is published after {@code min(willDelay, expiry)}
     * seconds unless the session resumes first [MQTT-3.1.3-9]; a session with expiry 0 ends now.
     */
    public void detach(SessionConnection oldConnection, Runnable will, long willDelaySeconds) {
        detach(oldConnection, will, null, willDelaySeconds);
    }

    /**
     * As {@link #detach(SessionConnection, Runnable, long)}, with the Will as a message so that a durable
     * session can store it while it waits for its delay.
     */
    public void detach(SessionConnection oldConnection, Runnable will, Message willMessage, long willDelaySeconds) {
        if (connection != oldConnection) {
            if (will != null && ended && !discarded) {
                will.run();
            }
            return;
        }
        connection = null;
        connected = false;
        overflowing = false;
        resumePublishers();
        dropped(DropReason.OFFLINE_QOS0, queue.removeQos0());

        if (expirySeconds == 0) {
            pendingWill = will;
            end(ReasonCode.SUCCESS, "session expiry interval is 0");
            return;
        }
        if (will != null) {
            long delay = Math.min(willDelaySeconds, expirySeconds);
            if (delay <= 0) {
                will.run();
            } else {
                pendingWill = will;
                pendingWillMessage = willMessage;
                pendingWillDelaySeconds = willDelaySeconds;
                willTimer = executor.schedule(() -> runOnOwner(this::publishPendingWill), delay, TimeUnit.SECONDS);
            }
        }
        disconnectedAtMillis = services.clock().millis();
        saveRecord();
        if (persistent) {
            queue.spill();
        }
        expiryTimer = executor.schedule(() -> runOnOwner(this::expire), expirySeconds, TimeUnit.SECONDS);
    }

    /** Stores the session's record as it is now. Owner loop. */
    private void saveRecord() {
        if (persistent && !ended) {
            journal.saveSession(clientId, new StoredSession(authenticationName, expirySeconds, disconnectedAtMillis,
                    pendingWillMessage, pendingWillMessage == null ? 0 : pendingWillDelaySeconds));
        }
    }

    private void publishPendingWill() {
        Runnable will = pendingWill;
        pendingWill = null;
        willTimer = null;
        if (will != null && connection == null) {
            will.run();
            // Published: a restart must not publish it again.
            pendingWillMessage = null;
            saveRecord();
        }
    }

    private void expire() {
        if (ended || connection != null) {
            return;
        }
        services.metrics().sessionExpired();
        LOG.debug("Session expired: clientId={} authName={}", LogText.token(clientId),
                LogText.token(authenticationName));
        end(ReasonCode.SUCCESS, "session expired");
    }

    /**
     * Hands the session to a new connection on {@code newOwner}: closes the connection holding it
     * (0x8E), then either ends the session ({@code endSession}, for Clean Start) or moves ownership,
     * and finally runs {@code continuation} on {@code newOwner}. Any thread.
     */
    public void takeOver(EventExecutor newOwner, boolean endSession, Runnable continuation) {
        runOnOwner(() -> {
            SessionConnection current = connection;
            if (current != null) {
                current.takenOver();
            }
            if (endSession) {
                end(ReasonCode.SESSION_TAKEN_OVER, "session replaced by a Clean Start connection");
            } else if (!ended) {
                // Resumed before the Will Delay Interval ran out: the Will is not sent [MQTT-3.1.3-9].
                cancelTimers();
                pendingWill = null;
                pendingWillMessage = null;
                executor = newOwner;
            }
            if (newOwner.inEventLoop()) {
                continuation.run();
            } else {
                newOwner.execute(continuation);
            }
        });
    }

    /**
     * Ends the session: closes its connection if any (MQTT 5 DISCONNECT with {@code reasonCode}), removes
     * its subscriptions and queued messages, forgets it, and publishes a Will still waiting for its delay.
     */
    public void end(int reasonCode, String reason) {
        if (ended) {
            return;
        }
        ended = true;
        SessionConnection current = connection;
        connection = null;
        connected = false;
        if (current != null) {
            current.disconnect(reasonCode, reason);
        }
        cancelTimers();
        registry.remove(this);
        for (String filter : subscriptions.keySet()) {
            services.subscriptions().unsubscribe(this, filter);
        }
        subscriptions.clear();
        // Closes the queue to new stored messages before the removal is submitted, so none outlives it.
        queue.clear();
        if (persistent) {
            journal.removeSession(clientId);
        }
        inflight.clear();
        inboundQos2.clear();
        resumePublishers();

        Runnable will = discarded ? null : pendingWill;
        pendingWill = null;
        if (will != null) {
            will.run();
        }
    }

    /**
     * An administrator disconnects the client: MQTT 5 DISCONNECT 0x98 Administrative action (3.1.1: the
     * connection is closed) through the protocol handler's disconnector. Without {@code discard} the session
     * stays, as after any abnormal close; with it, the session ends as well and its Will is not sent. Any
     * thread.
     */
    public void disconnectByAdministrator(boolean discard) {
        runOnOwner(() -> {
            if (discard) {
                discarded = true;
                end(ReasonCode.ADMINISTRATIVE_ACTION, "session discarded by an administrator");
            } else if (connection != null) {
                connection.disconnect(ReasonCode.ADMINISTRATIVE_ACTION, "disconnected by an administrator");
            }
        });
    }

    /** A copy of the state an operator sees. Owner loop only (use {@link #runOnOwner}). */
    public SessionSnapshot snapshot() {
        SessionConnection current = connection;
        return new SessionSnapshot(clientId, authenticationName, current == null ? null : current.description(),
                current == null ? disconnectedAtMillis : -1, expirySeconds, subscriptions, queue.size(),
                inflight.size());
    }

    private void cancelTimers() {
        if (expiryTimer != null) {
            expiryTimer.cancel(false);
            expiryTimer = null;
        }
        if (willTimer != null) {
            willTimer.cancel(false);
            willTimer = null;
        }
    }

    /** The client's flow-control window opened: send what waits. */
    public void onWritable() {
        drain();
    }

    public long sessionExpirySeconds() {
        return expirySeconds;
    }

    public void sessionExpirySeconds(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("session expiry must not be negative");
        }
        this.expirySeconds = seconds;
        if (seconds > 0 && journal.isDurable()) {
            persistent = true;
        }
    }

    /** Whether the session stores its state in the durable store. Any thread. */
    public boolean isPersistent() {
        return persistent;
    }

    // ---------------------------------------------------------------- subscriptions

    /** Adds or replaces a subscription; returns whether it is new (Retain Handling 1 needs to know). */
    public boolean subscribe(String filter, SubscriptionOptions options) {
        SubscriptionOptions replaced = services.subscriptions().subscribe(this, filter, options);
        subscriptions.put(filter, options);
        if (persistent) {
            journal.saveSubscription(clientId, filter, options);
        }
        return replaced == null;
    }

    /** Removes a subscription; returns whether it existed. */
    public boolean unsubscribe(String filter) {
        boolean existed = subscriptions.remove(filter) != null;
        services.subscriptions().unsubscribe(this, filter);
        if (existed && persistent) {
            journal.removeSubscription(clientId, filter);
        }
        return existed;
    }

    /** A copy of the subscriptions, filter (as subscribed, {@code $share/...} included) to options. */
    public Map<String, SubscriptionOptions> subscriptions() {
        return Map.copyOf(subscriptions);
    }

    public boolean hasSubscription(String filter) {
        return subscriptions.containsKey(filter);
    }

    public int subscriptionCount() {
        return subscriptions.size();
    }

    // ---------------------------------------------------------------- QoS flows

    /** Records an inbound QoS 2 packet id at PUBREC; returns false when it is already held (a re-send). */
    public boolean beginInboundQos2(int packetId) {
        boolean added = inboundQos2.add(packetId);
        if (added && persistent) {
            journal.saveInboundQos2(clientId, packetId);
        }
        return added;
    }

    public boolean hasInboundQos2(int packetId) {
        return inboundQos2.contains(packetId);
    }

    /** Forgets an inbound QoS 2 packet id at PUBREL; returns whether it was known. */
    public boolean completeInboundQos2(int packetId) {
        boolean removed = inboundQos2.remove(packetId);
        if (removed && persistent) {
            journal.removeInboundQos2(clientId, packetId);
        }
        return removed;
    }

    public int inboundQos2Count() {
        return inboundQos2.size();
    }

    /** PUBACK from the client ends a QoS 1 delivery. */
    public void onPuback(int packetId) {
        InflightMessage sent = inflight.get(packetId);
        if (sent == null || sent.message().qos() != 1) {
            LOG.debug("PUBACK for unknown packet id: clientId={} packetId={}", LogText.token(clientId), packetId);
            return;
        }
        inflight.remove(packetId);
        forgetInflight(sent);
        drain();
    }

    /**
     * PUBREC from the client: answer PUBREL [MQTT-4.3.3-4], or 0x92 when the id is unknown. A PUBREC
     * with an error code ends the delivery without PUBREL.
     */
    public void onPubrec(int packetId, int reasonCode) {
        InflightMessage sent = inflight.get(packetId);
        if (sent == null || sent.message().qos() != 2) {
            connection.write(new Pubrel(packetId, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND));
            connection.flush();
            return;
        }
        if (ReasonCode.isError(reasonCode)) {
            inflight.remove(packetId);
            forgetInflight(sent);
            drain();
            return;
        }
        inflight.put(packetId, sent.asReleased());
        if (sent.message().isStored()) {
            journal.saveInflight(clientId, packetId, sent.message().sequence(), true);
        }
        connection.write(new Pubrel(packetId, ReasonCode.SUCCESS));
        connection.flush();
    }

    /** PUBCOMP from the client ends a QoS 2 delivery. */
    public void onPubcomp(int packetId) {
        InflightMessage sent = inflight.get(packetId);
        if (sent == null || !sent.released()) {
            LOG.debug("PUBCOMP for unknown packet id: clientId={} packetId={}", LogText.token(clientId), packetId);
            return;
        }
        inflight.remove(packetId);
        forgetInflight(sent);
        drain();
    }

    private void forgetInflight(InflightMessage done) {
        if (done.message().isStored()) {
            journal.removeInflight(clientId, done.packetId(), done.message().sequence());
        }
    }

    /** Outbound messages sent and not yet acknowledged, in sending order. */
    public List<InflightMessage> inflight() {
        return new ArrayList<>(inflight.values());
    }

    /** Queued messages held in memory rather than only on disk. Owner loop. */
    int queuedInMemory() {
        return queue.inMemory();
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Recovery, before any other thread sees the session: takes the state read back from the store. The
     * session is offline; {@link #resumeOffline} then starts its timers on the owner loop.
     */
    void restore(RecoveredSession recovered) {
        StoredSession stored = recovered.stored();
        expirySeconds = stored.expirySeconds();
        persistent = true;
        for (Map.Entry<String, SubscriptionOptions> each : recovered.subscriptions().entrySet()) {
            services.subscriptions().subscribe(this, each.getKey(), each.getValue());
            subscriptions.put(each.getKey(), each.getValue());
        }
        inboundQos2.addAll(recovered.inboundQos2());
        for (InflightMessage each : recovered.inflight()) {
            inflight.put(each.packetId(), each);
            nextPacketId = each.packetId() == 65_535 ? 1 : each.packetId() + 1;
        }
        queue.restore(recovered.queuedCount(), recovered.queuedBytes(), recovered.firstQueuedSequence(),
                recovered.nextSequence());
    }

    /**
     * Owner loop, after {@link #restore}: schedules the expiry and the delayed Will ({@code will} publishes
     * {@code stored.will()}, may be null) from the stored disconnect time, and stores that time if the broker
     * stopped while the session was connected.
     */
    void resumeOffline(StoredSession stored, Runnable will) {
        if (ended || connection != null) {
            return;
        }
        long now = services.clock().millis();
        disconnectedAtMillis = stored.isConnected() ? now : stored.disconnectedAtMillis();
        if (will != null && stored.will() != null) {
            pendingWill = will;
            pendingWillMessage = stored.will();
            pendingWillDelaySeconds = stored.willDelaySeconds();
            willTimer = executor.schedule(() -> runOnOwner(this::publishPendingWill),
                    Math.max(0, stored.willDueAtMillis(now) - now), TimeUnit.MILLISECONDS);
        }
        if (stored.isConnected()) {
            saveRecord();
        }
        expiryTimer = executor.schedule(() -> runOnOwner(this::expire),
                Math.max(0, stored.expiresAtMillis(now) - now), TimeUnit.MILLISECONDS);
    }

    /** Messages waiting to be sent. Any thread. */
    public int queuedMessages() {
        return queue.size();
    }

    /** Bytes of the messages waiting to be sent. Any thread. */
    public long queuedBytes() {
        return queue.sizeInBytes();
    }

    @Override
    public String toString() {
        return "Session[" + clientId + "]";
    }
}
