package io.portcullis.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.portcullis.registry.AttributeValue;
import io.portcullis.registry.CaCertificate;
import io.portcullis.registry.Client;
import io.portcullis.registry.ClientGroup;
import io.portcullis.registry.PermissionBinding;
import io.portcullis.registry.TopicSpace;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The registry's resources as entries of the configuration file's registry sections (the tree the loader
 * reads), and {@link #read}, which checks a tree of those sections with exactly the loader's code: names,
 * uniqueness, thumbprints, attributes, query and template syntax, and the groups and topic spaces bindings
 * refer to. The admin API builds the effective registry (file-declared and API-made resources) this way,
 * so both are held to one set of rules. CA certificates are written as inline PEM. Stateless and
 * thread-safe.
 */
public final class RegistryEntries {
    /** The registry sections, in the order the loader reads them (bindings after what they refer to). */
    public static final List<String> SECTIONS =
            List.of("caCertificates", "clients", "clientGroups", "topicSpaces", "permissionBindings");

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private RegistryEntries() {
    }

    /**
     * What {@link #read} made of a tree: the entries that passed, and a problem per failing key. Problem
     * keys name the entry by section and index, for example {@code clients[3].authenticationName}.
     */
    public record Read(List<CaCertificate> caCertificates, List<Client> clients, List<ClientGroup> clientGroups,
                       List<TopicSpace> topicSpaces, List<PermissionBinding> permissionBindings,
                       List<ConfigProblem> problems) {
        public Read {
            caCertificates = List.copyOf(caCertificates);
            clients = List.copyOf(clients);
            clientGroups = List.copyOf(clientGroups);
            topicSpaces = List.copyOf(topicSpaces);
            permissionBindings = List.copyOf(permissionBindings);
            problems = List.copyOf(problems);
        }
    }

    /**
     * Reads the registry sections of {@code sections} (other keys are ignored) by the configuration
     * file's rules. A CA certificate must be inline PEM here: no file is read.
     *
     * @param source names the origin in problems, for example {@code admin API}
     */
    public static Read read(JsonNode sections, SyntaxCheck queryCheck, SyntaxCheck templateCheck, String source) {
        Objects.requireNonNull(queryCheck, "queryCheck");
        Objects.requireNonNull(templateCheck, "templateCheck");
        Problems problems = new Problems(source);
        Section root = Section.of(sections, "", problems);
        RegistrySectionReader reader = new RegistrySectionReader(null, queryCheck, templateCheck);
        List<CaCertificate> cas = reader.caCertificates(root).stream().map(CaCertificateConfig::toRegistryEntry)
                .toList();
        List<Client> clients = reader.clients(root);
        List<ClientGroup> groups = reader.clientGroups(root);
        List<TopicSpace> spaces = reader.topicSpaces(root);
        List<PermissionBinding> bindings = reader.permissionBindings(root);
        return new Read(cas, clients, groups, spaces, bindings, problems.all());
    }

    /** A CA certificate entry with the certificate as inline PEM. */
    public static ObjectNode caCertificate(CaCertificate ca) {
        ObjectNode entry = NODES.objectNode().put("name", ca.name());
        putDescription(entry, ca.description());
        entry.put("certificate", pem(ca.certificate()));
        return entry;
    }

    public static ObjectNode client(Client client) {
        ObjectNode entry = NODES.objectNode().put("name", client.name())
                .put("authenticationName", client.authenticationName())
                .put("state", client.state().name());
        putDescription(entry, client.description());
        ObjectNode authentication = entry.putObject("clientCertificateAuthentication")
                .put("validationScheme", client.validationScheme().name());
        if (!client.allowedThumbprints().isEmpty()) {
            ArrayNode thumbprints = authentication.putArray("allowedThumbprints");
            client.allowedThumbprints().forEach(thumbprints::add);
        }
        if (!client.attributes().isEmpty()) {
            ObjectNode attributes = entry.putObject("attributes");
            // Sorted, so the same registry always renders to the same text.
            for (Map.Entry<String, AttributeValue> attribute : new TreeMap<>(client.attributes()).entrySet()) {
                AttributeValue value = attribute.getValue();
                if (value instanceof AttributeValue.Text text) {
                    attributes.put(attribute.getKey(), text.value());
                } else if (value instanceof AttributeValue.Integer number) {
                    attributes.put(attribute.getKey(), number.value());
                } else if (value instanceof AttributeValue.TextArray array) {
                    ArrayNode items = attributes.putArray(attribute.getKey());
                    array.values().forEach(items::add);
                }
            }
        }
        return entry;
    }

    public static ObjectNode clientGroup(ClientGroup group) {
        ObjectNode entry = NODES.objectNode().put("name", group.name());
        putDescription(entry, group.description());
        return entry.put("query", group.query());
    }

    public static ObjectNode topicSpace(TopicSpace space) {
        ObjectNode entry = NODES.objectNode().put("name", space.name());
        putDescription(entry, space.description());
        ArrayNode templates = entry.putArray("topicTemplates");
        space.topicTemplates().forEach(templates::add);
        return entry;
    }

    public static ObjectNode permissionBinding(PermissionBinding binding) {
        ObjectNode entry = NODES.objectNode().put("name", binding.name());
        putDescription(entry, binding.description());
        return entry.put("clientGroupName", binding.clientGroupName())
                .put("topicSpaceName", binding.topicSpaceName())
                .put("permission", binding.permission().name());
    }

    /** One certificate as PEM text. */
    public static String pem(X509Certificate certificate) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificate);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot PEM-encode certificate "
                    + certificate.getSubjectX500Principal().getName(), e);
        }
        return text.toString();
    }

    private static void putDescription(ObjectNode entry, String description) {
        if (!description.isEmpty()) {
            entry.put("description", description);
        }
    }
}
