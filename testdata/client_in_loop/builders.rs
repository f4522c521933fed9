// A builder builds at its terminal method, wherever the chain was started.
use std::time::Duration;

async fn split_across_statements(urls: &[String]) -> reqwest::Result<()> {
    for u in urls {
        let b = reqwest::Client::builder();
        let b = b.timeout(Duration::from_secs(5));
        let c = b.build()?; //~ client_in_loop
        c.get(u).send().await?.text().await?;
    }
    Ok(())
}

fn base() -> reqwest::ClientBuilder {
    reqwest::Client::builder().user_agent("x")
}

async fn builder_from_helper(urls: &[String]) -> reqwest::Result<()> {
    for u in urls {
        let c = base().build()?; //~ client_in_loop
        c.get(u).send().await?.text().await?;
    }
    Ok(())
}

async fn configured_from_the_loop(proxies: &[String]) -> reqwest::Result<()> {
    for p in proxies {
        let c = reqwest::Client::builder().proxy(reqwest::Proxy::all(p)?).build()?; //~ client_in_loop
        c.get("https://example.com").send().await?.text().await?;
    }
    Ok(())
}

async fn tonic_channels(addrs: Vec<String>) {
    for a in addrs {
        let ch = tonic::transport::Endpoint::from_shared(a).unwrap().connect().await.unwrap(); //~ client_in_loop
        drop(ch);
    }
}

async fn pools(urls: Vec<String>) {
    for u in &urls {
        let pool = sqlx::postgres::PgPoolOptions::new().max_connections(5).connect(u).await.unwrap(); //~ client_in_loop
        drop(pool);
    }
}

async fn redis_connections(client: redis::Client, keys: Vec<String>) {
    for k in keys {
        let mut con = client.get_multiplexed_async_connection().await.unwrap(); //~ client_in_loop
        let _: () = redis::cmd("GET").arg(&k).query_async(&mut con).await.unwrap();
    }
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = split_across_statements(todo!()).await;
        let _ = base();
        let _ = builder_from_helper(todo!()).await;
        let _ = configured_from_the_loop(todo!()).await;
        let _ = tonic_channels(todo!()).await;
        let _ = pools(todo!()).await;
        let _ = redis_connections(todo!(), todo!()).await;
    }
}
