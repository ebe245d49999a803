package io.portcullis.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC wall clock tests move by hand; safe to read from other threads. */
public final class MutableClock extends Clock {
    private volatile long millis;

    public MutableClock(long millis) {
        this.millis = millis;
    }

    public MutableClock(Instant start) {
        this(start.toEpochMilli());
    }

    public void advanceSeconds(long seconds) {
        millis += seconds * 1000;
    }

    public void advance(Duration duration) {
        millis += duration.toMillis();
    }

    public void set(Instant instant) {
        millis = instant.toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}
