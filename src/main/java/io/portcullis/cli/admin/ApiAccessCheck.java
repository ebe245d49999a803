package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.cli.ExitCodes;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * {@code check-access} against a running broker: {@code POST /api/v1/accessChecks} with the client,
 * the action and the topic, printed like the file mode ({@code ALLOWED} or {@code DENIED}, then the
 * explanation) or as the API's JSON. Exit code 0 when allowed, 1 when denied. Called by
 * {@code cli.CheckAccessCommand} on the main thread.
 */
public final class ApiAccessCheck {
    private ApiAccessCheck() {
    }

    /**
     * Asks the broker and prints the answer.
     *
     * @param publish true for "may publish to {@code topic}", false for "may subscribe to the filter"
     * @return the exit code
     */
    public static int run(AdminConnectionOptions connection, OutputOptions output, String client, boolean publish,
                          String topic, PrintWriter out, PrintWriter err) {
        try {
            AdminApi api = AdminApi.connect(connection.resolve());
            ObjectNode request = Json.MAPPER.createObjectNode()
                    .put("clientName", client)
                    .put("action", publish ? "publish" : "subscribe")
                    .put("topic", topic);
            JsonNode answer = api.send("POST", ApiPaths.collection("accessChecks"), Map.of(), request).body();
            if (!answer.path("allowed").isBoolean()) {
                throw new AdminCommandException(ExitCodes.API_ERROR, "error: POST /api/v1/accessChecks answered"
                        + " without 'allowed'; is the broker's admin API at this address?");
            }
            boolean allowed = answer.path("allowed").asBoolean();
            if (output.isJson()) {
                out.println(Json.pretty(answer));
            } else {
                out.println(allowed ? "ALLOWED" : "DENIED");
                lines(answer).forEach(out::println);
            }
            out.flush();
            return allowed ? ExitCodes.OK : ExitCodes.DENIED;
        } catch (AdminCommandException e) {
            e.lines().forEach(err::println);
            err.flush();
            return e.exitCode();
        }
    }

    /** The broker's explanation lines, or a one-line decision when it sent none. */
    private static List<String> lines(JsonNode answer) {
        JsonNode explanation = answer.path("explanation");
        if (explanation.isArray() && !explanation.isEmpty()) {
            return StreamSupport.stream(explanation.spliterator(), false)
                    .map(line -> Text.printable(line.asText())).toList();
        }
        if (answer.path("allowed").asBoolean()) {
            return List.of("Decision: allowed by binding '" + text(answer, "permissionBinding") + "', topic space '"
                    + text(answer, "topicSpace") + "', template '" + text(answer, "topicTemplate") + "'.");
        }
        return List.of("Decision: denied: " + text(answer, "reason"));
    }

    private static String text(JsonNode answer, String field) {
        return Text.printable(answer.path(field).asText(""));
    }
}
