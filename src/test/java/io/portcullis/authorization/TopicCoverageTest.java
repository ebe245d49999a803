package io.portcullis.authorization;

import io.portcullis.topic.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TopicCoverageTest {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            // The SPEC 3.5 examples.
            "a/#      | a/+/x   | true",
            "a/#      | a/#     | true",
            "a/#      | a/b     | true",
            "a/#      | a       | true",
            "a/+/x    | a/b/x   | true",
            "a/+/x    | a/+/x   | true",
            "a/+/x    | a/#     | false",
            "a/+/x    | a/b/y   | false",
            // '+' in the request only under '+' or '#'; '#' only under '#'.
            "a/b      | a/+     | false",
            "a/+      | a/+     | true",
            "+        | +       | true",
            "+        | a       | true",
            "+        | #       | false",
            "+        | a/b     | false",
            "#        | #       | true",
            "#        | +       | true",
            "#        | a/b/c   | true",
            "a/+      | a/#     | false",
            "a/+/#    | a/#     | false",
            "a/+/#    | a/+     | true",
            "a/+/#    | a/b/#   | true",
            "a/+/#    | a       | false",
            "a/b/#    | a/+/#   | false",
            "a/+      | a/b/c   | false",
            "a/b/c    | a/b     | false",
            "a/b      | a/b/c   | false",
            // Empty levels are levels like any other.
            "a/+/b    | a//b    | true",
            "a//b     | a//b    | true",
            "a//b     | a/+/b   | false",
            "a/+      | a/      | true",
            "a/#      | a/      | true",
            "a        | a/      | false",
            "a/       | a       | false",
            "/        | /       | true",
            "+/+      | /       | true",
            "+        | /       | false",
            "#        | /a      | true",
            "/#       | /a      | true",
            "/#       | a       | false",
            // A wildcard first level never covers '$' topics [MQTT-4.7.2-1].
            "#        | $SYS/x  | false",
            "#        | $SYS/#  | false",
            "+/x      | $SYS/x  | false",
            "+/#      | $SYS/x  | false",
            "$SYS/#   | $SYS/x  | true",
            "#        | +/x     | true",
            "+/#      | #       | true",
            "+/#      | +/#     | true",
            "a/+/#    | a/#     | false",
            "+/+/#    | #       | false",
    })
    void coversWhenEveryTopicOfTheRequestIsMatched(String template, String request, boolean expected) {
        assertThat(TopicCoverage.covers(template, request)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} overlaps {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "a/+/x    | a/#     | true",
            "a/#      | a       | true",
            "a        | a/#     | true",
            "a/+      | +/b     | true",
            "a/b      | a/c     | false",
            "a/+      | a/b/c   | false",
            "+/+      | a       | false",
            "#        | $SYS/x  | false",
            "$SYS/x   | +/x     | false",
            "$SYS/+   | $SYS/#  | true",
            "a//b     | a/+/b   | true",
    })
    void overlapsWhenSomeTopicMatchesBoth(String first, String second, boolean expected) {
        assertThat(TopicCoverage.overlaps(first, second)).isEqualTo(expected);
        assertThat(TopicCoverage.overlaps(second, first)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1} levels")
    @CsvSource(delimiter = '|', value = {"a | 1", "a/b | 2", "/ | 2", "a// | 3", "'' | 1"})
    void keepsEmptyLevelsWhenSplitting(String topic, int levels) {
        assertThat(TopicCoverage.levels(topic)).hasSize(levels);
    }

    /**
     * Compares covers and overlaps with their definitions, by brute force over every topic name of up
     * to one level more than the filters, built from the filters' literals plus one other level.
     */
    @Test
    void agreesWithTheDefinitionOnRandomFilters() {
        Random random = new Random(7);
        List<String> names = FilterGenerator.allNames(4);
        for (int n = 0; n < 3000; n++) {
            String template = FilterGenerator.filter(random, 3, false);
            String request = FilterGenerator.filter(random, 3, true);
            boolean covered = true;
            boolean overlap = false;
            for (String name : names) {
                boolean requested = Topics.matches(request, name);
                boolean granted = Topics.matches(template, name);
                covered &= !requested || granted;
                overlap |= requested && granted;
            }
            assertThat(TopicCoverage.covers(template, request)).as("%s covers %s", template, request)
                    .isEqualTo(covered);
            assertThat(TopicCoverage.overlaps(template, request)).as("%s overlaps %s", template, request)
                    .isEqualTo(overlap);
        }
    }

    /** Random small topic filters and the full set of names they can be judged on. */
    static final class FilterGenerator {
        private static final String[] LEVELS = {"a", "b", "", "+", "#"};
        private static final String[] NAME_LEVELS = {"a", "b", "", "z"};

        private FilterGenerator() {
        }

        static String filter(Random random, int maximumLevels, boolean mayStartWithDollar) {
            int count = 1 + random.nextInt(maximumLevels);
            List<String> levels = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String level = LEVELS[random.nextInt(i == count - 1 ? LEVELS.length : LEVELS.length - 1)];
                levels.add(level);
            }
            if (mayStartWithDollar && random.nextInt(8) == 0) {
                levels.set(0, "$x");
            }
            return String.join("/", levels);
        }

        static List<String> allNames(int maximumLevels) {
            List<String> names = new ArrayList<>();
            List<String> current = new ArrayList<>(List.of(NAME_LEVELS));
            current.add("$x");
            names.addAll(current);
            for (int depth = 2; depth <= maximumLevels; depth++) {
                List<String> next = new ArrayList<>();
                for (String prefix : current) {
                    for (String level : NAME_LEVELS) {
                        next.add(prefix + "/" + level);
                    }
                }
                names.addAll(next);
                current = next;
            }
            return names;
        }
    }
}
