// elasticsearch, opensearch, qdrant-client and meilisearch-sdk: a transport or
// client per document fires; wrapping an existing transport, index handles and
// clones do not.
use elasticsearch::http::transport::{SingleNodeConnectionPool, Transport, TransportBuilder};
use elasticsearch::Elasticsearch;
use meilisearch_sdk::client::Client as Meili;
use qdrant_client::config::QdrantConfig;
use qdrant_client::Qdrant;

async fn elastic(urls: &[String], cloud_id: &str) -> Result<(), elasticsearch::Error> {
    for url in urls {
        let a = Transport::single_node(url)?; //~ client_in_loop
        let b = Transport::cloud(cloud_id, elasticsearch::auth::Credentials::Basic("u".into(), "p".into()))?; //~ client_in_loop
        let c = Transport::static_node_list(vec![url.as_str()])?; //~ client_in_loop
        let d = Transport::default(); //~ client_in_loop
        let e = Elasticsearch::default(); //~ client_in_loop
        let pool = SingleNodeConnectionPool::new(url.parse().unwrap());
        let f = TransportBuilder::new(pool).disable_proxy().build()?; //~ client_in_loop
        let client = Elasticsearch::new(a);
        client.ping().send().await?;
        drop((b, c, d, e, f));
    }
    Ok(())
}

async fn open_search(urls: &[String]) -> Result<(), opensearch::Error> {
    for url in urls {
        let a = opensearch::http::transport::Transport::single_node(url)?; //~ client_in_loop
        let b = opensearch::http::transport::Transport::default(); //~ client_in_loop
        let c = opensearch::OpenSearch::default(); //~ client_in_loop
        let pool = opensearch::http::transport::SingleNodeConnectionPool::new(url.parse().unwrap());
        let d = opensearch::http::transport::TransportBuilder::new(pool).build()?; //~ client_in_loop
        let client = opensearch::OpenSearch::new(a);
        drop((b, c, d, client));
    }
    Ok(())
}

async fn qdrant(urls: &[String]) -> Result<(), qdrant_client::QdrantError> {
    for url in urls {
        let a = Qdrant::new(QdrantConfig::from_url(url))?; //~ client_in_loop
        let b = Qdrant::from_url(url).api_key(std::env::var("QDRANT_API_KEY")).build()?; //~ client_in_loop
        let c = QdrantConfig::from_url(url).skip_compatibility_check().build()?; //~ client_in_loop
        drop((a, b, c));
    }
    Ok(())
}

async fn meili(urls: &[String], key: &str) -> Result<(), meilisearch_sdk::errors::Error> {
    for url in urls {
        let client = Meili::new(url, Some(key))?; //~ client_in_loop
        client.index("movies").add_documents(&[serde_json::json!({ "id": 1 })], Some("id")).await?;
    }
    Ok(())
}

async fn shared(meili: &Meili, qdrant: &Qdrant, transport: Transport, names: &[String]) {
    let es = Elasticsearch::new(transport);
    for name in names {
        let m = meili.clone();
        let _index = m.index(name.as_str());
        let q = qdrant.clone();
        let _ = q.health_check().await;
        let _ = es.ping().send().await;
    }
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = elastic(todo!(), todo!()).await;
        let _ = open_search(todo!()).await;
        let _ = qdrant(todo!()).await;
        let _ = meili(todo!(), todo!()).await;
        let _ = shared(todo!(), todo!(), todo!(), todo!()).await;
    }
}
