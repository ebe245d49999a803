package io.portcullis.broker;

import io.portcullis.config.BrokerConfig;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The settings a running broker cannot take over from an edited file: listeners (accept limits
 * included), TLS apart from the keys in {@link #LIVE_KEYS}, MQTT settings and
 * {@code namespace.subjectNameMatch} (the authenticator is built with it), {@code storage} (the store is
 * opened once), and the admin API listener
 * ({@code admin.enabled}, {@code admin.bindAddress}, {@code admin.port}). The registry, the server
 * certificates, the expiry warning, the {@code revocation} section and the admin trust
 * ({@code admin.caCertificates}, {@code admin.thumbprints}) are applied live and never reported.
 * Reports the changed keys by their path in the file, so the reload WARN names exactly what waits for a
 * restart. Pure.
 */
final class RestartSettings {

    /** Keys under a restart-only section that {@link ConfigReloader} applies while running. */
    static final Set<String> LIVE_KEYS = Set.of("tls.serverCertificates", "tls.certificateExpiryWarning");

    private RestartSettings() {
    }

    /** The keys whose values differ between the running configuration and an edited one, in file order. */
    static List<String> changedKeys(BrokerConfig running, BrokerConfig edited) {
        List<String> keys = new ArrayList<>();
        collect("listeners", running.listeners(), edited.listeners(), keys);
        collect("tls", running.tls(), edited.tls(), keys);
        collect("mqtt", running.mqtt(), edited.mqtt(), keys);
        collect("namespace.subjectNameMatch", running.subjectNameMatch(), edited.subjectNameMatch(), keys);
        collect("storage", running.storage(), edited.storage(), keys);
        collect("admin.enabled", running.admin().enabled(), edited.admin().enabled(), keys);
        collect("admin.bindAddress", running.admin().bindAddress(), edited.admin().bindAddress(), keys);
        collect("admin.port", running.admin().port(), edited.admin().port(), keys);
        return List.copyOf(keys);
    }

    /** Walks records component by component; anything else (lists included) is compared whole. */
    private static void collect(String path, Object before, Object after, List<String> keys) {
        if (LIVE_KEYS.contains(path) || Objects.equals(before, after)) {
            return;
        }
        if (before == null || after == null || !before.getClass().isRecord() || before.getClass() != after.getClass()) {
            keys.add(path);
            return;
        }
        for (RecordComponent component : before.getClass().getRecordComponents()) {
            try {
                collect(path + "." + component.getName(), component.getAccessor().invoke(before),
                        component.getAccessor().invoke(after), keys);
            } catch (IllegalAccessException | InvocationTargetException e) {
                // A component that cannot be read is still known to differ somewhere under this path.
                keys.add(path);
                return;
            }
        }
    }
}
