package io.portcullis.persistence;

/**
 * The durable store cannot be opened or read. Its message says which directory, what is wrong and what
 * the operator can do; start-up stops with it rather than run with an empty store over existing data.
 */
public final class StoreException extends Exception {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
