// tide routes registered on a server value, and per-message consumers.
mod tide_app {
    async fn by_extractor(req: tide::Request<()>) -> tide::Result {
        let c = reqwest::Client::new(); //~ client_in_handler
        let _ = (req, c);
        Ok("ok".into())
    }

    pub async fn serve() -> tide::Result<()> {
        let mut app = tide::new();
        app.at("/a").get(by_extractor);
        app.at("/b").post(|_req: tide::Request<()>| async move {
            let c = reqwest::Client::new(); //~ client_in_handler
            Ok(c.get("http://x").send().await?.text().await?)
        });
        app.listen("127.0.0.1:8080").await?;
        Ok(())
    }
}

mod consumers {
    use futures::StreamExt;

    // A message loop: one client per delivery.
    pub async fn consume(mut consumer: lapin::Consumer) {
        while let Some(delivery) = consumer.next().await {
            let client = reqwest::Client::new(); //~ client_in_loop
            let _ = (delivery, client);
        }
    }

    pub async fn kafka(consumer: rdkafka::consumer::StreamConsumer) {
        loop {
            let msg = consumer.recv().await;
            let producer: rdkafka::producer::FutureProducer = rdkafka::ClientConfig::new() //~ client_in_loop
                .set("bootstrap.servers", "localhost:9092")
                .create()
                .unwrap();
            let _ = (msg, producer);
        }
    }
}
