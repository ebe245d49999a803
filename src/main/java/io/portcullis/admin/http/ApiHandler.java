package io.portcullis.admin.http;

/**
 * Answers the requests for one top-level collection of the admin API ({@code clients}, {@code sessions},
 * ...). The server routes by {@code request.path().get(0)}, calls handlers on its worker threads (never a
 * Netty event loop, so a handler may wait for the store), turns an {@link ApiException} into its JSON error
 * and anything else into a 500 whose details go to the log only.
 */
@FunctionalInterface
public interface ApiHandler {
    ApiResponse handle(ApiRequest request) throws ApiException;
}
