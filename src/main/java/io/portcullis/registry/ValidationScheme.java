package io.portcullis.registry;

/** How a client's certificate is checked against its authentication name (SPEC 2.3). */
public enum ValidationScheme {
    SubjectMatchesAuthenticationName,
    DnsMatchesAuthenticationName,
    UriMatchesAuthenticationName,
    IpMatchesAuthenticationName,
    EmailMatchesAuthenticationName,
    ThumbprintMatch
}
