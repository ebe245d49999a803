package io.portcullis.admin.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.admin.composition.ResourceKind;
import io.portcullis.admin.composition.ResourceView;
import io.portcullis.admin.http.ApiException;
import io.portcullis.pki.Thumbprints;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates between the admin API's resource bodies ({@code name}, {@code origin}, {@code etag},
 * {@code properties}) and the configuration-file entries the registry composer keeps. The field names are
 * the file's, except that a CA certificate's PEM text is {@code encodedCertificate} in the API and
 * {@code certificate} in the file, and the API adds the CA's read-only {@code issueTimeInUtc},
 * {@code expiryTimeInUtc} and {@code thumbprint}. Pure.
 */
final class ResourceJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Top-level members a body may carry; the read-only ones are ignored, so a read resource can be sent back. */
    private static final Set<String> BODY_MEMBERS = Set.of("name", "properties", "origin", "etag",
            "inactiveReason");
    private static final Set<String> CA_READ_ONLY = Set.of("issueTimeInUtc", "expiryTimeInUtc", "thumbprint");

    private ResourceJson() {
    }

    /** The resource as the API shows it. */
    static ObjectNode resource(ResourceView view) {
        ObjectNode body = NODES.objectNode().put("name", view.name()).put("origin", view.origin().label())
                .put("etag", view.etag());
        if (!view.isActive()) {
            body.put("inactiveReason", view.inactiveReason());
        }
        body.set("properties", properties(view));
        return body;
    }

    /** The {@code properties} of a resource, read-only ones included, every optional field written out. */
    static ObjectNode properties(ResourceView view) {
        ObjectNode properties = writableProperties(view.kind(), view.entry());
        if (view.kind() == ResourceKind.CA_CERTIFICATES) {
            X509Certificate certificate = certificate(properties.path("encodedCertificate").asText());
            properties.put("issueTimeInUtc", certificate.getNotBefore().toInstant().toString())
                    .put("expiryTimeInUtc", certificate.getNotAfter().toInstant().toString())
                    .put("thumbprint", Thumbprints.thumbprint(certificate));
        }
        return properties;
    }

    /** The properties a client may send back: what PATCH merges into. */
    static ObjectNode writableProperties(ResourceKind kind, ObjectNode entry) {
        ObjectNode properties = entry.deepCopy();
        properties.remove("name");
        if (!properties.has("description")) {
            properties.put("description", "");
        }
        switch (kind) {
            case CA_CERTIFICATES -> {
                properties.set("encodedCertificate", properties.remove("certificate"));
            }
            case CLIENTS -> {
                ObjectNode authentication = properties.withObjectProperty("clientCertificateAuthentication");
                if (!authentication.has("allowedThumbprints")) {
                    authentication.putArray("allowedThumbprints");
                }
                if (!properties.has("attributes")) {
                    properties.putObject("attributes");
                }
            }
            default -> {
            }
        }
        return properties;
    }

    /**
     * Reads a PUT body: an object with {@code properties} (an object, default empty) and optionally a
     * {@code name}, which must equal the one in the path.
     *
     * @throws ApiException 400 for a body of another shape
     */
    static ObjectNode propertiesOfBody(JsonNode body, String name) {
        if (!body.isObject()) {
            throw invalid("body", "must be a JSON object such as {\"properties\": {...}}");
        }
        List<ApiException.Detail> problems = new ArrayList<>();
        Iterator<String> members = body.fieldNames();
        while (members.hasNext()) {
            String member = members.next();
            if (!BODY_MEMBERS.contains(member)) {
                problems.add(new ApiException.Detail(member, "unknown field; a resource has name and properties"));
            }
        }
        JsonNode given = body.get("name");
        if (given != null && !(given.isTextual() && given.asText().equals(name))) {
            problems.add(new ApiException.Detail("name", "must equal the name in the path ('" + name
                    + "') or be left out"));
        }
        JsonNode properties = body.get("properties");
        if (properties != null && !properties.isObject()) {
            problems.add(new ApiException.Detail("properties", "must be a JSON object"));
        }
        if (!problems.isEmpty()) {
            throw validationFailed(problems);
        }
        return properties == null ? NODES.objectNode() : ((ObjectNode) properties).deepCopy();
    }

    /**
     * The configuration entry for API properties: read-only CA fields dropped, {@code encodedCertificate}
     * renamed to the file's {@code certificate}, an empty {@code allowedThumbprints} left out. The field
     * rules themselves are the loader's, checked by the composer.
     *
     * @throws ApiException 400 for a member that is not a property of this kind
     */
    static ObjectNode entry(ResourceKind kind, String name, ObjectNode properties) {
        ObjectNode entry = properties.deepCopy();
        List<ApiException.Detail> problems = new ArrayList<>();
        if (entry.has("name")) {
            problems.add(new ApiException.Detail("properties.name", "unknown field; the name is the resource's"
                    + " own, outside properties"));
        }
        if (kind == ResourceKind.CA_CERTIFICATES) {
            if (entry.has("certificate")) {
                problems.add(new ApiException.Detail("properties.certificate", "unknown field; the PEM text goes"
                        + " in encodedCertificate"));
            }
            CA_READ_ONLY.forEach(entry::remove);
            JsonNode pem = entry.remove("encodedCertificate");
            if (pem != null) {
                entry.set("certificate", pem);
            }
        }
        if (kind == ResourceKind.CLIENTS) {
            clientProblems(entry, problems);
        }
        if (kind == ResourceKind.CLIENTS && entry.path("clientCertificateAuthentication").isObject()) {
            ObjectNode authentication = (ObjectNode) entry.get("clientCertificateAuthentication");
            JsonNode thumbprints = authentication.get("allowedThumbprints");
            if (thumbprints != null && thumbprints.isArray() && thumbprints.isEmpty()) {
                authentication.remove("allowedThumbprints");
            }
        }
        if (!problems.isEmpty()) {
            throw validationFailed(problems);
        }
        ObjectNode named = NODES.objectNode().put("name", name);
        named.setAll(entry);
        return named;
    }

    /**
     * What the API refuses in a client before the loader's rules see it: a {@code null} state, which the loader
     * would read as absent and so as Enabled, and attribute numbers an attribute cannot hold exactly (SPEC 3:
     * text, a whole number, or a list of texts), which JSON can carry but the loader would not read as given.
     */
    private static void clientProblems(ObjectNode entry, List<ApiException.Detail> problems) {
        if (entry.has("state") && entry.get("state").isNull()) {
            problems.add(new ApiException.Detail("properties.state", "state cannot be removed; use Enabled or"
                    + " Disabled"));
        }
        JsonNode attributes = entry.get("attributes");
        if (attributes == null || !attributes.isObject()) {
            return;
        }
        for (Map.Entry<String, JsonNode> attribute : attributes.properties()) {
            JsonNode value = attribute.getValue();
            String target = "properties.attributes." + attribute.getKey();
            if (value.isIntegralNumber() && !value.canConvertToLong()) {
                problems.add(new ApiException.Detail(target, value.asText() + " is outside the whole numbers an"
                        + " attribute holds (" + Long.MIN_VALUE + " to " + Long.MAX_VALUE + "); send it as a"
                        + " JSON string to keep it as text"));
            } else if (value.isNumber() && !value.isIntegralNumber()) {
                problems.add(new ApiException.Detail(target, value.asText() + " is not a whole number; an attribute"
                        + " holds text, a whole number or a list of texts; send it as a JSON string to keep it as"
                        + " text"));
            }
        }
    }

    /** Where a configuration entry's field is in the API body: {@code certificate} is {@code encodedCertificate}. */
    static String target(ResourceKind kind, String field) {
        if (field.isEmpty()) {
            return "properties";
        }
        if (field.equals("name")) {
            return "name";
        }
        if (kind == ResourceKind.CA_CERTIFICATES && field.equals("certificate")) {
            return "properties.encodedCertificate";
        }
        return "properties." + field;
    }

    static ApiException validationFailed(List<ApiException.Detail> problems) {
        return new ApiException(400, "ValidationFailed", problems.size() == 1 ? "1 field is invalid"
                : problems.size() + " fields are invalid", problems);
    }

    private static ApiException invalid(String target, String rule) {
        return validationFailed(List.of(new ApiException.Detail(target, rule)));
    }

    private static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            // The composer only keeps entries the loader read, so the PEM text is always a certificate.
            throw new IllegalStateException("a stored CA certificate cannot be read: " + e.getMessage(), e);
        }
    }
}
