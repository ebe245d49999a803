package io.portcullis.transport;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Session ticket keys for the OpenSsl engine, rotated on a schedule: a new random key encrypts new
 * tickets every interval, and the previous one is kept for decryption so tickets issued just before a
 * rotation stay usable for one more interval. The keys are JVM-wide, like the JDK engine's, so a context
 * built on a certificate reload keeps accepting tickets issued under the one it replaced. Thread-safe;
 * rotation runs on one daemon thread started with the first context.
 */
final class OpenSslTicketKeys {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSslTicketKeys.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Contexts to update on rotation; weak, so a replaced context's native memory can be freed. */
    private static final Set<OpenSslSessionContext> CONTEXTS = Collections.newSetFromMap(new WeakHashMap<>());
    private static OpenSslSessionTicketKey current;
    private static OpenSslSessionTicketKey previous;
    private static Duration interval;
    private static ScheduledExecutorService rotation;

    private OpenSslTicketKeys() {
    }

    /** Gives {@code context} the current keys and keeps it updated; the first call fixes the interval. */
    static synchronized void register(OpenSslSessionContext context, Duration keyRotationInterval) {
        if (rotation == null) {
            interval = keyRotationInterval;
            current = newKey();
            rotation = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "portcullis-ticket-keys");
                thread.setDaemon(true);
                return thread;
            });
            long seconds = interval.toSeconds();
            rotation.scheduleAtFixedRate(OpenSslTicketKeys::rotate, seconds, seconds, TimeUnit.SECONDS);
        } else if (!interval.equals(keyRotationInterval)) {
            LOG.warn("Session ticket key rotation is JVM-wide and already runs: interval={} requested={}",
                    interval, keyRotationInterval);
        }
        CONTEXTS.add(context);
        apply(context);
    }

    private static synchronized void rotate() {
        previous = current;
        current = newKey();
        for (OpenSslSessionContext context : CONTEXTS) {
            apply(context);
        }
        LOG.debug("Session ticket key rotated: engine=OpenSsl contexts={}", CONTEXTS.size());
    }

    private static void apply(OpenSslSessionContext context) {
        // The first key encrypts new tickets; every key listed decrypts.
        if (previous == null) {
            context.setTicketKeys(current);
        } else {
            context.setTicketKeys(current, previous);
        }
    }

    private static OpenSslSessionTicketKey newKey() {
        byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
        byte[] hmacKey = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
        byte[] aesKey = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
        RANDOM.nextBytes(name);
        RANDOM.nextBytes(hmacKey);
        RANDOM.nextBytes(aesKey);
        return new OpenSslSessionTicketKey(name, hmacKey, aesKey);
    }
}
