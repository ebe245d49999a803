package io.portcullis.transport;

import java.util.ArrayList;
import java.util.List;

/** The TLS engines the transport tests run on: always the JDK, and BoringSSL where it loads. */
final class Engines {

    private Engines() {
    }

    static List<TlsEngine> available() {
        List<TlsEngine> engines = new ArrayList<>(List.of(TlsEngine.Jdk));
        if (TlsContextFactory.isOpenSslUsable()) {
            engines.add(TlsEngine.OpenSsl);
        }
        return engines;
    }
}
