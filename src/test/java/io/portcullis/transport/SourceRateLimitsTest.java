package io.portcullis.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;

/** What a source is (IPv4 address, IPv6 /64) and what the per-source limit does when its table is full. */
class SourceRateLimitsTest {
    private static final long NOW = 1_000_000_000_000L;

    @ParameterizedTest(name = "{0} is limited as {1}")
    @CsvSource({
            "192.0.2.7, 192.0.2.7",
            "10.255.0.1, 10.255.0.1",
            "2001:db8:1:2:3:4:5:6, 2001:db8:1:2::",
            "2001:db8:1:2:ffff:ffff:ffff:ffff, 2001:db8:1:2::",
            "2001:db8:1:3::1, 2001:db8:1:3::",
            "::1, ::",
            "fe80::1234:5678, fe80::",
            "::ffff:192.0.2.7, 192.0.2.7",
            "64:ff9b::c000:207, 64:ff9b::",
    })
    void keysIpv4ByAddressAndIpv6ByItsSlash64(String address, String source) throws UnknownHostException {
        assertThat(SourceRateLimits.sourceKey(InetAddress.getByName(address)))
                .isEqualTo(InetAddress.getByName(source));
    }

    @Test
    void anIpv4MappedAddressHeldAsIpv6CountsAsItsIpv4Address() throws UnknownHostException {
        // InetAddress.getByName turns ::ffff:a.b.c.d into an Inet4Address; this form keeps it IPv6.
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 7};
        InetAddress address = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(address).isInstanceOf(Inet6Address.class);

        assertThat(SourceRateLimits.sourceKey(address)).isEqualTo(InetAddress.getByName("192.0.2.7"));
    }

    @Test
    void addressesOfOneSlash64ShareOneBucket() throws UnknownHostException {
        SourceRateLimits sources = new SourceRateLimits(1, 5, 65_536, NOW);

        int admitted = 0;
        for (int i = 0; i < 10_000; i++) {
            if (sources.tryTake(InetAddress.getByName("2001:db8:aa:bb:" + Integer.toHexString(i) + "::1"), NOW)) {
                admitted++;
            }
        }

        assertThat(admitted).isEqualTo(5);
        assertThat(sources.trackedSources()).isEqualTo(1);
        assertThat(sources.tryTake(InetAddress.getByName("2001:db8:aa:bc::1"), NOW)).as("the next /64").isTrue();
    }

    /**
     * The table is filled with busy sources (each took one token, so none has refilled); then {@code newcomers}
     * distinct new sources arrive at once and share the overflow bucket of {@code burst} tokens.
     */
    @ParameterizedTest(name = "table of {0}, burst {1}: {2} newcomers, {3} admitted")
    @CsvSource({
            "100, 2, 1000, 2",
            "100, 10, 1000, 10",
            "100, 10, 5, 5",
            "1, 3, 50, 3",
    })
    void newcomersToAFullTableShareOneOverflowBucket(int maximumSources, int burst, int newcomers, int admitted)
            throws UnknownHostException {
        SourceRateLimits sources = new SourceRateLimits(1, burst, maximumSources, NOW);
        for (int i = 0; i < maximumSources; i++) {
            assertThat(sources.tryTake(ipv4(i), NOW)).isTrue();
        }

        int taken = 0;
        for (int i = 0; i < newcomers; i++) {
            if (sources.tryTake(ipv6(i), NOW)) {
                taken++;
            }
        }

        assertThat(taken).isEqualTo(admitted);
        assertThat(sources.trackedSources()).isEqualTo(maximumSources);
        assertThat(sources.untracked()).isEqualTo(newcomers);
    }

    @Test
    void theOverflowBucketRefillsAndTheTableFreesRoomOnceBucketsRefill() throws UnknownHostException {
        SourceRateLimits sources = new SourceRateLimits(1, 2, 10, NOW);
        for (int i = 0; i < 10; i++) {
            sources.tryTake(ipv4(i), NOW);
        }
        assertThat(sources.tryTake(ipv6(1), NOW)).isTrue();
        assertThat(sources.tryTake(ipv6(2), NOW)).isTrue();
        assertThat(sources.tryTake(ipv6(3), NOW)).isFalse();

        // 1 s later the tracked buckets are full again: the sweep of a full table drops them.
        long later = NOW + 1_000_000_000L;
        assertThat(sources.tryTake(ipv6(3), later)).isTrue();
        assertThat(sources.trackedSources()).isEqualTo(1);
    }

    private static InetAddress ipv4(int i) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
    }

    /** A host in its own /64. */
    private static InetAddress ipv6(int i) throws UnknownHostException {
        return InetAddress.getByName("2001:db8:" + Integer.toHexString(i >> 16) + ":" + Integer.toHexString(i & 0xffff)
                + "::1");
    }
}
