//! Certificates and rustls configurations for the example drivers: a self-signed identity
//! from rcgen (or PEM files), the ring provider, the public roots, a client configuration
//! that records whether the server's certificate verified, and the [`TlsInfo`] facts.
#![allow(dead_code)]

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{CommonState, DigitallySignedStruct, RootCertStore, SignatureScheme};
use smtp_wire::TlsInfo;

use super::BoxError;

/// A certificate chain and its key, with their PEM text (for software that reads files).
pub(crate) struct Identity {
    pub(crate) certs: Vec<CertificateDer<'static>>,
    pub(crate) key: PrivateKeyDer<'static>,
    pub(crate) cert_pem: String,
    pub(crate) key_pem: String,
}

impl Identity {
    /// A self-signed certificate for `names` (DNS names or IP addresses), made now.
    pub(crate) fn generate(names: &[&str]) -> Result<Self, BoxError> {
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let rcgen::CertifiedKey { cert, signing_key } = rcgen::generate_simple_self_signed(names)?;
        let key = PrivateKeyDer::try_from(signing_key.serialize_der())?;
        Ok(Self { certs: vec![cert.der().clone()], key, cert_pem: cert.pem(), key_pem: signing_key.serialize_pem() })
    }

    /// A chain and a key read from PEM files.
    pub(crate) fn load(cert: &str, key: &str) -> Result<Self, BoxError> {
        let (cert_pem, key_pem) = (std::fs::read_to_string(cert)?, std::fs::read_to_string(key)?);
        let certs = CertificateDer::pem_slice_iter(cert_pem.as_bytes()).collect::<Result<Vec<_>, _>>()?;
        let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())?;
        Ok(Self { certs, key, cert_pem, key_pem })
    }

    /// A root store that trusts this (self-signed) certificate.
    pub(crate) fn roots(&self) -> RootCertStore {
        let mut roots = RootCertStore::empty();
        roots.add_parsable_certificates(self.certs.iter().cloned());
        roots
    }

    /// The server's rustls configuration.
    pub(crate) fn server_tls(&self) -> Result<Arc<rustls::ServerConfig>, rustls::Error> {
        let config = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(self.certs.clone(), self.key.clone_key())?;
        Ok(Arc::new(config))
    }
}

/// rustls with `ring`, named explicitly (no process-wide default to install).
pub(crate) fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The public web roots (the probe's "verified").
pub(crate) fn public_roots() -> RootCertStore {
    RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() }
}

/// A client's rustls configuration. The handshake accepts any certificate (signatures are
/// still checked); [`ClientTls::verified`] then says whether the chain verifies against the
/// roots for the name. The SMTP machine decides what an unverified peer means: encrypted but
/// `unverified` under `Opportunistic`, refused under `Required` ([`ClientError::PeerUnverified`]).
pub(crate) struct ClientTls {
    pub(crate) config: Arc<rustls::ClientConfig>,
    verifier: Arc<WebPkiServerVerifier>,
}

#[derive(Debug)]
struct AnyCertificate(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyCertificate {
    fn verify_server_cert(
        &self,
        _: &CertificateDer<'_>,
        _: &[CertificateDer<'_>],
        _: &ServerName<'_>,
        _: &[u8],
        _: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

impl ClientTls {
    pub(crate) fn new(roots: RootCertStore) -> Result<Self, BoxError> {
        let verifier = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider()).build()?;
        let config = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AnyCertificate(verifier.clone())))
            .with_no_client_auth();
        Ok(Self { config: Arc::new(config), verifier })
    }

    /// Whether the peer's chain verifies against the roots for `name`, now.
    pub(crate) fn verified(&self, conn: &CommonState, name: &ServerName<'_>) -> bool {
        let Some((end, chain)) = conn.peer_certificates().and_then(|c| c.split_first()) else { return false };
        self.verifier.verify_server_cert(end, chain, name, &[], UnixTime::now()).is_ok()
    }
}

/// What the machines record about a finished handshake: version and cipher suite in their
/// usual names (`TLSv1.3`, `TLS_AES_256_GCM_SHA384`).
pub(crate) fn tls_info(conn: &CommonState, verified: bool) -> TlsInfo {
    let version = match conn.protocol_version() {
        Some(rustls::ProtocolVersion::TLSv1_3) => "TLSv1.3".to_string(),
        Some(rustls::ProtocolVersion::TLSv1_2) => "TLSv1.2".to_string(),
        other => format!("{other:?}"),
    };
    let cipher = conn.negotiated_cipher_suite().map(|s| format!("{:?}", s.suite())).unwrap_or_default();
    let cipher = cipher.replacen("TLS13_", "TLS_", 1);
    TlsInfo::new(&version, &cipher).with_peer_verified(verified)
}
