package io.portcullis.registry;

import java.util.List;

/**
 * Namespace-wide authentication settings (SPEC 2.2, 2.4).
 *
 * @param alternativeAuthenticationNameSources where to read the authentication name when CONNECT
 *                                             has no Username, first non-empty wins
 * @param maximumClientSessionsPerAuthenticationName cap on sessions, online and offline, per name
 */
public record NamespaceSettings(List<AuthenticationNameSource> alternativeAuthenticationNameSources,
                                int maximumClientSessionsPerAuthenticationName) {
    public static final NamespaceSettings DEFAULTS = new NamespaceSettings(List.of(), 1);

    public NamespaceSettings {
        alternativeAuthenticationNameSources = List.copyOf(alternativeAuthenticationNameSources);
        if (maximumClientSessionsPerAuthenticationName < 1) {
            throw new IllegalArgumentException("maximumClientSessionsPerAuthenticationName must be at least 1");
        }
    }
}
