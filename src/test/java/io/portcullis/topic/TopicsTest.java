package io.portcullis.topic;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TopicsTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "a/b/c      | a/b/c     | true",
            "a/b/c      | a/b       | false",
            "a/b        | a/b/c     | false",
            "a/+/c      | a/b/c     | true",
            "a/+/c      | a//c      | true",
            "a/+        | a/b/c     | false",
            "a/#        | a         | true",
            "a/#        | a/b/c     | true",
            "a/#        | ab        | false",
            "#          | a/b       | true",
            "#          | /a        | true",
            "+          | /a        | false",
            "+/+        | /a        | true",
            "+          | a         | true",
            "+          | ''        | true",
            "#          | $SYS/x    | false",
            "+/x        | $SYS/x    | false",
            "$SYS/#     | $SYS/x    | true",
            "$SYS/+     | $SYS/x    | true",
            "a/b/#      | a/b       | true",
            "a/+/#      | a/b       | true",
            "a/+/#      | a         | false",
            "sport/tennis/+ | sport/tennis/player1 | true",
            "sport/tennis/+ | sport/tennis/player1/ranking | false",
            "sport/+    | sport     | false",
            "sport/+    | sport/    | true",
            "abc        | abd       | false",
            "a/b/       | a/b/      | true",
            "a/b/       | a/b       | false",
    })
    void matchesTopicNamesAgainstFilters(String filter, String topic, boolean expected) {
        assertThat(Topics.matches(filter, topic)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "filter {0} valid: {1}")
    @CsvSource(delimiter = '|', value = {
            "a/b/c   | true",
            "#       | true",
            "a/#     | true",
            "+/+/+   | true",
            "+       | true",
            "/       | true",
            "a/b#    | false",
            "a/#/b   | false",
            "a+/b    | false",
            "a/+b    | false",
            "##      | false",
    })
    void validatesTopicFilters(String filter, boolean valid) {
        assertThat(Topics.validateFilter(filter, 1024, 32) == null).isEqualTo(valid);
    }

    @ParameterizedTest(name = "name {0} valid: {1}")
    @CsvSource(delimiter = '|', value = {
            "a/b/c   | true",
            "/       | true",
            "$SYS/a  | true",
            "a/+     | false",
            "a/#     | false",
    })
    void validatesTopicNames(String topic, boolean valid) {
        assertThat(Topics.validateName(topic, 1024, 32) == null).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "$share/g/a/b  | g | a/b",
            "$share/g/#    | g | #",
            "$share//a     |   | ",
            "$share/g      |   | ",
            "$share/g/     |   | ",
            "$share/g+/a   |   | ",
    })
    void parsesSharedSubscriptionFilters(String filter, String group, String inner) {
        Topics.SharedFilter shared = Topics.parseShared(filter);
        if (group == null) {
            assertThat(shared).isNull();
        } else {
            assertThat(shared).isEqualTo(new Topics.SharedFilter(group, inner));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"a | 1", "é | 2", "€ | 3", "😀 | 4"})
    void countsUtf8Bytes(String s, int bytes) {
        assertThat(Topics.utf8Length(s)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"32 | true", "2 | false"})
    void limitsLevels(int maximumLevels, boolean valid) {
        assertThat(Topics.validateName("a/b/c", 1024, maximumLevels) == null).isEqualTo(valid);
    }
}
