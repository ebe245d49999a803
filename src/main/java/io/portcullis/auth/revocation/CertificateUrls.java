package io.portcullis.auth.revocation;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the revocation URLs a certificate names: the full-name URIs of its CRL Distribution Points
 * (RFC 5280 4.2.1.13) and the OCSP access locations of its Authority Information Access (4.2.2.1). Only
 * {@code http} URLs are returned; LDAP and other schemes are skipped. Stateless; malformed extensions give
 * no URLs rather than an error.
 */
final class CertificateUrls {

    private CertificateUrls() {
    }

    static List<URI> crlDistributionPoints(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (value == null) {
            return List.of();
        }
        List<URI> urls = new ArrayList<>();
        try {
            CRLDistPoint points = CRLDistPoint.getInstance(JcaX509ExtensionUtils.parseExtensionValue(value));
            for (DistributionPoint point : points.getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                    addHttp(urls, GeneralNames.getInstance(name.getName()).getNames());
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
        return List.copyOf(urls);
    }

    static List<URI> ocspResponders(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (value == null) {
            return List.of();
        }
        List<URI> urls = new ArrayList<>();
        try {
            AuthorityInformationAccess access = AuthorityInformationAccess.getInstance(
                    JcaX509ExtensionUtils.parseExtensionValue(value));
            for (AccessDescription description : access.getAccessDescriptions()) {
                if (AccessDescription.id_ad_ocsp.equals(description.getAccessMethod())) {
                    addHttp(urls, new GeneralName[] {description.getAccessLocation()});
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return List.of();
        }
        return List.copyOf(urls);
    }

    private static void addHttp(List<URI> urls, GeneralName[] names) {
        for (GeneralName name : names) {
            if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
                continue;
            }
            String text = ASN1IA5String.getInstance(name.getName()).getString();
            try {
                URI uri = new URI(text);
                if ("http".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT))) {
                    urls.add(uri);
                }
            } catch (URISyntaxException e) {
                // Not a URL this broker can fetch; other entries may still be.
            }
        }
    }
}
