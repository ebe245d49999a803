package io.portcullis.admin.composition;

/**
 * The conditions of an HTTP request on a resource: {@code If-Match} (the entity tag the client last saw,
 * or {@code *}) and {@code If-None-Match: *} (create only). Immutable.
 *
 * @param ifMatch        the tag the resource must have, {@code *} for "must exist", or {@code null}
 * @param ifNoneMatchAny whether the resource must not exist yet
 */
public record Precondition(String ifMatch, boolean ifNoneMatchAny) {
    public static final Precondition NONE = new Precondition(null, false);

    /** Whether the condition holds for a resource with tag {@code etag} ({@code null}: it does not exist). */
    public boolean holds(String etag) {
        if (ifNoneMatchAny && etag != null) {
            return false;
        }
        if (ifMatch == null) {
            return true;
        }
        return etag != null && (ifMatch.equals("*") || ifMatch.equals(etag));
    }
}
