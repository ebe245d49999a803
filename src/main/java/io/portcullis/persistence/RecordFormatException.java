package io.portcullis.persistence;

/** A stored record that this version cannot decode: unknown version byte, truncated, or out of range. */
final class RecordFormatException extends RuntimeException {
    RecordFormatException(String message) {
        super(message);
    }
}
