package io.portcullis.auth.revocation;

import io.portcullis.config.RevocationFailurePolicy;
import io.portcullis.logging.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The CRLs read from the configured CRL files, per path. Immutable: {@link #load} builds the next set from
 * the files on disk, keeping a path's previous CRLs when its file no longer reads or verifies, so a
 * half-written or forged file never replaces a good one, and keeping a path's CRL of an issuer when the file
 * now holds an older CRL of that issuer ({@link CrlSuccession}) or none of that issuer and scope at all, so
 * writing an old CRL back, directly or after another issuer's CRL, cannot take a revocation back. Only a CRL whose
 * signature was verified sets that bar, and only for CRLs its issuer's key signed: a CRL of an issuer not known
 * yet, or one that turned out not to verify, never keeps a genuine CRL out. Only what this process read is
 * compared: after a restart the file on disk is all there is, and a path removed from the settings drops its
 * CRLs. Built on the caller's thread (start-up, apply).
 */
final class CrlFileSet {
    private static final Logger LOG = LoggerFactory.getLogger(CrlFileSet.class);

    static final CrlFileSet EMPTY = new CrlFileSet(Map.of());

    /** What an operator does about a CRL file past its nextUpdate; also in the refusal reason of its clients. */
    static final String STALE_FIX = "publish a current CRL to this path";

    /** One file's CRLs and the SHA-256 of its bytes, to tell whether a reload changed anything. */
    /** The digest of a file whose content was not usable: equal to no SHA-256 digest. */
    private static final String UNUSABLE_CONTENT = "";

    record LoadedFile(Path path, List<LoadedCrl> crls, String digest) {
        LoadedFile {
            crls = List.copyOf(crls);
        }
    }

    private final Map<Path, LoadedFile> files;

    private CrlFileSet(Map<Path, LoadedFile> files) {
        this.files = files;
    }

    /**
     * Reads {@code paths}. A CRL that none of the known CA certificates of its issuer's name signed is left out
     * with a WARN, and the file's other CRLs are taken. A file that cannot be read or holds no CRL that may be
     * taken is not taken: the path keeps its CRLs from {@code previous} (if it had any) and a WARN names the path
     * and the reason. A CRL of a name no known CA has is taken unverified and checked where it is used.
     *
     * @param knownIssuers the CA certificates known now under a CRL's issuer name (registered, or met in a client
     *                     chain), empty when there are none
     * @param now          to warn about a CRL that is already past its nextUpdate when it is loaded
     * @param policy       the policy in force, which that warning names
     */
    static CrlFileSet load(List<Path> paths, CrlFileSet previous,
            Function<X509CRL, List<X509Certificate>> knownIssuers, Instant now, RevocationFailurePolicy policy) {
        Map<Path, LoadedFile> loaded = new LinkedHashMap<>();
        for (Path path : paths) {
            LoadedFile before = previous.files.get(path);
            try {
                LoadedFile file = read(path, knownIssuers);
                if (before != null && before.digest().equals(file.digest())) {
                    loaded.put(path, before);
                    continue;
                }
                LoadedFile taken = before == null ? file : withoutOlderCrls(before, file);
                for (LoadedCrl crl : taken.crls()) {
                    if (before != null && before.crls().contains(crl)) {
                        continue;
                    }
                    if (crl.isStaleAt(now)) {
                        LOG.warn("CRL file is past its nextUpdate: path={} {}; {} until a current CRL is written."
                                + " Fix: {}", path, crl.describe(), policy == RevocationFailurePolicy.FailOpen
                                ? "under whenUnavailable=FailOpen clients of this CA are let in unchecked"
                                : "under whenUnavailable=FailClosed clients of this CA are refused", STALE_FIX);
                    } else {
                        LOG.info("CRL file loaded: path={} {}", path, crl.describe());
                    }
                }
                loaded.put(path, taken);
            } catch (IOException | CRLException | CertificateException | IllegalArgumentException e) {
                String why = e instanceof IOException
                        ? "cannot read the file (" + e.getClass().getSimpleName() + ")" : e.getMessage();
                if (before != null) {
                    LOG.warn("CRL file not loaded, keeping the previous one: path={} reason=\"{}\"", path, why);
                    // The CRLs in force stay, but not the digest: whatever the file holds next is judged and logged
                    // afresh, even the content it held before this one.
                    loaded.put(path, new LoadedFile(before.path(), before.crls(), UNUSABLE_CONTENT));
                } else {
                    LOG.warn("CRL file not loaded, no CRL from it is in use: path={} reason=\"{}\"", path, why);
                }
            }
        }
        return new CrlFileSet(Map.copyOf(loaded));
    }

    /**
     * The CRLs of {@code file}, except that a CRL older than the one of the same issuer and scope that
     * {@code before} held is refused, and a held CRL whose issuer and scope the file no longer carries is kept,
     * each with a WARN: a file is a CRL's only source, so its disappearance must not lift its revocations. The
     * digest is the new file's, so the decision is made and logged once per change of the file, not at every
     * reload.
     */
    private static LoadedFile withoutOlderCrls(LoadedFile before, LoadedFile file) {
        List<LoadedCrl> taken = new ArrayList<>();
        for (LoadedCrl candidate : file.crls()) {
            LoadedCrl kept = null;
            for (LoadedCrl held : before.crls()) {
                PublicKey key = held.verifiedKey();
                if (!held.hasSameIssuerAndScope(candidate) || key == null || !candidate.isSignedBy(key)) {
                    continue;
                }
                Optional<String> refusal = CrlSuccession.refusal(held.crl(), candidate.crl());
                if (refusal.isPresent()) {
                    LOG.warn("Older CRL refused, keeping the CRL in force: path={} issuer=\"{}\" reason=\"{}\" {} {}",
                            file.path(), LogText.safe(candidate.crl().getIssuerX500Principal().getName()),
                            refusal.get(),
                            CrlSuccession.fields("refused", candidate.crl()),
                            CrlSuccession.fields("inForce", held.crl()));
                    kept = held;
                    break;
                }
            }
            LoadedCrl chosen = kept == null ? candidate : kept;
            if (!taken.contains(chosen)) {
                taken.add(chosen);
            }
        }
        for (LoadedCrl held : before.crls()) {
            if (!held.isForged() && file.crls().stream().noneMatch(held::hasSameIssuerAndScope)) {
                LOG.warn("CRL kept: the file no longer holds a CRL of {}; the CRL in force (number {}, thisUpdate {})"
                                + " is kept. Fix: put that issuer's current CRL back in the file, or remove the file"
                                + " from revocation.crlFiles to stop checking it. path={}",
                        LogText.safe(held.crl().getIssuerX500Principal().getName()), crlNumber(held.crl()),
                        held.crl().getThisUpdate().toInstant(), file.path());
                taken.add(held);
            }
        }
        return new LoadedFile(file.path(), taken, file.digest());
    }

    private static String crlNumber(X509CRL crl) {
        BigInteger number = CrlSuccession.crlNumber(crl);
        return number == null ? "none" : number.toString();
    }

    private static LoadedFile read(Path path, Function<X509CRL, List<X509Certificate>> knownIssuers)
            throws IOException, CRLException, CertificateException {
        byte[] bytes = Files.readAllBytes(path);
        Collection<? extends CRL> parsed;
        try {
            parsed = CertificateFactory.getInstance("X.509").generateCRLs(new ByteArrayInputStream(bytes));
        } catch (CRLException e) {
            // The JDK's own words ("Incomplete data") do not say what was being read.
            throw new CRLException("the file is not a valid PEM or DER CRL (" + bytes.length + " bytes): "
                    + e.getMessage() + (holdsCertificate(bytes) ? "; it holds a certificate, not a CRL" : ""));
        }
        if (parsed.isEmpty()) {
            throw new CRLException("the file holds no CRL (" + bytes.length + " bytes)");
        }
        List<LoadedCrl> crls = new ArrayList<>();
        String forged = null;
        for (CRL crl : parsed) {
            X509CRL x509 = (X509CRL) crl;
            LoadedCrl loaded = new LoadedCrl(x509, "crlFile=" + path);
            List<X509Certificate> issuers = knownIssuers.apply(x509);
            // Checked through the LoadedCrl, so a verified CRL is known as one when the file is next reloaded.
            if (!issuers.isEmpty() && issuers.stream().noneMatch(loaded::isSignedBy)) {
                // Only this CRL is left out: a file that also holds a genuine CRL (an old and a new CA key side by
                // side) must not lose that CRL's revocations because of its neighbour.
                forged = "the CRL's signature does not verify against the CA certificate '"
                        + x509.getIssuerX500Principal().getName() + "' (a registered CA or one in a client's chain)";
                LOG.warn("CRL in the file not used, its signature does not verify against the known CA of its"
                        + " issuer name: path={} {}", path, loaded.describe());
                continue;
            }
            crls.add(loaded);
        }
        if (crls.isEmpty()) {
            throw new CRLException(forged);
        }
        return new LoadedFile(path, crls, digest(bytes));
    }

    /** Whether {@code bytes} hold a certificate (PEM or DER), for a clearer refusal of a file that is no CRL. */
    private static boolean holdsCertificate(byte[] bytes) {
        try {
            return !CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))
                    .isEmpty();
        } catch (CertificateException | RuntimeException e) {
            return false;
        }
    }

    /** Every CRL of every file, in configuration order. */
    List<LoadedCrl> all() {
        List<LoadedCrl> all = new ArrayList<>();
        for (LoadedFile file : files.values()) {
            all.addAll(file.crls());
        }
        return all;
    }

    /** Whether this set holds exactly the same file contents as {@code other}. */
    boolean sameAs(CrlFileSet other) {
        if (!files.keySet().equals(other.files.keySet())) {
            return false;
        }
        for (Map.Entry<Path, LoadedFile> entry : files.entrySet()) {
            if (!entry.getValue().digest().equals(other.files.get(entry.getKey()).digest())) {
                return false;
            }
        }
        return true;
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
        }
    }
}
