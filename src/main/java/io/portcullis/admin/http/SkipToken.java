package io.portcullis.admin.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.Predicate;

/**
 * The {@code skipToken} of the admin API's list operations: the last key of the previous page (a resource name,
 * a session's client id, a topic) as UTF-8 in unpadded Base64url. A token is taken only in the exact form the API
 * issues and only when it names a key that collection could hold: a token that decodes to something else would
 * otherwise page from an arbitrary point (an empty page, or the whole list again) without saying so. Pure.
 */
public final class SkipToken {
    private static final String PARAMETER = "skipToken";
    private static final String RULE = "must be the skipToken of a nextLink this list answered, unchanged";

    private SkipToken() {
    }

    /** The token that continues after {@code key}. */
    public static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The key a token names.
     *
     * @param isKey whether a text is a key of the collection, by the same rule that admits it there
     * @throws ApiException 400 InvalidParameter on {@code skipToken} unless the token is valid Base64url of valid
     *                      UTF-8, written as {@link #encode} writes it, of a key the collection could hold
     */
    public static String decode(String token, Predicate<String> isKey) {
        String key;
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(token);
            key = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw ApiException.invalidParameter(PARAMETER, RULE);
        }
        // Padding or stray low bits decode to the same key but are no token the API wrote.
        if (!encode(key).equals(token) || !isKey.test(key)) {
            throw ApiException.invalidParameter(PARAMETER, RULE);
        }
        return key;
    }
}
