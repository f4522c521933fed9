// A library's constructors hand what they build to the caller, by routes the
// escape analysis has to follow (reduced from rusoto_core's
// `HttpClient::new` and neo4rs's `ConnectionInfo::new`, both reported before).
use std::sync::Arc;

pub struct Http {
    connector: hyper_tls::HttpsConnector<hyper::client::HttpConnector>,
}

impl Http {
    // Two `#[cfg]` variants of one `let`: the one compiled is moved on.
    pub fn new() -> Http {
        #[cfg(feature = "native-tls")]
        let connector = hyper_tls::HttpsConnector::new();
        #[cfg(not(feature = "native-tls"))]
        let connector = {
            let builder = tls::Builder;
            builder.https_only().build()
        };
        Http::from_connector(connector)
    }

    fn from_connector(connector: hyper_tls::HttpsConnector<hyper::client::HttpConnector>) -> Http {
        Http { connector }
    }
}

pub struct Info {
    tls: Option<Arc<rustls::ClientConfig>>,
}

fn tls_config() -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
    let roots = rustls::RootCertStore::empty();
    let config = rustls::ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

impl Info {
    // `bool::then` and `Option::transpose`: the config ends up in `Info`.
    pub fn new(secure: bool) -> Result<Info, rustls::Error> {
        let tls = secure.then(tls_config).transpose()?;
        Ok(Info { tls })
    }

    pub fn new_closure(secure: bool) -> Result<Info, rustls::Error> {
        let tls = secure.then(|| tls_config()).transpose()?;
        Ok(Info { tls })
    }
}

// Firing: the same shapes, where the client is dropped when the function
// returns.
pub fn status(url: &str) -> u16 {
    #[cfg(feature = "native-tls")]
    let client = reqwest::blocking::Client::new(); //~ client_per_call
    #[cfg(not(feature = "native-tls"))]
    let client = reqwest::blocking::Client::builder().build().unwrap(); //~ client_per_call
    client.get(url).send().map(|r| r.status().as_u16()).unwrap_or(0)
}

pub fn maybe_check(secure: bool) -> bool {
    let config = secure.then(tls_config).transpose(); //~ client_per_call
    config.is_ok()
}

mod tls {
    pub struct Builder;
}
