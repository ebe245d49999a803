package io.portcullis.admin.ops;

import io.portcullis.admin.http.ApiException;
import io.portcullis.admin.http.ApiRequest;
import io.portcullis.admin.http.PageSize;
import io.portcullis.admin.http.SkipToken;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One page of a sorted list for the admin API's list operations: {@code top} items (1 to {@value #MAXIMUM_TOP},
 * default {@value #DEFAULT_TOP}) after the key a {@code skipToken} names, and the {@code nextLink} to the
 * following page. A skip token is the last key of the previous page ({@link SkipToken}): paging by key rather than
 * by position means an item added or removed between two requests neither repeats nor hides another one.
 *
 * @param items    the page, in key order
 * @param nextLink the path and query of the next page, or {@code null} on the last page
 */
record Paging<T>(List<T> items, String nextLink) {

    static final int DEFAULT_TOP = PageSize.DEFAULT;
    static final int MAXIMUM_TOP = PageSize.MAXIMUM;
    /** The keys paged here, client ids and topics, are MQTT strings: at most 65,535 bytes of UTF-8 [MQTT-1.5.4-1]. */
    static final int MAXIMUM_KEY_BYTES = 65_535;

    Paging {
        items = List.copyOf(items);
    }

    /**
     * Cuts the page the request asks for out of {@code sorted} (ascending by {@code key}, keys unique).
     *
     * @param collectionPath the collection's path, for example {@code /api/v1/sessions}
     * @param carried        the request's other parameters the next link repeats (filters), in order
     * @param isKey          whether a text could be a key of the collection; a token naming anything else is refused
     * @throws ApiException 400 InvalidParameter for a bad {@code top} or {@code skipToken}
     */
    static <T> Paging<T> of(List<T> sorted, Function<T, String> key, ApiRequest request, String collectionPath,
                            Map<String, String> carried, Predicate<String> isKey) {
        int top = top(request);
        String after = request.parameter("skipToken").map(token -> SkipToken.decode(token, isKey)).orElse(null);

        List<T> page = new ArrayList<>(Math.min(top, sorted.size()));
        boolean more = false;
        for (T item : sorted) {
            if (after != null && key.apply(item).compareTo(after) <= 0) {
                continue;
            }
            if (page.size() == top) {
                more = true;
                break;
            }
            page.add(item);
        }

        String next = null;
        if (more) {
            Map<String, String> parameters = new LinkedHashMap<>(carried);
            parameters.put("top", Integer.toString(top));
            parameters.put("skipToken", SkipToken.encode(key.apply(page.get(page.size() - 1))));
            next = collectionPath + "?" + query(parameters);
        }
        return new Paging<>(page, next);
    }

    static int top(ApiRequest request) {
        return PageSize.of(request);
    }

    private static String query(Map<String, String> parameters) {
        List<String> pairs = new ArrayList<>();
        parameters.forEach((name, value) -> pairs.add(encode(name) + "=" + encode(value)));
        return String.join("&", pairs);
    }

    /** Percent-encodes a query component; spaces as {@code %20}, not {@code +}, so any decoder reads it. */
    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
