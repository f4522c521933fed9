// lapin, rdkafka and async-nats: a broker connection, producer or consumer per
// message fires; publishing on an existing connection and unterminated
// configurations do not.
use lapin::options::BasicPublishOptions;
use lapin::{BasicProperties, Connection, ConnectionProperties};
use rdkafka::admin::AdminClient;
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, StreamConsumer};
use rdkafka::producer::{BaseProducer, FutureProducer, FutureRecord, ThreadedProducer, DefaultProducerContext};
use rdkafka::ClientConfig;

async fn amqp(uri: &str, messages: Vec<Vec<u8>>) -> lapin::Result<()> {
    for payload in messages {
        let conn = Connection::connect(uri, ConnectionProperties::default()).await?; //~ client_in_loop
        let channel = conn.create_channel().await?;
        channel.basic_publish("", "jobs", BasicPublishOptions::default(), &payload, BasicProperties::default()).await?;
        let amqp_uri: lapin::uri::AMQPUri = uri.parse().unwrap();
        let by_uri = Connection::connect_uri(amqp_uri.clone(), ConnectionProperties::default()).await?; //~ client_in_loop
        let with_cfg = Connection::connect_with_config(uri, ConnectionProperties::default(), Default::default()).await?; //~ client_in_loop
        let uri_cfg = Connection::connect_uri_with_config(amqp_uri, ConnectionProperties::default(), Default::default()).await?; //~ client_in_loop
        let built = lapin::ConnectionBuilder::new().with_uri(uri).connect().await?; //~ client_in_loop
        drop((by_uri, with_cfg, uri_cfg, built));
    }
    Ok(())
}

async fn amqp_runtime(uri: &str, runtime: lapin::runtime::TokioRuntime, messages: Vec<Vec<u8>>) -> lapin::Result<()> {
    for _payload in messages {
        let a = Connection::connect_with_runtime(uri, ConnectionProperties::default(), runtime.clone()).await?; //~ client_in_loop
        let b = Connection::connect_uri_with_runtime(uri.parse().unwrap(), ConnectionProperties::default(), runtime.clone()).await?; //~ client_in_loop
        let c = lapin::ConnectionBuilder::new_with_runtime(runtime.clone()).with_uri(uri).connect().await?; //~ client_in_loop
        let d = lapin::DefaultConnectionBuilder::new().with_uri(uri).connect().await?; //~ client_in_loop
        drop((a, b, c, d));
    }
    Ok(())
}

async fn kafka(brokers: &str, events: Vec<String>) -> rdkafka::error::KafkaResult<()> {
    for ev in events {
        let producer: FutureProducer = ClientConfig::new() //~ client_in_loop
            .set("bootstrap.servers", brokers)
            .set("message.timeout.ms", "5000")
            .create()?;
        let _ = producer.send(FutureRecord::<(), _>::to("events").payload(&ev), std::time::Duration::from_secs(0)).await;
        let base: BaseProducer = ClientConfig::new().set("bootstrap.servers", brokers).create()?; //~ client_in_loop
        let threaded: ThreadedProducer<DefaultProducerContext> = ClientConfig::default().set("bootstrap.servers", brokers).create()?; //~ client_in_loop
        let consumer: StreamConsumer = ClientConfig::new().set("group.id", "g").create()?; //~ client_in_loop
        let base_consumer: BaseConsumer = ClientConfig::new().set("group.id", "g").create_with_context(rdkafka::consumer::DefaultConsumerContext)?; //~ client_in_loop
        let admin: AdminClient<DefaultClientContext> = ClientConfig::new().set("bootstrap.servers", brokers).create()?; //~ client_in_loop
        drop((base, threaded, consumer, base_consumer, admin));
    }
    Ok(())
}

async fn nats(url: &str, subjects: Vec<String>) -> Result<(), async_nats::Error> {
    for subject in subjects {
        let client = async_nats::connect(url).await?; //~ client_in_loop
        client.publish(subject.clone(), "hi".into()).await?;
        let a = async_nats::connect_with_options(url, async_nats::ConnectOptions::new()).await?; //~ client_in_loop
        let b = async_nats::ConnectOptions::new().name("worker").connect(url).await?; //~ client_in_loop
        let c = async_nats::ConnectOptions::with_credentials_file("/etc/nats.creds").await?.connect(url).await?; //~ client_in_loop
        let d = async_nats::ConnectOptions::with_user_and_password("u".into(), "p".into()).connect(url).await?; //~ client_in_loop
        let e = async_nats::ConnectOptions::with_token("t".into()).connect(url).await?; //~ client_in_loop
        let f = async_nats::ConnectOptions::with_nkey("seed".into()).connect(url).await?; //~ client_in_loop
        let g = async_nats::ConnectOptions::with_jwt("jwt".into(), |nonce| async move { Ok(nonce) }).connect(url).await?; //~ client_in_loop
        let h = async_nats::ConnectOptions::with_credentials("creds")?.connect(url).await?; //~ client_in_loop
        drop((a, b, c, d, e, f, g, h));
    }
    Ok(())
}

async fn shared(channel: &lapin::Channel, nats: &async_nats::Client, producer: &FutureProducer, events: Vec<String>) -> anyhow::Result<()> {
    for ev in events {
        channel.basic_publish("", "jobs", BasicPublishOptions::default(), ev.as_bytes(), BasicProperties::default()).await?;
        nats.publish("events", ev.clone().into()).await?;
        let _sub = nats.subscribe("replies").await?;
        let p = producer.clone();
        let _ = p.send(FutureRecord::<(), _>::to("events").payload(&ev), std::time::Duration::from_secs(0)).await;
        let mut cfg = ClientConfig::new();
        cfg.set("bootstrap.servers", "localhost:9092");
        let _options = async_nats::ConnectOptions::new().name("x");
    }
    Ok(())
}
