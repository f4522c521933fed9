// tonic: channels connected and generated clients dialled inside a loop fire;
// endpoints that are never connected, TLS options, message wrappers, channel
// clones and generated clients wrapping an existing channel do not.
use std::str::FromStr;
use std::time::Duration;

use tonic::transport::{Channel, ClientTlsConfig, Endpoint};

pub mod pb {
    tonic::include_proto!("helloworld");
}

use pb::greeter_client::GreeterClient;
use pb::HelloRequest;

async fn channels(addrs: Vec<String>, uris: Vec<http::Uri>) -> Result<(), Box<dyn std::error::Error>> {
    for a in &addrs {
        let c1 = Endpoint::from_static("http://[::1]:50051").connect().await?; //~ client_in_loop
        let c2 = Endpoint::from_shared(a.clone())?.timeout(Duration::from_secs(5)).connect().await?; //~ client_in_loop
        let c3 = Endpoint::new(a.clone())?.connect_lazy(); //~ client_in_loop
        let c4 = Endpoint::try_from(a.clone())?.connect().await?; //~ client_in_loop
        let c5 = Endpoint::from_str(a)?.connect_lazy(); //~ client_in_loop
        let c6 = Channel::from_static("http://[::1]:50051").connect().await?; //~ client_in_loop
        let c7 = Channel::from_shared(a.clone())?.connect_lazy(); //~ client_in_loop
        let c8 = Channel::builder(a.parse()?).connect().await?; //~ client_in_loop
        let connector = tower::service_fn(|_: http::Uri| async { tokio::net::TcpStream::connect("[::1]:50051").await });
        let c9 = Endpoint::from_shared(a.clone())?.connect_with_connector(connector).await?; //~ client_in_loop
        let connector = tower::service_fn(|_: http::Uri| async { tokio::net::TcpStream::connect("[::1]:50051").await });
        let c10 = Endpoint::from_shared(a.clone())?.connect_with_connector_lazy(connector); //~ client_in_loop
        drop((c1, c2, c3, c4, c5, c6, c7, c8, c9, c10));
    }
    for u in uris {
        let e = Endpoint::from(u);
        let balanced = Channel::balance_list(vec![e].into_iter()); //~ client_in_loop
        drop(balanced);
        let (balanced, tx) = Channel::balance_channel::<usize>(16); //~ client_in_loop
        drop((balanced, tx));
        let (balanced, tx) = Channel::balance_channel_with_executor::<usize, _>(16, TokioExec); //~ client_in_loop
        drop((balanced, tx));
    }
    for a in &addrs {
        let endpoint = Endpoint::from_shared(a.clone())?;
        // Moved into the channels below, which own it: reported there, not here.
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let lazy = Channel::new(connector.clone(), endpoint.clone()); //~ client_in_loop
        let eager = Channel::connect(connector, endpoint).await?; //~ client_in_loop
        drop((lazy, eager));
    }
    Ok(())
}

#[derive(Clone)]
struct TokioExec;

impl<F: std::future::Future<Output = ()> + Send + 'static> hyper::rt::Executor<F> for TokioExec {
    fn execute(&self, fut: F) {
        tokio::spawn(fut);
    }
}

async fn generated_clients(addrs: Vec<String>) -> Result<(), Box<dyn std::error::Error>> {
    for a in addrs {
        let mut client = GreeterClient::connect(a).await?; //~ client_in_loop
        let reply = client.say_hello(tonic::Request::new(HelloRequest { name: "x".into() })).await?;
        println!("{:?}", reply.into_inner());
    }
    Ok(())
}

async fn shared(channel: Channel, names: Vec<String>) -> Result<(), Box<dyn std::error::Error>> {
    for n in names {
        let mut client = GreeterClient::new(channel.clone());
        let mut with_origin = GreeterClient::with_origin(channel.clone(), "http://example.com".parse()?);
        let mut intercepted = GreeterClient::with_interceptor(channel.clone(), |req: tonic::Request<()>| Ok(req));
        let request = tonic::Request::new(HelloRequest { name: n });
        let _ = client.say_hello(request).await?;
        let _ = (&mut with_origin, &mut intercepted);
        let _endpoint = Endpoint::from_static("http://[::1]:50051").timeout(Duration::from_secs(1));
        let _endpoint = Endpoint::from_shared("http://[::1]:50051".to_string())?;
        let _endpoint = Endpoint::new("http://[::1]:50051".to_string())?;
        let _builder = Channel::from_static("http://[::1]:50051");
        let _builder = Channel::from_shared("http://[::1]:50051".to_string())?;
        let _tls = ClientTlsConfig::new().domain_name("example.com");
        let _configured = Endpoint::from_static("https://example.com").tls_config(ClientTlsConfig::new())?;
        let _status = tonic::Status::not_found("gone");
        let _response = tonic::Response::new(());
    }
    Ok(())
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = channels(todo!(), todo!()).await;
        let _ = generated_clients(todo!()).await;
        let _ = shared(todo!(), todo!()).await;
    }
}
