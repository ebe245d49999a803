package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Base of the {@code list} commands. Without {@code --top} it follows every {@code nextLink} and prints
 * all items as one table (or, with {@code -o json}, one {@code {"value": [...]}} object). With
 * {@code --top N} it prints one page of at most N: a table, then on stderr the {@code --skip-token}
 * that continues; with {@code -o json} the page exactly as the API sent it, {@code nextLink} included.
 */
abstract class ListCommand extends ApiCommand {

    @Option(names = "--top", paramLabel = "N", order = 20,
            description = "Print one page of at most N (1-1000) instead of every page.")
    Integer top;

    @Option(names = "--skip-token", paramLabel = "TOKEN", order = 21,
            description = "Continue a --top listing where the previous page ended (printed on stderr).")
    String skipToken;

    abstract ResourceView view();

    /** The collection's own query parameters ({@code filter} or {@code topicFilter}); null values are left out. */
    abstract Map<String, String> filterParameters();

    @Override
    void validate() throws AdminCommandException {
        if (top != null && (top < 1 || top > 1000)) {
            throw usage("--top must be 1 to 1000, was " + top);
        }
    }

    @Override
    int run(AdminApi api) throws AdminCommandException {
        Map<String, String> parameters = new LinkedHashMap<>(filterParameters());
        parameters.put("top", top == null ? null : top.toString());
        parameters.put("skipToken", skipToken);
        String path = ApiPaths.withQuery(ApiPaths.collection(view().collection()), parameters);
        if (top == null) {
            ArrayNode items = api.all(path);
            if (isJson()) {
                ObjectNode all = Json.MAPPER.createObjectNode();
                all.set("value", items);
                printJson(all);
            } else {
                printTable(view(), items);
            }
            return 0;
        }
        AdminApi.Page page = api.page(path);
        if (isJson()) {
            printJson(page.body());
            return 0;
        }
        printTable(view(), page.items());
        String next = page.nextLink() == null ? null : skipToken(page.nextLink());
        if (next != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("More " + view().noun() + "s follow: add --skip-token " + next
                    + " (or leave out --top to list them all).");
            err.flush();
        }
        return 0;
    }

    /** The {@code skipToken} parameter of a nextLink, decoded, or null when it has none. */
    static String skipToken(String nextLink) {
        int question = nextLink.indexOf('?');
        if (question < 0) {
            return null;
        }
        for (String pair : nextLink.substring(question + 1).split("&")) {
            if (pair.startsWith("skipToken=")) {
                // '+' is literal in a URI query; URLDecoder would turn it into a space.
                String raw = pair.substring("skipToken=".length()).replace("+", "%2B");
                return Text.printable(URLDecoder.decode(raw, StandardCharsets.UTF_8));
            }
        }
        return null;
    }
}
