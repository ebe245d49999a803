package io.portcullis.auth.revocation;

import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.pki.KeyAlgorithm;
import io.portcullis.pki.SubjectAltNames;
import io.portcullis.pki.Validity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The memory of revoked certificates: per issuer key and serial, until notAfter, holds excepted, bounded. */
class RevokedCertificatesTest {
    static IssuedCertificate ca;
    static IssuedCertificate otherCa;

    @BeforeAll
    static void pki() {
        ca = CertificateIssuer.rootCa("Revoked Memory CA");
        otherCa = CertificateIssuer.rootCa("Revoked Memory Other CA");
    }

    @Test
    void remembersARevocationPerIssuerKeyAndSerialUntilTheCertificateExpires() {
        RevokedCertificates memory = new RevokedCertificates();
        IssuedCertificate client = CertificateIssuer.client(ca, "memory-client");
        Instant now = Instant.now();

        memory.remember(client.certificate(), ca.certificate(), "keyCompromise", "ocsp=http://127.0.0.1/", now);

        assertThat(memory.find(client.certificate(), ca.certificate()))
                .isEqualTo(new RevokedCertificates.Entry("keyCompromise", "ocsp=http://127.0.0.1/",
                        client.certificate().getNotAfter().toInstant()));
        assertThat(memory.find(client.certificate(), otherCa.certificate())).as("another issuer key").isNull();
        assertThat(memory.find(CertificateIssuer.client(ca, "memory-other").certificate(), ca.certificate()))
                .isNull();
    }

    @Test
    void aHoldOrAnExpiredCertificateIsNotRemembered() {
        RevokedCertificates memory = new RevokedCertificates();
        IssuedCertificate held = CertificateIssuer.client(ca, "memory-held");
        IssuedCertificate expired = CertificateIssuer.client(ca, "memory-expired");

        memory.remember(held.certificate(), ca.certificate(), "certificateHold", "crlFile=/x.crl", Instant.now());
        memory.remember(expired.certificate(), ca.certificate(), "keyCompromise", "crlFile=/x.crl",
                expired.certificate().getNotAfter().toInstant().plusSeconds(1));

        assertThat(memory.size()).isZero();
    }

    @Test
    void whenFullItKeepsWhatItHoldsAndMakesRoomOnlyFromExpiredEntries() {
        RevokedCertificates memory = new RevokedCertificates(2);
        List<IssuedCertificate> clients = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clients.add(CertificateIssuer.client(ca, "memory-full-" + i));
        }
        Instant now = Instant.now();
        memory.remember(clients.get(0).certificate(), ca.certificate(), "keyCompromise", "s", now);
        memory.remember(clients.get(1).certificate(), ca.certificate(), "keyCompromise", "s", now);
        memory.remember(clients.get(2).certificate(), ca.certificate(), "keyCompromise", "s", now);

        assertThat(memory.find(clients.get(0).certificate(), ca.certificate())).isNotNull();
        assertThat(memory.find(clients.get(1).certificate(), ca.certificate())).isNotNull();
        assertThat(memory.find(clients.get(2).certificate(), ca.certificate())).as("not taken when full").isNull();

        // Once the remembered certificates have expired, their places are free again.
        IssuedCertificate later = CertificateIssuer.client(ca, "memory-later", KeyAlgorithm.EcP256,
                SubjectAltNames.NONE, Validity.days(800));
        Instant afterExpiry = clients.get(1).certificate().getNotAfter().toInstant().plusSeconds(1);
        memory.remember(later.certificate(), ca.certificate(), "keyCompromise", "s", afterExpiry);
        assertThat(memory.find(later.certificate(), ca.certificate())).isNotNull();
        assertThat(memory.size()).isEqualTo(1);
    }
}
