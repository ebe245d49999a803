package io.portcullis.registry;

/** The right a permission binding grants on a topic space. */
public enum Permission {
    Publisher,
    Subscriber
}
