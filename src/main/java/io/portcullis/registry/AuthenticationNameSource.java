package io.portcullis.registry;

/** A certificate field the authentication name may be read from when CONNECT has no Username (SPEC 2.2). */
public enum AuthenticationNameSource {
    ClientCertificateSubject,
    ClientCertificateDns,
    ClientCertificateUri,
    ClientCertificateIp,
    ClientCertificateEmail
}
