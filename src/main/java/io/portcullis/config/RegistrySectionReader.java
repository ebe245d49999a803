package io.portcullis.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.portcullis.config.PemMaterial.PemException;
import io.portcullis.registry.AttributeValue;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.ClientState;
import io.portcullis.registry.NameRules;
import io.portcullis.registry.Permission;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.Registry;
import io.portcullis.registry.TopicSpace;
import io.portcullis.registry.ValidationScheme;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the registry sections of the configuration file (caCertificates, clients, clientGroups,
 * topicSpaces, permissionBindings) and checks the rules of SPEC 3.1–3.4: names, uniqueness,
 * thumbprints, attributes, and that bindings refer to groups and topic spaces that exist.
 * Single-threaded; one instance per load, called in section order (bindings last). Without a base
 * directory (entries that do not come from a file) CA certificates must be inline PEM.
 */
final class RegistrySectionReader {
    private static final String RESOURCE_NAME_FIX = "use 3 to 50 letters, digits and '-'";

    private final Path baseDirectory;
    private final SyntaxCheck queryCheck;
    private final SyntaxCheck templateCheck;
    private final Map<String, String> groupNames = new HashMap<>();
    private final Map<String, String> topicSpaceNames = new HashMap<>();

    RegistrySectionReader(Path baseDirectory, SyntaxCheck queryCheck, SyntaxCheck templateCheck) {
        this.baseDirectory = baseDirectory;
        this.queryCheck = queryCheck;
        this.templateCheck = templateCheck;
    }

    List<CaCertificateConfig> caCertificates(Section root) {
        List<CaCertificateConfig> result = new ArrayList<>();
        Uniqueness names = new Uniqueness("CA certificate name", true);
        Uniqueness thumbprints = new Uniqueness("certificate", false);
        List<JsonNode> items = root.list("caCertificates");
        for (int i = 0; i < items.size(); i++) {
            Section entry = Section.of(items.get(i), "caCertificates[" + i + "]", root.problems());
            String name = resourceName(entry);
            String description = entry.text("description", "");
            String value = entry.requiredText("certificate", "give a PEM file path, or the PEM text itself");
            entry.rejectUnknownKeys();
            if (value == null) {
                continue;
            }
            CaCertificateConfig ca = readCa(entry, name, description, value);
            if (ca != null && name != null && names.add(name, entry.key("name"), root.problems())
                    && thumbprints.add(thumbprint(ca.certificate()), entry.key("certificate"), root.problems())) {
                result.add(ca);
            }
        }
        return result;
    }

    private CaCertificateConfig readCa(Section entry, String name, String description, String value) {
        String key = entry.key("certificate");
        Path file = null;
        String pem = value;
        if (!value.contains("-----BEGIN") && baseDirectory == null) {
            // Entries read without a file (the admin API) carry their certificate as text.
            entry.problems().add(key, "is not PEM text", "give the CA certificate as PEM text, starting with"
                    + " -----BEGIN CERTIFICATE-----");
            return null;
        }
        if (!value.contains("-----BEGIN")) {
            ConfigFiles.FileText text = ConfigFiles.read(baseDirectory, value, key, entry.problems());
            if (text == null) {
                return null;
            }
            file = text.path();
            pem = text.text();
        }
        String where = file == null ? "the inline PEM" : "file " + file;
        List<X509Certificate> certificates;
        try {
            certificates = PemMaterial.certificates(pem);
        } catch (PemException e) {
            entry.problems().add(key, where + " " + e.getMessage(), "give the CA certificate in PEM form");
            return null;
        }
        if (certificates.size() != 1) {
            entry.problems().add(key, where + " holds " + certificates.size() + " certificates",
                    "register one CA certificate per entry; split the file and add an entry for each CA you trust");
            return null;
        }
        X509Certificate certificate = certificates.get(0);
        // Version 1 certificates carry no extensions, so old roots without basic constraints stay usable.
        if (certificate.getVersion() >= 3 && certificate.getBasicConstraints() < 0) {
            entry.problems().add(key, where + " (" + certificate.getSubjectX500Principal().getName()
                    + ") is not a CA certificate (basicConstraints cA=false)", "register the root or intermediate"
                    + " that issued the client"
                    + " certificates; to admit one self-signed client certificate use ThumbprintMatch instead");
            return null;
        }
        return name == null ? null : new CaCertificateConfig(name, description, file, certificate);
    }

    List<Client> clients(Section root) {
        List<Client> result = new ArrayList<>();
        Uniqueness names = new Uniqueness("client name", false);
        Uniqueness authenticationNames = new Uniqueness("authentication name", true);
        List<JsonNode> items = root.list("clients");
        for (int i = 0; i < items.size(); i++) {
            Section entry = Section.of(items.get(i), "clients[" + i + "]", root.problems());
            Client client = client(entry);
            entry.rejectUnknownKeys();
            if (client != null && names.add(client.name(), entry.key("name"), root.problems())
                    && authenticationNames.add(client.authenticationName(),
                    entry.key(entry.has("authenticationName") ? "authenticationName" : "name"), root.problems())) {
                result.add(client);
            }
        }
        return result;
    }

    private Client client(Section entry) {
        Problems problems = entry.problems();
        String name = entry.requiredText("name", "give the client a name of 1 to 128 letters, digits, '-', ':',"
                + " '.', '_'");
        if (name != null) {
            Optional<String> problem = NameRules.clientNameProblem(name);
            if (problem.isPresent()) {
                problems.add(entry.key("name"), problem.get(), "use 1 to 128 letters, digits, '-', ':', '.', '_'");
                name = null;
            }
        }
        String authenticationName = entry.text("authenticationName", name);
        if (authenticationName != null && entry.has("authenticationName")) {
            Optional<String> problem = NameRules.authenticationNameProblem(authenticationName);
            if (problem.isPresent()) {
                problems.add(entry.key("authenticationName"), problem.get(),
                        "use 1 to 128 characters, or leave it out to use the client name");
                authenticationName = null;
            }
        }
        ClientState state = entry.choice("state", ClientState.class, Enum::name, ClientState.Enabled);
        String description = entry.text("description", "");

        Section authentication = entry.section("clientCertificateAuthentication");
        ValidationScheme scheme = authentication.choice("validationScheme", ValidationScheme.class, Enum::name,
                ValidationScheme.SubjectMatchesAuthenticationName);
        List<String> thumbprints = thumbprints(authentication, scheme);
        authentication.rejectUnknownKeys();

        Map<String, AttributeValue> attributes = attributes(entry);
        if (name == null || authenticationName == null || thumbprints == null || attributes == null) {
            return null;
        }
        return new Client(name, authenticationName, scheme, thumbprints, state, attributes, description);
    }

    private static List<String> thumbprints(Section authentication, ValidationScheme scheme) {
        String key = authentication.key("allowedThumbprints");
        Problems problems = authentication.problems();
        List<JsonNode> items = authentication.list("allowedThumbprints");
        boolean isThumbprintScheme = scheme == ValidationScheme.ThumbprintMatch;
        if (!isThumbprintScheme && !items.isEmpty()) {
            problems.add(key, "thumbprints are only used with validationScheme ThumbprintMatch, but this client"
                    + " uses " + scheme, "remove allowedThumbprints, or set validationScheme: ThumbprintMatch");
            return null;
        }
        if (isThumbprintScheme && (items.size() < NameRules.MINIMUM_THUMBPRINTS
                || items.size() > NameRules.MAXIMUM_THUMBPRINTS)) {
            problems.add(key, "ThumbprintMatch needs 1 or 2 thumbprints, found " + items.size(),
                    "list the SHA-256 thumbprint of the client certificate, and at most one more for rotation"
                            + " ('portcullis' prints it when it makes a certificate)");
            return null;
        }
        List<String> thumbprints = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String text = item.isTextual() ? item.asText() : Section.describe(item);
            Optional<String> problem = item.isTextual() ? NameRules.thumbprintProblem(text)
                    : Optional.of(text + " is not text");
            if (problem.isPresent()) {
                problems.add(key + "[" + i + "]", problem.get(), "write the SHA-256 digest of the DER certificate"
                        + " as 64 hex digits without separators, e.g. from: openssl x509 -in client.crt -noout"
                        + " -fingerprint -sha256 | tr -d :");
                return null;
            }
            String normalized = text.toUpperCase(Locale.ROOT);
            if (thumbprints.contains(normalized)) {
                problems.add(key + "[" + i + "]", "repeats thumbprint " + normalized,
                        "list two different thumbprints (primary and secondary) or just one");
                return null;
            }
            thumbprints.add(normalized);
        }
        return thumbprints;
    }

    private static Map<String, AttributeValue> attributes(Section entry) {
        JsonNode node = entry.get("attributes");
        String key = entry.key("attributes");
        Problems problems = entry.problems();
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject()) {
            problems.add(key, "expected a mapping of attribute names to values, found " + Section.describe(node),
                    "write attributes as 'name: value' lines, for example 'type: sensor'");
            return null;
        }
        Map<String, AttributeValue> attributes = new LinkedHashMap<>();
        boolean isValid = true;
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String fieldKey = key + "." + field.getKey();
            Optional<String> keyProblem = NameRules.attributeKeyProblem(field.getKey());
            if (keyProblem.isPresent()) {
                problems.add(fieldKey, keyProblem.get(), "rename it using letters, digits and '_'");
                isValid = false;
                continue;
            }
            AttributeValue value = attributeValue(field.getValue(), fieldKey, problems);
            if (value == null) {
                isValid = false;
            } else {
                attributes.put(field.getKey(), value);
            }
        }
        int size = NameRules.attributesSize(attributes);
        if (isValid && size >= NameRules.MAXIMUM_ATTRIBUTES_SIZE) {
            problems.add(key, "attributes take " + size + " bytes; they must stay under "
                    + NameRules.MAXIMUM_ATTRIBUTES_SIZE, "shorten or remove attributes");
            isValid = false;
        }
        return isValid ? attributes : null;
    }

    private static AttributeValue attributeValue(JsonNode value, String key, Problems problems) {
        String fix = "use text, a whole number, or a list of texts; quote a value such as 'true' or '1.5' to"
                + " store it as text";
        if (value.isTextual()) {
            return new AttributeValue.Text(value.asText());
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return new AttributeValue.Integer(value.asLong());
        }
        if (value.isArray()) {
            List<String> texts = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                JsonNode item = value.get(i);
                if (!item.isTextual()) {
                    problems.add(key + "[" + i + "]", Section.describe(item) + " is not text; list attributes"
                            + " hold only texts", "quote it, for example '" + item.asText() + "'");
                    return null;
                }
                texts.add(item.asText());
            }
            return new AttributeValue.TextArray(texts);
        }
        problems.add(key, Section.describe(value) + " is not an allowed attribute value", fix);
        return null;
    }

    List<ClientGroup> clientGroups(Section root) {
        List<ClientGroup> result = new ArrayList<>();
        Uniqueness names = new Uniqueness("client group name", true);
        List<JsonNode> items = root.list("clientGroups");
        for (int i = 0; i < items.size(); i++) {
            Section entry = Section.of(items.get(i), "clientGroups[" + i + "]", root.problems());
            String name;
            if (ClientGroup.ALL.equals(entry.text("name", null))) {
                entry.problems().add(entry.key("name"), "'$all' is the built-in group of every client and cannot"
                        + " be redefined", "remove this entry; permission bindings may use $all as it is");
                name = null;
            } else {
                name = resourceName(entry);
            }
            String query = entry.requiredText("query", "give a query such as attributes.type = 'sensor'");
            String description = entry.text("description", "");
            entry.rejectUnknownKeys();
            if (query != null) {
                Optional<String> problem = query.isBlank() ? Optional.of("the query is empty")
                        : queryCheck.problem(query);
                if (problem.isPresent()) {
                    entry.problems().add(entry.key("query"), problem.get(), "correct the query; the grammar is"
                            + " 'operand op literal' joined by and/or, e.g. attributes.floor <= 5");
                    query = null;
                }
            }
            if (name != null) {
                // Known even when its query is wrong, so bindings that name it do not report a second problem.
                groupNames.putIfAbsent(Registry.foldCase(name), name);
            }
            if (name != null && query != null && names.add(name, entry.key("name"), root.problems())) {
                result.add(new ClientGroup(name, query, description));
            }
        }
        return result;
    }

    List<TopicSpace> topicSpaces(Section root) {
        List<TopicSpace> result = new ArrayList<>();
        Uniqueness names = new Uniqueness("topic space name", true);
        List<JsonNode> items = root.list("topicSpaces");
        for (int i = 0; i < items.size(); i++) {
            Section entry = Section.of(items.get(i), "topicSpaces[" + i + "]", root.problems());
            String name = resourceName(entry);
            String description = entry.text("description", "");
            String listKey = entry.key("topicTemplates");
            List<JsonNode> templateNodes = entry.list("topicTemplates");
            entry.rejectUnknownKeys();
            boolean isValid = true;
            if (templateNodes.isEmpty()) {
                entry.problems().add(listKey, "is required and must hold at least one template",
                        "list topic filters, e.g. [\"sensors/${client.authenticationName}/#\"]");
                isValid = false;
            }
            List<String> templates = new ArrayList<>();
            for (int t = 0; t < templateNodes.size(); t++) {
                JsonNode node = templateNodes.get(t);
                Optional<String> problem = !node.isTextual() ? Optional.of(Section.describe(node) + " is not text")
                        : node.asText().isEmpty() ? Optional.of("the template is empty")
                        : templateCheck.problem(node.asText());
                if (problem.isPresent()) {
                    entry.problems().add(listKey + "[" + t + "]", problem.get(), "write an MQTT topic filter that"
                            + " may use ${client.authenticationName} or ${client.attributes.<key>}, quoted");
                    isValid = false;
                } else {
                    templates.add(node.asText());
                }
            }
            if (name != null) {
                topicSpaceNames.putIfAbsent(Registry.foldCase(name), name);
            }
            if (name != null && isValid && names.add(name, entry.key("name"), root.problems())) {
                result.add(new TopicSpace(name, templates, description));
            }
        }
        return result;
    }

    /** Reads the bindings; call after {@link #clientGroups} and {@link #topicSpaces}. */
    List<PermissionBinding> permissionBindings(Section root) {
        List<PermissionBinding> result = new ArrayList<>();
        Uniqueness names = new Uniqueness("permission binding name", true);
        List<JsonNode> items = root.list("permissionBindings");
        for (int i = 0; i < items.size(); i++) {
            Section entry = Section.of(items.get(i), "permissionBindings[" + i + "]", root.problems());
            String name = resourceName(entry);
            String group = entry.requiredText("clientGroupName", "name a client group from clientGroups, or $all");
            String space = entry.requiredText("topicSpaceName", "name a topic space from topicSpaces");
            Permission permission = null;
            if (entry.has("permission")) {
                permission = entry.choice("permission", Permission.class, Enum::name, null);
            } else {
                entry.problems().add(entry.key("permission"), "is required", "write Publisher or Subscriber");
            }
            String description = entry.text("description", "");
            entry.rejectUnknownKeys();
            boolean isGroupKnown = group != null && (ClientGroup.ALL.equals(group)
                    || reference(entry, "clientGroupName", group, groupNames, "clientGroups", "client group"));
            boolean isSpaceKnown = space != null
                    && reference(entry, "topicSpaceName", space, topicSpaceNames, "topicSpaces", "topic space");
            if (name != null && isGroupKnown && isSpaceKnown && permission != null
                    && names.add(name, entry.key("name"), root.problems())) {
                result.add(new PermissionBinding(name, group, space, permission, description));
            }
        }
        return result;
    }

    private static boolean reference(Section entry, String field, String value, Map<String, String> defined,
                                     String section, String kind) {
        String exact = defined.get(Registry.foldCase(value));
        if (value.equals(exact)) {
            return true;
        }
        String fix = exact != null ? "write it as '" + exact + "'; references use the name's exact spelling"
                : "define a " + kind + " named '" + value + "' under " + section + ", or correct the name"
                + (kind.equals("client group") ? " ($all means every client)" : "");
        entry.problems().add(entry.key(field), "no " + kind + " is named '" + value + "'", fix);
        return false;
    }

    /** The entry's name if it follows the resource name rules, else {@code null} after a problem. */
    private static String resourceName(Section entry) {
        String name = entry.requiredText("name", RESOURCE_NAME_FIX);
        if (name == null) {
            return null;
        }
        Optional<String> problem = NameRules.resourceNameProblem(name);
        if (problem.isPresent()) {
            entry.problems().add(entry.key("name"), problem.get(), RESOURCE_NAME_FIX);
            return null;
        }
        return name;
    }

    private static String thumbprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            // Upper case, as thumbprints are stored and printed everywhere else.
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot digest a parsed certificate", e);
        }
    }

    /** Remembers values already used in one section, to report a repeat with the key of the first use. */
    private static final class Uniqueness {
        private final String what;
        private final boolean isCaseInsensitive;
        private final Map<String, String> firstKeys = new HashMap<>();

        Uniqueness(String what, boolean isCaseInsensitive) {
            this.what = what;
            this.isCaseInsensitive = isCaseInsensitive;
        }

        boolean add(String value, String key, Problems problems) {
            String folded = isCaseInsensitive ? Registry.foldCase(value) : value;
            String first = firstKeys.putIfAbsent(folded, key);
            if (first != null) {
                problems.add(key, "the " + what + " '" + value + "' is already used at " + first
                        + (isCaseInsensitive ? " (compared ignoring case)" : ""), "make each " + what + " unique");
                return false;
            }
            return true;
        }
    }
}
