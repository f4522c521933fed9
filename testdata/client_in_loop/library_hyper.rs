// hyper 1.x / hyper-util, hyper 0.14, hyper-rustls and hyper-tls: every client,
// connector and connection handshake built inside a loop fires; clones, request
// values, bodies and unterminated connection builders do not.
use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full};
use hyper::client::conn::{http1, http2};
use hyper::Request;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpStream;

async fn legacy_client(uris: Vec<hyper::Uri>) {
    for uri in uris {
        let client: Client<HttpConnector, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build_http(); //~ client_in_loop
        let resp = client.get(uri.clone()).await.unwrap();
        let _ = resp.into_body().collect().await;
        let https = hyper_rustls::HttpsConnectorBuilder::new() //~ client_in_loop
            .with_native_roots()
            .unwrap()
            .https_or_http()
            .enable_http1()
            .build();
        drop(https);
        // The connector built inline belongs to the client: one finding.
        let client = hyper_util::client::legacy::Builder::new(TokioExecutor::new()).build::<_, Full<Bytes>>(HttpConnector::new()); //~ client_in_loop
        drop(client);
    }
}

async fn connectors(hosts: &[String]) {
    for _host in hosts {
        let mut http = HttpConnector::new(); //~ client_in_loop
        http.enforce_http(false);
        let resolver = hyper_util::client::legacy::connect::dns::GaiResolver::new();
        let with_resolver = HttpConnector::new_with_resolver(resolver); //~ client_in_loop
        let old = hyper::client::HttpConnector::new(); //~ client_in_loop
        let tls = hyper_tls::HttpsConnector::new(); //~ client_in_loop
        let tls_http = hyper_tls::HttpsConnector::new_with_connector(HttpConnector::new()); //~ client_in_loop
        drop((http, with_resolver, old, tls, tls_http));
    }
}

async fn raw_connections(addrs: Vec<String>) -> Result<(), Box<dyn std::error::Error>> {
    for addr in addrs {
        let io = TokioIo::new(TcpStream::connect(&addr).await?);
        let (mut sender, conn) = http1::handshake(io).await?; //~ client_in_loop
        tokio::spawn(conn);
        let req = Request::builder().uri("/health").body(Empty::<Bytes>::new())?;
        let resp = sender.send_request(req).await?;
        let _ = resp.into_body().collect().await?;

        let io = TokioIo::new(TcpStream::connect(&addr).await?);
        let (sender, conn) = http2::handshake(TokioExecutor::new(), io).await?; //~ client_in_loop
        tokio::spawn(conn);
        drop(sender);

        let io = TokioIo::new(TcpStream::connect(&addr).await?);
        let (sender, conn) = http1::Builder::new().title_case_headers(true).handshake::<_, Full<Bytes>>(io).await?; //~ client_in_loop
        tokio::spawn(conn);
        drop(sender);

        let io = TokioIo::new(TcpStream::connect(&addr).await?);
        let (sender, conn) = http2::Builder::new(TokioExecutor::new()).handshake::<_, Full<Bytes>>(io).await?; //~ client_in_loop
        tokio::spawn(conn);
        drop(sender);
    }
    Ok(())
}

async fn hyper_014(uris: Vec<hyper::Uri>, streams: Vec<tokio::net::TcpStream>) -> Result<(), hyper::Error> {
    for uri in uris {
        let client = hyper::Client::new(); //~ client_in_loop
        let resp = client.get(uri).await?;
        let _ = hyper::body::to_bytes(resp.into_body()).await?;
        let d: hyper::Client<hyper::client::HttpConnector> = hyper::Client::default(); //~ client_in_loop
        let b = hyper::Client::builder().pool_max_idle_per_host(4).build_http::<hyper::Body>(); //~ client_in_loop
        let c = hyper::client::Builder::default().http2_only(true).build_http::<hyper::Body>(); //~ client_in_loop
        let e = hyper::client::Client::new(); //~ client_in_loop
        drop((d, b, c, e));
    }
    for io in streams {
        let (sender, conn) = hyper::client::conn::handshake(io).await?; //~ client_in_loop
        tokio::spawn(conn);
        drop(sender);
    }
    Ok(())
}

async fn shared(client: &Client<HttpConnector, Full<Bytes>>, old: &hyper::Client<hyper::client::HttpConnector>, uris: Vec<String>) {
    for u in uris {
        let c = client.clone();
        let o = old.clone();
        let req = Request::builder().uri(&u).body(Full::new(Bytes::from("x"))).unwrap();
        let _plain = http::Request::new(());
        let _built = http::Response::builder().status(200).body(()).unwrap();
        let mut headers = http::HeaderMap::new();
        headers.insert("x-id", http::HeaderValue::from_static("1"));
        let _uri = http::Uri::from_static("http://localhost/");
        let _url = url::Url::parse(&u).unwrap();
        let _empty = hyper::Body::empty();
        let _from = hyper::Body::from(u.clone());
        let _none = Empty::<Bytes>::new();
        let _opts = http1::Builder::new().title_case_headers(true);
        let _opts2 = http2::Builder::new(TokioExecutor::new());
        let resp = c.request(req).await.unwrap();
        let _ = BodyExt::collect(resp.into_body()).await;
        drop(o);
    }
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = legacy_client(todo!()).await;
        let _ = connectors(todo!()).await;
        let _ = raw_connections(todo!()).await;
        let _ = hyper_014(todo!(), todo!()).await;
        let _ = shared(todo!(), todo!(), todo!(), todo!()).await;
    }
}
