package io.portcullis.registry;

/** Whether a registered client may connect. */
public enum ClientState {
    Enabled,
    Disabled
}
