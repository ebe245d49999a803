package io.portcullis.protocol.codec;

/** The protocol levels Portcullis speaks: MQTT 3.1.1 (level 4) and MQTT 5.0 (level 5). */
public enum MqttVersion {
    V3_1_1(4, "3.1.1"),
    V5(5, "5.0");

    private final int level;
    private final String label;

    MqttVersion(int level, String label) {
        this.level = level;
        this.label = label;
    }

    public int level() {
        return level;
    }

    public String label() {
        return label;
    }

    public boolean isV5() {
        return this == V5;
    }

    /** Returns the version for a CONNECT protocol level, or {@code null} when Portcullis does not speak it. */
    public static MqttVersion ofLevel(int level) {
        return switch (level) {
            case 4 -> V3_1_1;
            case 5 -> V5;
            default -> null;
        };
    }
}
