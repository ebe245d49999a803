package io.portcullis.admin.composition;

/** Where a registry resource was declared; the admin API shows it as {@code origin}. */
public enum Origin {
    /** Declared in the configuration file; read-only through the API. */
    CONFIGURATION("configuration"),
    /** Made through the admin API and kept in the store. */
    API("api");

    private final String label;

    Origin(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
