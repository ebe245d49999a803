package io.portcullis.admin.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.admin.composition.ResourceKind;
import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.PageSize;
import io.portcullis.admin.http.SkipToken;
import io.portcullis.registry.NameRules;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.function.Function;

/**
 * One page of a registry list: {@code filter} keeps names containing the text (ignoring case), {@code top}
 * ({@link PageSize}, as in every list) bounds the page, {@code skipToken} continues
 * after the last name of the previous page. The token is that name ({@link SkipToken}), so a page stays
 * right when resources are added or removed between requests; a token that names no valid name of the
 * collection is refused. Pure.
 *
 * @param collection the collection's path segment, for {@code nextLink}
 * @param filter     the text names must contain, or {@code null}
 * @param top        the page size
 * @param after      the name the page starts after, or {@code null} for the first page
 */
record ListPage(String collection, String filter, int top, String after) {

    ListPage {
        Objects.requireNonNull(collection, "collection");
    }

    /**
     * Reads {@code filter}, {@code top} and {@code skipToken}.
     *
     * @throws ApiException 400 InvalidParameter for a top out of range or a token this API did not issue
     */
    static ListPage of(ApiRequest request, ResourceKind kind) {
        String filter = request.parameter("filter").filter(text -> !text.isEmpty()).orElse(null);
        int top = PageSize.of(request);
        String after = request.parameter("skipToken")
                .map(token -> SkipToken.decode(token, name -> isName(kind, name)))
                .orElse(null);
        return new ListPage(kind.collection(), filter, top, after);
    }

    /** Whether {@code name} can name a resource of {@code kind}, by the rules the configuration loader applies. */
    private static boolean isName(ResourceKind kind, String name) {
        return (kind == ResourceKind.CLIENTS ? NameRules.clientNameProblem(name)
                : NameRules.resourceNameProblem(name)).isEmpty();
    }

    /** {@code {"value": [...], "nextLink": "..."}}, {@code nextLink} only when more items follow. */
    <T> ObjectNode render(NavigableMap<String, T> sorted, Function<T, ObjectNode> item) {
        NavigableMap<String, T> rest = after == null ? sorted : sorted.tailMap(after, false);
        String needle = filter == null ? null : filter.toLowerCase(Locale.ROOT);
        ObjectNode page = JsonNodeFactory.instance.objectNode();
        ArrayNode value = page.putArray("value");
        String last = null;
        boolean hasMore = false;
        for (var entry : rest.entrySet()) {
            if (needle != null && !entry.getKey().toLowerCase(Locale.ROOT).contains(needle)) {
                continue;
            }
            if (value.size() == top) {
                hasMore = true;
                break;
            }
            value.add(item.apply(entry.getValue()));
            last = entry.getKey();
        }
        if (hasMore) {
            page.put("nextLink", nextLink(last));
        }
        return page;
    }

    private String nextLink(String last) {
        StringBuilder link = new StringBuilder("/api/v1/").append(collection).append('?');
        if (filter != null) {
            link.append("filter=").append(URLEncoder.encode(filter, StandardCharsets.UTF_8)).append('&');
        }
        link.append("top=").append(top).append("&skipToken=").append(SkipToken.encode(last));
        return link.toString();
    }
}
