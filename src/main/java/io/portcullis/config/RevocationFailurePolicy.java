package io.portcullis.config;

/**
 * What a revocation check decides when it cannot get a current answer: a CRL past its nextUpdate, a
 * CRL distribution point or OCSP responder that cannot be reached or answers nonsense.
 */
public enum RevocationFailurePolicy {
    /** Refuse the certificate (the default): an attacker who blocks the responder gains nothing. */
    FailClosed,
    /** Accept the certificate, with a WARN and a metric, so a responder outage cannot lock out the fleet. */
    FailOpen
}
