// rocket, warp, poem, salvo, tonic, hyper, tower and lambda handlers.
mod rocket_app {
    use rocket::get;

    #[get("/hello")]
    async fn hello() -> String {
        let c = reqwest::Client::new(); //~ client_in_handler
        c.get("http://x").send().await.unwrap().text().await.unwrap()
    }
}

mod warp_app {
    use warp::Filter;

    pub fn routes() -> impl Filter<Extract = (String,), Error = warp::Rejection> + Clone {
        warp::path("hello").and_then(|| async move {
            let c = reqwest::Client::new(); //~ client_in_handler
            Ok::<_, warp::Rejection>(c.get("http://x").send().await.unwrap().text().await.unwrap())
        })
    }
}

mod poem_app {
    use poem::handler;

    #[handler]
    async fn hello() -> String {
        let c = reqwest::Client::new(); //~ client_in_handler
        c.get("http://x").send().await.unwrap().text().await.unwrap()
    }
}

mod salvo_app {
    use salvo::prelude::*;

    #[handler]
    async fn hello(res: &mut Response) {
        let c = reqwest::Client::new(); //~ client_in_handler
        res.render(c.get("http://x").send().await.unwrap().text().await.unwrap());
    }
}

mod tonic_app {
    use tonic::{Request, Response, Status};
    pub mod pb {
        tonic::include_proto!("greeter");
    }
    use pb::greeter_server::Greeter;
    use pb::upstream_client::UpstreamClient;

    pub struct Svc;

    #[tonic::async_trait]
    impl Greeter for Svc {
        async fn hello(&self, r: Request<pb::Req>) -> Result<Response<pb::Rep>, Status> {
            let mut up = UpstreamClient::connect("http://up:50051").await.map_err(|_| Status::internal("x"))?; //~ client_in_handler
            let rep = up.call(r.into_inner()).await?;
            Ok(Response::new(rep.into_inner()))
        }
    }
}

mod hyper_app {
    use hyper::service::service_fn;

    pub async fn serve(io: impl Send) {
        let svc = service_fn(|_req: hyper::Request<hyper::body::Incoming>| async move {
            let c = reqwest::Client::new(); //~ client_in_handler
            let body = c.get("http://x").send().await?.text().await?;
            Ok::<_, reqwest::Error>(hyper::Response::new(body))
        });
        let _ = (io, svc);
    }
}

mod tower_app {
    use std::task::{Context, Poll};

    pub struct Proxy;

    impl tower::Service<http::Request<String>> for Proxy {
        type Response = String;
        type Error = reqwest::Error;
        type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, reqwest::Error>> + Send>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, req: http::Request<String>) -> Self::Future {
            let client = reqwest::Client::new(); //~ client_in_handler
            Box::pin(async move { client.get(format!("http://upstream{}", req.uri().path())).send().await?.text().await })
        }
    }

    // A request type of the application's own (`SubgraphRequest`, as in
    // apollo-router's services): a kind of request by its name.
    pub struct SubgraphRequest {
        pub query: String,
    }

    pub struct Subgraph;

    impl tower::Service<SubgraphRequest> for Subgraph {
        type Response = String;
        type Error = reqwest::Error;
        type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<String, reqwest::Error>> + Send>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, req: SubgraphRequest) -> Self::Future {
            let client = reqwest::Client::new(); //~ client_in_handler
            Box::pin(async move { client.post("http://subgraph").body(req.query).send().await?.text().await })
        }
    }

    // A batch of them is not one request (`PendingRequests`: no word
    // boundary before `Request`'s end).
    pub struct PendingRequests(pub Vec<String>);

    pub struct Flush;

    impl tower::Service<PendingRequests> for Flush {
        type Response = usize;
        type Error = reqwest::Error;
        type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize, reqwest::Error>> + Send>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, batch: PendingRequests) -> Self::Future {
            let client = reqwest::Client::new();
            Box::pin(async move {
                let n = batch.0.len();
                client.post("http://sink").body(batch.0.join("\n")).send().await?.bytes().await?;
                Ok(n)
            })
        }
    }

    // A connector is a `Service<Target>`: `call` runs per new connection,
    // which is what a connection handshake is for (found on linkerd2-proxy).
    pub struct Connect;

    impl<T: ToString> tower::Service<T> for Connect {
        type Response = hyper::client::conn::http2::SendRequest<String>;
        type Error = hyper::Error;
        type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self::Response, hyper::Error>> + Send>>;

        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, target: T) -> Self::Future {
            let addr = target.to_string();
            Box::pin(async move {
                let io = tokio::net::TcpStream::connect(addr).await.expect("connect");
                let (tx, conn) = hyper::client::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                    .handshake(hyper_util::rt::TokioIo::new(io))
                    .await?;
                tokio::spawn(conn);
                Ok(tx)
            })
        }
    }
}

mod lambda_app {
    use lambda_runtime::{Error, LambdaEvent, service_fn};

    async fn handler(event: LambdaEvent<String>) -> Result<String, Error> {
        let config = aws_config::load_from_env().await; //~ client_in_handler
        let s3 = aws_sdk_s3::Client::new(&config); //~ client_in_handler
        let _ = s3;
        Ok(event.payload)
    }

    #[tokio::main]
    async fn main() -> Result<(), Error> {
        lambda_runtime::run(service_fn(handler)).await
    }
}
