// What a constructor builds into the value it returns belongs to that value:
// a root store loaded inside `TlsConnector::new` is kept by the connector,
// whether it is moved in through a local (`roots.add_parsable_certificates(certs)`)
// or a field of a temporary (`load_native_certs().certs`). The finding, if
// any, is at the caller that drops the connector (found on a gRPC
// transport's TLS connector).
use std::sync::Arc;

pub struct TlsConnector {
    config: Arc<rustls::ClientConfig>,
}

impl TlsConnector {
    pub fn new() -> Self {
        let mut roots = rustls::RootCertStore::empty();
        let certs = rustls_native_certs::load_native_certs().certs;
        roots.add_parsable_certificates(certs);
        let config = rustls::ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        Self { config: Arc::new(config) }
    }

    pub fn from_native_roots() -> Self {
        let roots = rustls::RootCertStore::from_iter(rustls_native_certs::load_native_certs().certs);
        let config = rustls::ClientConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth();
        Self { config: Arc::new(config) }
    }

    pub fn alpn(&self) -> usize {
        self.config.alpn_protocols.len()
    }
}

// True case beside it: the root store is loaded, used for a count, and
// dropped on every call.
pub fn count_roots() -> usize {
    let mut roots = rustls::RootCertStore::empty();
    let certs = rustls_native_certs::load_native_certs().certs; //~ client_per_call
    roots.add_parsable_certificates(certs);
    roots.len()
}

pub fn handshake_all(hosts: &[String]) -> usize {
    let mut n = 0;
    for _ in hosts {
        n += count_roots();
        n += TlsConnector::new().alpn(); //~ client_in_loop
    }
    n
}
