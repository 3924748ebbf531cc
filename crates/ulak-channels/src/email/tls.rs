//! The TLS client configuration every SMTP connection uses (the bulk sender's and the
//! connection test's): the system's roots, plus a company CA the user chose to trust
//! for one account.

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

pub(crate) fn config(extra_ca_pem: Option<&str>) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for c in native.certs {
        let _ = roots.add(c);
    }
    if let Some(pem) = extra_ca_pem {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|e| format!("the trusted CA file is not valid PEM: {e}"))?;
        for c in certs {
            roots
                .add(c)
                .map_err(|e| format!("the trusted CA cannot be used: {e}"))?;
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let cfg = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(cfg))
}

/// Checks a company CA before it is stored: PEM with at least one certificate, each
/// one usable as a trust anchor, and no private key (a key sent by mistake is refused,
/// never kept). Returns how many certificates it holds.
pub(crate) fn check_ca(pem: &str) -> Result<usize, String> {
    if pem.contains("PRIVATE KEY-----") {
        return Err("the file holds a private key, not a CA certificate; do not share it, and ask IT for the CA certificate (.crt or .pem)".into());
    }
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem.as_bytes())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("the file is not valid PEM: {e}"))?;
    if certs.is_empty() {
        return Err("the file holds no certificate (\"-----BEGIN CERTIFICATE-----\")".into());
    }
    let mut roots = rustls::RootCertStore::empty();
    for c in &certs {
        roots
            .add(c.clone())
            .map_err(|e| format!("a certificate in it cannot be used: {e}"))?;
    }
    Ok(certs.len())
}
