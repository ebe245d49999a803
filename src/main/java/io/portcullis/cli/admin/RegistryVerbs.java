package io.portcullis.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.cli.ExitCodes;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.HashMap;
import java.util.Map;

/**
 * The five verbs every registry collection has, written once; each resource command (client,
 * client-group, ...) subclasses them with its {@link ResourceView} and, for create and update, its
 * fields. {@code create} is a PUT with {@code If-None-Match: *}; {@code update} is a JSON merge PATCH of
 * only the given fields with {@code If-Match} (the ETag read just before, or {@code --if-match}).
 */
final class RegistryVerbs {
    private RegistryVerbs() {
    }

    private static void requireName(String name, ResourceView view) throws AdminCommandException {
        ApiCommand.requireArgument("NAME", name, "the " + view.noun() + "'s name");
    }

    /** {@code show NAME}: GET one resource. */
    abstract static class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The resource's name.")
        String name;

        abstract ResourceView view();

        @Override
        void validate() throws AdminCommandException {
            requireName(name, view());
        }

        @Override
        int run(AdminApi api) throws AdminCommandException {
            printResource(api.get(ApiPaths.item(view().collection(), name)).body());
            return ExitCodes.OK;
        }
    }

    /** {@code list}: GET the collection, filtered on name. */
    abstract static class Listing extends ListCommand {
        @Option(names = "--filter", paramLabel = "TEXT", order = 19,
                description = "Only names containing TEXT (ignoring case).")
        String filter;

        @Override
        Map<String, String> filterParameters() {
            Map<String, String> parameters = new HashMap<>();
            parameters.put("filter", filter);
            return parameters;
        }
    }

    /** {@code delete NAME}: DELETE, optionally only if the ETag still matches. */
    abstract static class Delete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The resource's name.")
        String name;

        @Option(names = "--if-match", paramLabel = "ETAG", order = 30,
                description = "Delete only if the resource's ETag is still ETAG (quotes optional).")
        String ifMatch;

        abstract ResourceView view();

        @Override
        void validate() throws AdminCommandException {
            requireName(name, view());
        }

        @Override
        int run(AdminApi api) throws AdminCommandException {
            Map<String, String> headers = ifMatch == null ? Map.of() : Map.of("If-Match", quotedEtag(ifMatch));
            api.send("DELETE", ApiPaths.item(view().collection(), name), headers, null);
            printDone("Deleted " + view().noun() + " '" + Text.printable(name) + "'.");
            return ExitCodes.OK;
        }
    }

    /** {@code create NAME ...}: PUT with If-None-Match: * so an existing resource is never replaced. */
    abstract static class Create extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The new resource's name.")
        String name;

        abstract ResourceView view();

        /** The {@code properties} to send; a usage failure names a missing required option. */
        abstract ObjectNode properties() throws AdminCommandException;

        @Override
        void validate() throws AdminCommandException {
            requireName(name, view());
            properties();
        }

        @Override
        int run(AdminApi api) throws AdminCommandException {
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.set("properties", properties());
            ApiResponse response = api.send("PUT", ApiPaths.item(view().collection(), name),
                    Map.of("If-None-Match", "*"), body);
            printResource(response.body());
            return ExitCodes.OK;
        }
    }

    /** {@code update NAME ...}: PATCH only the given fields, guarded by If-Match. */
    abstract static class Update extends ApiCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The resource's name.")
        String name;

        @Option(names = "--if-match", paramLabel = "ETAG", order = 30,
                description = "Update only if the ETag is still ETAG (quotes optional). Without it the command"
                        + " reads the current ETag first.")
        String ifMatch;

        abstract ResourceView view();

        /** The changed {@code properties} (a JSON merge patch); empty when no field option was given. */
        abstract ObjectNode patch() throws AdminCommandException;

        @Override
        void validate() throws AdminCommandException {
            requireName(name, view());
            if (patch().isEmpty()) {
                throw usage("Nothing to update: give at least one field option (see 'update --help').");
            }
        }

        @Override
        int run(AdminApi api) throws AdminCommandException {
            String path = ApiPaths.item(view().collection(), name);
            String etag = ifMatch != null ? quotedEtag(ifMatch) : currentEtag(api, path);
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.set("properties", patch());
            ApiResponse response = api.send("PATCH", path, Map.of("If-Match", etag), body);
            printResource(response.body());
            return ExitCodes.OK;
        }

        private static String currentEtag(AdminApi api, String path) throws AdminCommandException {
            ApiResponse current = api.get(path);
            if (current.etag() != null) {
                return current.etag();
            }
            if (current.body().path("etag").isTextual()) {
                return quotedEtag(current.body().path("etag").asText());
            }
            throw new AdminCommandException(ExitCodes.API_ERROR, "error: GET " + path
                    + " answered without an ETag; give --if-match ETAG");
        }
    }
}
