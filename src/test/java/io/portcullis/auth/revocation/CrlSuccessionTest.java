package io.portcullis.auth.revocation;

import io.portcullis.pki.CertificateIssuer;
import io.portcullis.pki.IssuedCertificate;
import io.portcullis.testsupport.RevocationPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which CRL of one issuer may replace the one held: by CRL Number, else by thisUpdate. */
class CrlSuccessionTest {
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private static final BigInteger LISTED = BigInteger.valueOf(0x5A5A);

    static IssuedCertificate ca;

    @BeforeAll
    static void pki() {
        ca = CertificateIssuer.rootCa("Succession Test CA");
    }

    /**
     * A held CRL and a candidate, each with a CRL number (empty: none) and a thisUpdate in minutes from now;
     * {@code sameCrl} makes the candidate the very same CRL. {@code refusedBecause} is empty when the candidate
     * is taken, else a fragment of the reason.
     */
    @ParameterizedTest(name = "held #{0} at {1} min, candidate #{2} at {3} min, same={4}: refused \"{5}\"")
    @CsvSource({
            "2, 0,  3, 0,  false, ''",
            "2, 0,  3, -60, false, ''",
            "2, 0,  1, 0,  false, 'CRL number 1 is lower than 2'",
            "2, 0,  1, 60, false, 'CRL number 1 is lower than 2'",
            "2, 0,  2, 0,  true,  ''",
            "2, 0,  2, 0,  false, 'CRL number 2 of the CRL in force but a different content'",
            "2, 0,  2, 60, false, 'CRL number 2 of the CRL in force but a different content'",
            ",  0,  ,  60, false, ''",
            ",  0,  ,  0,  false, ''",
            ",  0,  ,  -1, false, 'is earlier than'",
            "2, 0,  ,  -1, false, 'one has no CRL number'",
            ",  0,  7, -1, false, 'one has no CRL number'",
            ",  0,  7, 1,  false, ''",
            "0, 0,  1, 0,  false, ''",
    })
    void takesANewerCrlAndRefusesAnOlderOne(BigInteger heldNumber, long heldMinutes, BigInteger candidateNumber,
                                           long candidateMinutes, boolean sameCrl, String refusedBecause) {
        X509CRL held = crl(heldNumber, heldMinutes, LISTED);
        // The candidate no longer lists the serial: taking it when it is older would take the revocation back.
        X509CRL candidate = sameCrl ? held : crl(candidateNumber, candidateMinutes);

        Optional<String> refusal = CrlSuccession.refusal(held, candidate);

        if (refusedBecause.isEmpty()) {
            assertThat(refusal).isEmpty();
        } else {
            assertThat(refusal).get().asString().contains(refusedBecause);
        }
    }

    @Test
    void readsTheCrlNumberAndNamesBothFieldsForTheLog() {
        X509CRL numbered = crl(BigInteger.valueOf(42), 0);
        X509CRL plain = crl(null, 0);

        assertThat(CrlSuccession.crlNumber(numbered)).isEqualTo(42);
        assertThat(CrlSuccession.crlNumber(plain)).isNull();
        assertThat(CrlSuccession.fields("refused", numbered))
                .isEqualTo("refusedCrlNumber=42 refusedThisUpdate=" + NOW);
        assertThat(CrlSuccession.fields("inForce", plain)).isEqualTo("inForceCrlNumber=none inForceThisUpdate=" + NOW);
    }

    private static X509CRL crl(BigInteger number, long thisUpdateMinutes, BigInteger... revoked) {
        Instant thisUpdate = NOW.plus(thisUpdateMinutes, ChronoUnit.MINUTES);
        Map<BigInteger, Integer> entries = new LinkedHashMap<>();
        for (BigInteger serial : revoked) {
            entries.put(serial, 1);
        }
        return RevocationPki.crl(ca.certificate(), ca.privateKey(), thisUpdate, thisUpdate.plus(1, ChronoUnit.DAYS),
                entries, number);
    }
}
