package io.portcullis.persistence;

/**
 * The durable store cannot be opened or read. Its message says which directory, what is wrong and what
 * the operator can do; start-up stops with it rather than run with an empty store over existing data.
 * When the fix is a configuration setting ({@code storage.dataDirectory}), {@link #setting()} names it
 * and the message reads {@code <key>: <problem>. Fix: <fix>}, so that the command line can put the
 * configuration file in front as it does for every other configuration problem.
 */
public final class StoreException extends Exception {
    private final String setting;

    public StoreException(String message) {
        super(message);
        this.setting = null;
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
        this.setting = null;
    }

    /** A problem with the directory a configuration setting names, in the configuration's one-line shape. */
    static StoreException ofSetting(String setting, String problem, String fix, Throwable cause) {
        return new StoreException(setting, setting + ": " + problem + ". Fix: " + fix, cause);
    }

    private StoreException(String setting, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
    }

    /** The configuration key whose value cannot be used, or null when the problem is not one setting's. */
    public String setting() {
        return setting;
    }
}
