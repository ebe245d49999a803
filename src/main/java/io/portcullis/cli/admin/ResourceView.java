package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What the commands know about one API collection: its path segment under {@code /api/v1/}, the noun
 * people read, and the table columns of {@code list}. The constants are the collections of the admin
 * API contract (docs/admin-api.md).
 *
 * @param collection the collection's path segment, e.g. {@code clients}
 * @param noun       singular noun for messages, e.g. {@code client}
 * @param columns    the list table's columns, in order
 */
record ResourceView(String collection, String noun, List<Column> columns) {
    /** One table column: its header and how a cell is taken from a list item. */
    record Column(String header, Function<JsonNode, String> cell) {
        Column {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(cell, "cell");
        }
    }

    ResourceView {
        Objects.requireNonNull(collection, "collection");
        Objects.requireNonNull(noun, "noun");
        columns = List.copyOf(columns);
    }

    static final ResourceView CA_CERTIFICATES = new ResourceView("caCertificates", "CA certificate", List.of(
            name(), property("THUMBPRINT", "thumbprint"), property("EXPIRES", "expiryTimeInUtc"), origin()));
    static final ResourceView CLIENTS = new ResourceView("clients", "client", List.of(
            name(), property("AUTHENTICATION NAME", "authenticationName"), property("STATE", "state"),
            new Column("SCHEME", item -> text(item.path("properties").path("clientCertificateAuthentication")
                    .path("validationScheme"))),
            origin()));
    static final ResourceView CLIENT_GROUPS = new ResourceView("clientGroups", "client group", List.of(
            name(), property("QUERY", "query"), origin()));
    static final ResourceView TOPIC_SPACES = new ResourceView("topicSpaces", "topic space", List.of(
            name(), property("TEMPLATES", "topicTemplates"), origin()));
    static final ResourceView PERMISSION_BINDINGS = new ResourceView("permissionBindings", "permission binding",
            List.of(name(), property("CLIENT GROUP", "clientGroupName"), property("TOPIC SPACE", "topicSpaceName"),
                    property("PERMISSION", "permission"), origin()));
    static final ResourceView SESSIONS = new ResourceView("sessions", "session", List.of(
            name(),
            new Column("CONNECTED", item -> item.path("connected").asBoolean(false) ? "yes" : "no"),
            field("PROTOCOL", "protocol"), field("REMOTE", "remoteAddress"),
            new Column("SUBSCRIPTIONS", item -> String.valueOf(item.path("subscriptions").size())),
            field("QUEUED", "queuedMessages")));
    static final ResourceView RETAINED_MESSAGES = new ResourceView("retainedMessages", "retained message", List.of(
            field("TOPIC", "topic"), field("QOS", "qos"), field("SIZE", "payloadSize"),
            field("CONTENT TYPE", "contentType"), field("EXPIRY (S)", "messageExpiryIntervalSeconds")));

    List<String> headers() {
        return columns.stream().map(Column::header).toList();
    }

    List<String> cells(JsonNode item) {
        return columns.stream().map(column -> column.cell().apply(item)).toList();
    }

    private static Column name() {
        return field("NAME", "name");
    }

    private static Column origin() {
        return field("ORIGIN", "origin");
    }

    private static Column field(String header, String field) {
        return new Column(header, item -> text(item.path(field)));
    }

    private static Column property(String header, String property) {
        return new Column(header, item -> text(item.path("properties").path(property)));
    }

    private static String text(JsonNode value) {
        String text = KeyValueLines.scalar(value);
        return text.equals("-") ? "" : text;
    }
}
