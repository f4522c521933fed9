// redis: connections opened from a Client (or ClusterClient) inside a loop fire;
// Client::open (URL parsing only), cluster client values and clones of an
// existing multiplexed connection do not.
use redis::aio::{ConnectionManager, MultiplexedConnection};
use redis::cluster::{ClusterClient, ClusterClientBuilder};
use redis::{AsyncCommands, Client, Commands};

async fn async_connections(client: redis::Client, keys: Vec<String>) -> redis::RedisResult<()> {
    for k in keys {
        let mut con = client.get_multiplexed_async_connection().await?; //~ client_in_loop
        let _: Option<String> = con.get(&k).await?;
        let cfg = redis::AsyncConnectionConfig::new();
        let con2 = client.get_multiplexed_async_connection_with_config(&cfg).await?; //~ client_in_loop
        let con3 = client.get_multiplexed_tokio_connection().await?; //~ client_in_loop
        let mgr = client.get_connection_manager().await?; //~ client_in_loop
        let mgr2 = client.get_connection_manager_with_config(redis::aio::ConnectionManagerConfig::new()).await?; //~ client_in_loop
        let mgr3 = ConnectionManager::new(client.clone()).await?; //~ client_in_loop
        let mgr4 = ConnectionManager::new_with_config(client.clone(), redis::aio::ConnectionManagerConfig::new()).await?; //~ client_in_loop
        drop((con2, con3, mgr, mgr2, mgr3, mgr4));
    }
    Ok(())
}

fn sync_connections(client: &Client, keys: &[String]) -> redis::RedisResult<()> {
    for k in keys {
        let mut con = client.get_connection()?; //~ client_in_loop
        let _: () = con.set(k, 1)?;
        let con2 = client.get_connection_with_timeout(std::time::Duration::from_secs(1))?; //~ client_in_loop
        drop(con2);
    }
    Ok(())
}

async fn cluster_connections(cluster: &ClusterClient, keys: &[String]) -> redis::RedisResult<()> {
    for k in keys {
        let mut con = cluster.get_connection()?; //~ client_in_loop
        let _: () = con.set(k, 1)?;
        let con2 = cluster.get_connection_with_config(redis::cluster::ClusterConfig::new())?; //~ client_in_loop
        let mut acon = cluster.get_async_connection().await?; //~ client_in_loop
        let _: () = acon.set(k, 2).await?;
        let acon2 = cluster.get_async_connection_with_config(redis::cluster::ClusterConfig::new()).await?; //~ client_in_loop
        drop((con2, acon2));
    }
    Ok(())
}

async fn clean(con: &MultiplexedConnection, mgr: &ConnectionManager, urls: &[String]) -> redis::RedisResult<()> {
    for u in urls {
        let _client = Client::open(u.as_str())?;
        let _client = redis::Client::open("redis://127.0.0.1/")?;
        let mut c = con.clone();
        let _: Option<String> = c.get(u).await?;
        let mut m = mgr.clone();
        let _: () = m.set(u, 1).await?;
        let _cluster = ClusterClient::new(vec![u.as_str()])?;
        let _cluster = ClusterClient::builder(vec![u.as_str()]).build()?;
        let _cluster = ClusterClientBuilder::new(vec![u.as_str()]).build()?;
    }
    Ok(())
}
