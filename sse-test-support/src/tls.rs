//! A self-signed certificate made at run time, for HTTPS in tests and demos.
//!
//! The published crates take the application's own rustls `ServerConfig` (its certificate, its
//! policy) and never make one: a self-signed certificate is only for tests and demos, so the
//! helper that makes it lives here, where every adapter's tests and the examples share it,
//! rather than behind a feature of a published crate where it would look like something to
//! deploy.
//!
//! rcgen makes the certificate in pure Rust at run time, so no key or certificate is checked
//! in and none can expire. rustls with its `ring` provider is pure Rust plus ring's small C and
//! assembly core, built with the `cc` the toolchain already needs; `aws-lc-rs` would add cmake.

use std::sync::Arc;

use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// The ALPN protocols a server offers, in order of preference: HTTP/2, then HTTP/1.1.
pub const ALPN_H2_AND_HTTP1: [&[u8]; 2] = [b"h2", b"http/1.1"];

/// A rustls server configuration with a fresh self-signed certificate for `localhost` and
/// `127.0.0.1`, offering HTTP/2 and HTTP/1.1 by ALPN, on the `ring` provider (named
/// explicitly, so that another provider in the build cannot make the choice ambiguous).
///
/// # Panics
///
/// If rcgen or rustls cannot make a certificate or a configuration, which they can always do
/// for these fixed names.
pub fn self_signed_server_config() -> ServerConfig {
    let certified =
        rcgen::generate_simple_self_signed(["localhost".to_owned(), "127.0.0.1".to_owned()])
            .expect("a self-signed certificate");
    let certificate = CertificateDer::from(certified.cert.der().to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let mut config =
        ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .expect("the provider's default protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![certificate], key)
            .expect("rcgen's certificate and key match");
    config.alpn_protocols = ALPN_H2_AND_HTTP1.iter().map(|p| p.to_vec()).collect();
    config
}

/// A client for a server with a [`self_signed_server_config`]: it accepts any certificate
/// (this one is self-signed) and takes HTTP/2 when ALPN offers it.
pub fn https_client() -> reqwest::Client {
    reqwest::Client::builder()
        .use_rustls_tls()
        .danger_accept_invalid_certs(true)
        .build()
        .expect("a TLS client")
}

/// A client that speaks HTTP/2 in cleartext from the first byte (prior knowledge, no upgrade).
pub fn h2c_client() -> reqwest::Client {
    reqwest::Client::builder()
        .http2_prior_knowledge()
        .build()
        .expect("an HTTP/2 client")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offers_h2_then_http1() {
        let config = self_signed_server_config();
        assert_eq!(
            config.alpn_protocols,
            [b"h2".to_vec(), b"http/1.1".to_vec()]
        );
    }
}
