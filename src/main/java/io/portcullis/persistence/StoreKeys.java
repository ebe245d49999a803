package io.portcullis.persistence;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The keys of the store (see {@link RocksDbStore} for the layout). Every key of a session starts with
 * the same prefix, the UTF-8 byte length of its ClientId (two bytes, big-endian) and those bytes, so one
 * range delete removes a session and a seek finds all of it. Numbers in keys are big-endian so that byte
 * order is numeric order. Stateless.
 */
final class StoreKeys {
    static final byte SESSION = 1;
    static final byte SUBSCRIPTION = 2;
    static final byte INBOUND_QOS2 = 3;
    static final byte INFLIGHT = 4;

    private StoreKeys() {
    }

    /** The prefix of every key of the session {@code clientId}. */
    static byte[] prefix(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 65_535) {
            throw new IllegalArgumentException("ClientId longer than 65535 bytes");
        }
        byte[] key = new byte[2 + id.length];
        key[0] = (byte) (id.length >>> 8);
        key[1] = (byte) id.length;
        System.arraycopy(id, 0, key, 2, id.length);
        return key;
    }

    /** The first key after every key that starts with {@code prefix}, for a range delete. */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = Arrays.copyOf(prefix, prefix.length);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        throw new IllegalArgumentException("no key follows a prefix of 0xFF bytes");
    }

    static byte[] session(String clientId) {
        return withType(prefix(clientId), SESSION, new byte[0]);
    }

    static byte[] subscription(String clientId, String filter) {
        return withType(prefix(clientId), SUBSCRIPTION, filter.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] inboundQos2(String clientId, int packetId) {
        return withType(prefix(clientId), INBOUND_QOS2, new byte[]{(byte) (packetId >>> 8), (byte) packetId});
    }

    static byte[] inflight(String clientId, int packetId) {
        return withType(prefix(clientId), INFLIGHT, new byte[]{(byte) (packetId >>> 8), (byte) packetId});
    }

    private static byte[] withType(byte[] prefix, byte type, byte[] rest) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + 1 + rest.length);
        key[prefix.length] = type;
        System.arraycopy(rest, 0, key, prefix.length + 1, rest.length);
        return key;
    }

    static byte[] message(String clientId, long sequence) {
        byte[] prefix = prefix(clientId);
        byte[] key = Arrays.copyOf(prefix, prefix.length + 8);
        for (int i = 0; i < 8; i++) {
            key[prefix.length + i] = (byte) (sequence >>> (56 - 8 * i));
        }
        return key;
    }

    static byte[] retained(String topic) {
        return topic.getBytes(StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- reading keys back

    /** The length of the session prefix at the start of {@code key}. */
    static int prefixLength(byte[] key) {
        if (key.length < 2) {
            throw new RecordFormatException("key of " + key.length + " bytes has no session prefix");
        }
        int length = 2 + (((key[0] & 0xFF) << 8) | (key[1] & 0xFF));
        if (length > key.length) {
            throw new RecordFormatException("key shorter than its session prefix");
        }
        return length;
    }

    static String clientId(byte[] key) {
        return new String(key, 2, prefixLength(key) - 2, StandardCharsets.UTF_8);
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The record type of a key in the sessions column family. */
    static int sessionRecordType(byte[] key) {
        int at = prefixLength(key);
        if (at >= key.length) {
            throw new RecordFormatException("session key without a record type");
        }
        return key[at];
    }

    static String subscriptionFilter(byte[] key) {
        int at = prefixLength(key) + 1;
        return new String(key, at, key.length - at, StandardCharsets.UTF_8);
    }

    static int packetId(byte[] key) {
        int at = prefixLength(key) + 1;
        if (key.length != at + 2) {
            throw new RecordFormatException("packet id key of the wrong length");
        }
        return ((key[at] & 0xFF) << 8) | (key[at + 1] & 0xFF);
    }

    static long sequence(byte[] key) {
        int at = prefixLength(key);
        if (key.length != at + 8) {
            throw new RecordFormatException("message key of the wrong length");
        }
        long sequence = 0;
        for (int i = 0; i < 8; i++) {
            sequence = (sequence << 8) | (key[at + i] & 0xFF);
        }
        return sequence;
    }

    static String topic(byte[] key) {
        return new String(key, StandardCharsets.UTF_8);
    }
}
