package io.portcullis.authorization;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Keeps the benchmark honest: its requests are a mix of allowed and denied decisions. */
class PermissionEvaluatorBenchmarkTest {

    @Test
    void benchmarkRequestsAreMostlyAllowedAndSomeDenied() {
        PermissionEvaluatorBenchmark benchmark = new PermissionEvaluatorBenchmark();
        benchmark.templates = 100;
        benchmark.setUp();
        PermissionEvaluatorBenchmark.Cursor cursor = new PermissionEvaluatorBenchmark.Cursor();
        int publishAllowed = 0;
        int subscribeAllowed = 0;
        int partial = 0;
        for (int i = 0; i < 8192; i++) {
            publishAllowed += benchmark.publishCheck(cursor).allowed() ? 1 : 0;
        }
        for (int i = 0; i < 8192; i++) {
            AccessDecision decision = benchmark.subscribeCheck(cursor);
            subscribeAllowed += decision.allowed() ? 1 : 0;
            partial += !decision.allowed() && decision.reason().contains("does not cover") ? 1 : 0;
        }

        assertThat(publishAllowed).isBetween(8192 * 6 / 10, 8192 * 9 / 10);
        assertThat(subscribeAllowed).isBetween(8192 * 6 / 10, 8192 * 9 / 10);
        assertThat(partial).isPositive();
        assertThat(benchmark.rebuildAllClients()).hasSize(PermissionEvaluatorBenchmark.CLIENTS)
                .allSatisfy(permissions -> assertThat(permissions.hasAnyPermission()).isTrue());
    }
}
