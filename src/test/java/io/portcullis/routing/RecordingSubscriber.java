package io.portcullis.routing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A subscriber that records what it is given; safe to deliver to from many threads. */
final class RecordingSubscriber implements Subscriber {
    private final String clientId;
    private final boolean recordsDeliveries;
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final AtomicInteger deliveryCount = new AtomicInteger();
    private volatile boolean connected = true;

    RecordingSubscriber(String clientId) {
        this(clientId, true);
    }

    /** With {@code recordsDeliveries} false it only counts, for long concurrent runs. */
    RecordingSubscriber(String clientId, boolean recordsDeliveries) {
        this.clientId = clientId;
        this.recordsDeliveries = recordsDeliveries;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    void setConnected(boolean connected) {
        this.connected = connected;
    }

    @Override
    public void deliver(Message message, int maximumQos, boolean retainFlag, List<Integer> subscriptionIdentifiers) {
        deliveryCount.incrementAndGet();
        if (recordsDeliveries) {
            deliveries.add(new Delivery(message, maximumQos, retainFlag, List.copyOf(subscriptionIdentifiers)));
        }
    }

    List<Delivery> deliveries() {
        return deliveries;
    }

    int deliveryCount() {
        return deliveryCount.get();
    }

    Delivery onlyDelivery() {
        if (deliveries.size() != 1) {
            throw new AssertionError(clientId + " got " + deliveries.size() + " deliveries, expected 1");
        }
        return deliveries.get(0);
    }

    @Override
    public String toString() {
        return clientId;
    }

    record Delivery(Message message, int maximumQos, boolean retainFlag, List<Integer> subscriptionIdentifiers) {
    }
}
