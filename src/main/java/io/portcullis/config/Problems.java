package io.portcullis.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems found in one configuration file, so all are reported at once. Single-threaded. */
final class Problems {
    private final String file;
    private final List<ConfigProblem> found = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(String key, String problem, String fix) {
        found.add(new ConfigProblem(file, key, problem, fix));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    int count() {
        return found.size();
    }

    List<ConfigProblem> all() {
        return List.copyOf(found);
    }
}
