//! One SMTP connection opened the fast way: lettre 0.11 never sets TCP_NODELAY, so each
//! message would wait for the peer's delayed ACK (40 ms, about 23 messages/s). We open
//! the TCP stream ourselves with `set_nodelay(true)`, wrap it in TLS for implicit-TLS
//! ports, and hand it to lettre's `AsyncSmtpConnection` for the SMTP dialogue.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{
    AsyncSmtpConnection, AsyncTokioStream, Certificate, TlsParameters,
};
use lettre::transport::smtp::extension::ClientId;
use rustls::pki_types::ServerName;
use secrecy::{ExposeSecret, SecretString};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

use crate::accounts::Account;
use crate::send::SendError;
use crate::server::Security;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// A TLS stream lettre can drive (it wants `peer_addr` besides reading and writing).
#[derive(Debug)]
struct TlsTcp(tokio_rustls::client::TlsStream<TcpStream>);

impl AsyncRead for TlsTcp {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl AsyncWrite for TlsTcp {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }
}

impl AsyncTokioStream for TlsTcp {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

fn network(e: impl std::fmt::Display) -> SendError {
    SendError::Network(e.to_string())
}

/// Connects, negotiates TLS as the account says, and signs in.
pub async fn open(
    a: &Account,
    password: &SecretString,
    ca_pem: Option<&str>,
) -> Result<AsyncSmtpConnection, SendError> {
    let tcp = tokio::time::timeout(
        CONNECT_TIMEOUT,
        TcpStream::connect((a.host.as_str(), a.port)),
    )
    .await
    .map_err(|_| SendError::Network(format!("no answer from {}:{}", a.host, a.port)))?
    .map_err(network)?;
    tcp.set_nodelay(true).map_err(network)?;
    let hello = ClientId::default();
    let mut conn = match a.security {
        Security::Tls => {
            let cfg = crate::probe::tls_config(ca_pem).map_err(SendError::Network)?;
            let name = ServerName::try_from(a.host.clone()).map_err(network)?;
            let tls = tokio::time::timeout(
                CONNECT_TIMEOUT,
                tokio_rustls::TlsConnector::from(cfg).connect(name, tcp),
            )
            .await
            .map_err(|_| SendError::Network("TLS handshake timed out".into()))?
            .map_err(network)?;
            AsyncSmtpConnection::connect_with_transport(Box::new(TlsTcp(tls)), &hello)
                .await
                .map_err(network)?
        }
        Security::Starttls => {
            let mut c = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &hello)
                .await
                .map_err(network)?;
            let mut params = TlsParameters::builder(a.host.clone());
            if let Some(pem) = ca_pem {
                params = params
                    .add_root_certificate(Certificate::from_pem(pem.as_bytes()).map_err(network)?);
            }
            c.starttls(params.build_rustls().map_err(network)?, &hello)
                .await
                .map_err(network)?;
            c
        }
        Security::None => AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &hello)
            .await
            .map_err(network)?,
    };
    let creds = Credentials::new(a.username.clone(), password.expose_secret().to_string());
    conn.auth(&[Mechanism::Plain, Mechanism::Login], &creds)
        .await
        .map_err(|e| SendError::Auth(e.to_string()))?;
    Ok(conn)
}
