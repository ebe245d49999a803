package io.portcullis.broker;

import io.portcullis.authorization.GroupQuery;
import io.portcullis.authorization.QueryParseException;
import io.portcullis.authorization.TemplateParseException;
import io.portcullis.authorization.TopicTemplate;
import io.portcullis.config.ConfigException;
import io.portcullis.config.ConfigLoader;
import io.portcullis.config.LoadedConfig;
import io.portcullis.config.SyntaxCheck;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Loads configuration files with every check the broker has: the loader's own rules plus the
 * authorization package's grammar for client group queries and topic templates, so a bad query fails
 * at start with its position rather than at first use.
 */
public final class Configurations {
    private static final SyntaxCheck QUERY_CHECK = query -> {
        try {
            GroupQuery.parse(query);
            return Optional.empty();
        } catch (QueryParseException e) {
            return Optional.of(e.getMessage());
        }
    };
    private static final SyntaxCheck TEMPLATE_CHECK = template -> {
        try {
            TopicTemplate.parse(template);
            return Optional.empty();
        } catch (TemplateParseException e) {
            return Optional.of(e.getMessage());
        }
    };

    private Configurations() {
    }

    /** A loader that applies the query and template grammar. */
    public static ConfigLoader loader() {
        return new ConfigLoader(QUERY_CHECK, TEMPLATE_CHECK, Clock.systemUTC());
    }

    /** The client group query grammar as a syntax check (for resources made through the admin API too). */
    public static SyntaxCheck queryCheck() {
        return QUERY_CHECK;
    }

    /** The topic template grammar as a syntax check. */
    public static SyntaxCheck templateCheck() {
        return TEMPLATE_CHECK;
    }

    public static LoadedConfig load(Path file) throws ConfigException {
        return loader().load(file);
    }
}
