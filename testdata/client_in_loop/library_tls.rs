// rustls, rustls-native-certs, native-tls and openssl: TLS configs, root stores
// and connectors built per connection fire; wrapping an existing config, empty
// root stores, server names and the static webpki roots do not.
use std::sync::Arc;

use openssl::ssl::{SslConnector, SslContext, SslMethod};
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, RootCertStore};
use tokio::net::TcpStream;

async fn rustls_per_connection(hosts: &[String], certs: Vec<rustls::pki_types::CertificateDer<'static>>, key: rustls::pki_types::PrivateKeyDer<'static>) -> anyhow::Result<()> {
    for host in hosts {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let config = ClientConfig::builder().with_root_certificates(roots.clone()).with_no_client_auth(); //~ client_in_loop
        let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
        let stream = TcpStream::connect((host.as_str(), 443)).await?;
        let _tls = connector.connect(ServerName::try_from(host.clone())?, stream).await?;

        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let a = ClientConfig::builder_with_provider(provider.clone()) //~ client_in_loop
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots.clone())
            .with_client_auth_cert(certs.clone(), key.clone_key())?;
        let b = ClientConfig::builder_with_protocol_versions(&[&rustls::version::TLS13]) //~ client_in_loop
            .with_root_certificates(roots.clone())
            .with_no_client_auth();
        let resolver = Arc::new(rustls::client::AlwaysResolvesClientRawPublicKeys::new(Arc::new(rustls::sign::CertifiedKey::new(certs.clone(), provider.key_provider.load_private_key(key.clone_key())?))));
        let c = ClientConfig::builder_with_details(provider.clone(), Arc::new(rustls::time_provider::DefaultTimeProvider)) //~ client_in_loop
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_client_cert_resolver(resolver);
        let native = rustls_native_certs::load_native_certs(); //~ client_in_loop
        let reexported = tokio_rustls::rustls::ClientConfig::builder().with_root_certificates(RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() }).with_no_client_auth(); //~ client_in_loop
        drop((a, b, c, native, reexported));
    }
    Ok(())
}

async fn native_tls_per_connection(hosts: &[String]) -> anyhow::Result<()> {
    for host in hosts {
        let connector = native_tls::TlsConnector::new()?; //~ client_in_loop
        let connector = tokio_native_tls::TlsConnector::from(connector);
        let stream = TcpStream::connect((host.as_str(), 443)).await?;
        let _tls = connector.connect(host, stream).await?;
        let strict = native_tls::TlsConnector::builder().min_protocol_version(Some(native_tls::Protocol::Tlsv12)).build()?; //~ client_in_loop
        let via_tokio = tokio_native_tls::native_tls::TlsConnector::new()?; //~ client_in_loop
        drop((strict, via_tokio));
    }
    Ok(())
}

fn openssl_per_connection(hosts: &[String]) -> Result<(), openssl::error::ErrorStack> {
    for host in hosts {
        let connector = SslConnector::builder(SslMethod::tls())?.build(); //~ client_in_loop
        let mut ctx = SslContext::builder(SslMethod::tls_client())?;
        ctx.set_default_verify_paths()?;
        let ctx = ctx.build(); //~ client_in_loop
        println!("{host}");
        drop((connector, ctx));
    }
    Ok(())
}

async fn shared(config: Arc<ClientConfig>, native: native_tls::TlsConnector, hosts: &[String]) -> anyhow::Result<()> {
    for host in hosts {
        let connector = tokio_rustls::TlsConnector::from(config.clone());
        let again = connector.clone();
        let name = ServerName::try_from(host.clone())?;
        let stream = TcpStream::connect((host.as_str(), 443)).await?;
        let _tls = again.connect(name, stream).await?;
        let wrapped = tokio_native_tls::TlsConnector::from(native.clone());
        let _copy = wrapped.clone();
        let _roots = RootCertStore::empty();
        let _static = webpki_roots::TLS_SERVER_ROOTS;
    }
    Ok(())
}
