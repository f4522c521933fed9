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

pub struct Settings(Result<openssl::ssl::SslConnectorBuilder, openssl::error::ErrorStack>);

pub struct Connector(hyper_openssl::HttpsConnector<hyper::client::HttpConnector>);

fn connector_for(builder: openssl::ssl::SslConnectorBuilder) -> Result<Connector, openssl::error::ErrorStack> {
    let mut http = hyper::client::HttpConnector::new();
    http.enforce_http(false);
    let https = hyper_openssl::HttpsConnector::with_connector(http, builder)?;
    Ok(Connector(https))
}

impl Settings {
    // A function handed to `Result::and_then`: its value is the call's
    // (reduced from etcd-client's `OpenSslClientConfig::build`).
    pub(crate) fn build(self) -> Result<Connector, openssl::error::ErrorStack> {
        self.0.and_then(connector_for)
    }
}

pub struct Options {
    tls: Option<Result<Connector, openssl::error::ErrorStack>>,
}

impl Options {
    pub fn with_tls(mut self, settings: Settings) -> Self {
        self.tls = Some(settings.build());
        self
    }
}

type Connecting =
    std::pin::Pin<Box<dyn std::future::Future<Output = reqwest::Result<reqwest::Client>> + Send>>;

pub struct Manager {
    connect: Box<dyn Fn(String) -> Connecting + Send + Sync>,
}

impl Manager {
    // A factory closure kept for later: its future's client goes to whoever
    // runs it, a pool that keeps it (reduced from deadpool-lapin's
    // `Manager::new`).
    pub fn new() -> Manager {
        let connect = move |agent: String| {
            Box::pin(async move { reqwest::Client::builder().user_agent(agent).build() })
                as Connecting
        };
        Manager {
            connect: Box::new(connect),
        }
    }

    pub async fn create(&self) -> reqwest::Result<reqwest::Client> {
        (self.connect)("pool".into()).await
    }
}

pub struct Credentials {
    client: reqwest::Client,
    token: String,
}

impl Credentials {
    // The client is lent to a constructor that keeps a clone of it, which
    // shares its pool (reduced from gcp_auth's `ConfigDefaultCredentials::new`).
    pub async fn new() -> reqwest::Result<Credentials> {
        let client = reqwest::Client::new();
        Credentials::with_client(&client).await
    }

    async fn with_client(client: &reqwest::Client) -> reqwest::Result<Credentials> {
        let token = client.get("http://metadata/token").send().await?.text().await?;
        Ok(Credentials {
            client: client.clone(),
            token,
        })
    }
}

// Firing: lent to a function that only uses it.
pub async fn token_once() -> reqwest::Result<String> {
    let client = reqwest::Client::new(); //~ client_per_call
    fetch_token(&client).await
}

async fn fetch_token(client: &reqwest::Client) -> reqwest::Result<String> {
    client.get("http://metadata/token").send().await?.text().await
}

pub struct Report {
    size: usize,
}

impl Report {
    // Firing: lent to a constructor that only uses it.
    pub async fn fetch() -> reqwest::Result<Report> {
        let client = reqwest::Client::new(); //~ client_per_call
        Report::from_client(&client).await
    }

    async fn from_client(client: &reqwest::Client) -> reqwest::Result<Report> {
        let size = client.get("http://status").send().await?.text().await?.len();
        Ok(Report { size })
    }
}

pub enum Tx {
    Two(reqwest::Client),
    One(reqwest::Client),
}

// `#[cfg]` variants of a block's tail: the compiled one is the block's value
// (reduced from hyper-util's `connect_to`).
pub fn connect(h2: bool) -> Tx {
    let tx = if h2 {
        #[cfg(feature = "native-tls")]
        {
            let client = reqwest::Client::builder().http2_prior_knowledge().build().unwrap();
            Tx::Two(client)
        }
        #[cfg(not(feature = "native-tls"))]
        panic!("http2 is not enabled")
    } else {
        Tx::One(reqwest::Client::new())
    };
    tx
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
    pub struct Https<C>(C);
}
