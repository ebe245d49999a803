package io.portcullis.admin.http;

import java.util.Locale;

/**
 * Answers the requests for one top-level collection of the admin API ({@code clients}, {@code sessions},
 * ...). The server routes by {@code request.path().get(0)}, calls handlers on its worker threads (never a
 * Netty event loop, so a handler may wait for the store), turns an {@link ApiException} into its JSON error
 * and anything else into a 500 whose details go to the log only.
 */
@FunctionalInterface
public interface ApiHandler {
    ApiResponse handle(ApiRequest request) throws ApiException;

    /**
     * Whether the request asks for a change, so the server writes an audit line for it whatever its result.
     * By default every method but the safe ones ({@code GET}, {@code HEAD}, {@code OPTIONS}, {@code TRACE}), so
     * that a refused attempt (405, 413, 503) is audited as well; a handler whose {@code POST} only reads says so
     * here.
     */
    default boolean isChange(ApiRequest request) {
        return switch (request.method()) {
            case "GET", "HEAD", "OPTIONS", "TRACE" -> false;
            default -> true;
        };
    }

    /**
     * The operation word of the audit line: {@code create} ({@code PUT} answered 201), {@code replace}
     * ({@code PUT} answered 200), {@code put} (a refused {@code PUT}), {@code patch}, {@code delete}, or the
     * method in lower case. A handler overrides it where its own word is clearer ({@code disconnect}).
     */
    default String operation(ApiRequest request, int status) {
        return switch (request.method()) {
            case "PUT" -> status == 201 ? "create" : status == 200 ? "replace" : "put";
            default -> request.method().toLowerCase(Locale.ROOT);
        };
    }
}
