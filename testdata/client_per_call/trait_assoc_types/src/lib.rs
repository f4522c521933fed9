// A connector kept in the value a trait method returns (`Self::Service`, a
// type the trait names) is handed back, not dropped: `Wrapped::new` returns
// what the layer's `wrap` builds from itself. (hyper-openssl's
// `HttpsConnector::new` is `HttpsLayer::new().map(|l| l.layer(http))`.)

pub trait Wrap<S> {
    type Output;
    fn wrap(&self, inner: S) -> Self::Output;
}

#[derive(Clone)]
pub struct TlsLayer {
    tls: native_tls::TlsConnector,
}

impl TlsLayer {
    pub fn new() -> Result<TlsLayer, native_tls::Error> {
        Ok(TlsLayer {
            tls: native_tls::TlsConnector::new()?,
        })
    }
}

pub struct Wrapped<S> {
    inner: S,
    tls: native_tls::TlsConnector,
}

impl<S> Wrap<S> for TlsLayer {
    type Output = Wrapped<S>;

    fn wrap(&self, inner: S) -> Self::Output {
        Wrapped {
            inner,
            tls: self.tls.clone(),
        }
    }
}

impl Wrapped<std::net::TcpStream> {
    // The layer's connector ends up in the returned value: no finding.
    pub fn new(stream: std::net::TcpStream) -> Result<Self, native_tls::Error> {
        TlsLayer::new().map(|l| l.wrap(stream))
    }

    // The same, spelled out.
    pub fn connect(stream: std::net::TcpStream) -> Result<Self, native_tls::Error> {
        let layer = TlsLayer::new()?;
        Ok(layer.wrap(stream))
    }
}

pub struct Bare<S> {
    inner: S,
}

pub trait Strip<S> {
    type Output;
    fn strip(&self, inner: S) -> Self::Output;
}

impl<S> Strip<S> for TlsLayer {
    type Output = Bare<S>;

    fn strip(&self, inner: S) -> Self::Output {
        Bare { inner }
    }
}

impl Bare<std::net::TcpStream> {
    // The layer and its connector are dropped here, on every call.
    pub fn new(stream: std::net::TcpStream) -> Result<Self, native_tls::Error> {
        TlsLayer::new().map(|l| l.strip(stream)) //~ client_per_call
    }
}
