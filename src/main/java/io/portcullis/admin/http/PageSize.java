package io.portcullis.admin.http;

/**
 * The {@code top} parameter of every list of the API: how many items a page holds. ASCII digits without sign or
 * leading zeros, 1 to {@value #MAXIMUM}, {@value #DEFAULT} when absent. Pure.
 */
public final class PageSize {
    public static final int DEFAULT = 100;
    public static final int MAXIMUM = 1000;

    private PageSize() {
    }

    /** The page size the request asks for; a 400 naming {@code top} when it is not a valid one. */
    public static int of(ApiRequest request) {
        String text = request.parameter("top").orElse(null);
        if (text == null) {
            return DEFAULT;
        }
        // Integer.parseInt alone would also take "+1", "0001" and digits of other scripts.
        if (!text.matches("[1-9][0-9]{0,3}") || Integer.parseInt(text) > MAXIMUM) {
            throw ApiException.invalidParameter("top", "must be a whole number from 1 to " + MAXIMUM);
        }
        return Integer.parseInt(text);
    }
}
