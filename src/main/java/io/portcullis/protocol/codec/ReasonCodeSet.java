package io.portcullis.protocol.codec;

/** A set of one-byte reason codes, as a 256-bit table. Immutable and thread-safe. */
final class ReasonCodeSet {
    private final long[] bits = new long[4];

    private ReasonCodeSet(int... codes) {
        for (int code : codes) {
            bits[code >>> 6] |= 1L << (code & 63);
        }
    }

    static ReasonCodeSet of(int... codes) {
        return new ReasonCodeSet(codes);
    }

    boolean contains(int code) {
        return code >= 0 && code < 256 && (bits[code >>> 6] & (1L << (code & 63))) != 0;
    }
}
