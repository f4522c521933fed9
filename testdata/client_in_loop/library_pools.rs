// r2d2, bb8 and deadpool (and their adapters): a pool built per iteration fires;
// get()/clone() on an existing pool and manager/config values do not.
use std::time::Duration;

use bb8_postgres::PostgresConnectionManager as Bb8PgManager;
use diesel::r2d2::ConnectionManager;
use diesel::PgConnection;
use r2d2_postgres::{postgres::NoTls, PostgresConnectionManager};

fn r2d2_pools(urls: &[String]) -> Result<(), r2d2::Error> {
    for url in urls {
        let manager = PostgresConnectionManager::new(url.parse().unwrap(), NoTls);
        let a = r2d2::Pool::new(manager)?; //~ client_in_loop
        let manager = ConnectionManager::<PgConnection>::new(url);
        let b = diesel::r2d2::Pool::builder().max_size(4).build(manager)?; //~ client_in_loop
        let manager = ConnectionManager::<PgConnection>::new(url);
        let c = r2d2::Builder::new().min_idle(Some(1)).build_unchecked(manager); //~ client_in_loop
        let manager = ConnectionManager::<PgConnection>::new(url);
        let d = r2d2::Pool::builder().connection_timeout(Duration::from_secs(2)).build(manager)?; //~ client_in_loop
        drop((a, b, c, d));
    }
    Ok(())
}

async fn bb8_pools(urls: &[String]) -> Result<(), tokio_postgres::Error> {
    for url in urls {
        let manager = Bb8PgManager::new_from_stringlike(url, tokio_postgres::NoTls)?;
        let a = bb8::Pool::builder().max_size(8).build(manager).await?; //~ client_in_loop
        let manager = bb8_redis::RedisConnectionManager::new(url.as_str()).unwrap();
        let b = bb8::Builder::new().build_unchecked(manager); //~ client_in_loop
        drop((a, b));
    }
    Ok(())
}

async fn deadpool_pools(
    urls: &[String],
    cfg: &deadpool_postgres::Config,
    redis_cfg: deadpool_redis::Config,
    cluster: &deadpool_redis::cluster::Config,
    sentinel: &deadpool_redis::sentinel::Config,
) {
    for url in urls {
        let a = cfg.create_pool(Some(deadpool_postgres::Runtime::Tokio1), tokio_postgres::NoTls).unwrap(); //~ client_in_loop
        let b = redis_cfg.create_pool(Some(deadpool_redis::Runtime::Tokio1)).unwrap(); //~ client_in_loop
        let c = cluster.create_pool(Some(deadpool_redis::Runtime::Tokio1)).unwrap(); //~ client_in_loop
        let d = sentinel.create_pool(Some(deadpool_redis::Runtime::Tokio1)).unwrap(); //~ client_in_loop
        let lapin_cfg = deadpool_lapin::Config { url: Some(url.clone()), ..Default::default() };
        let e = lapin_cfg.create_pool(Some(deadpool_lapin::Runtime::Tokio1)).unwrap(); //~ client_in_loop
        let mut pg = deadpool_postgres::Config::new();
        pg.url = Some(url.clone());
        let f = pg.create_pool(None, tokio_postgres::NoTls).unwrap(); //~ client_in_loop
        drop((a, b, c, d, e, f));
    }
}

async fn deadpool_builders(urls: &[String]) {
    for url in urls {
        let pg_config: tokio_postgres::Config = url.parse().unwrap();
        let manager = deadpool_postgres::Manager::new(pg_config, tokio_postgres::NoTls);
        let a = deadpool_postgres::Pool::builder(manager).max_size(16).build().unwrap(); //~ client_in_loop
        let manager = deadpool_redis::Manager::new(url.as_str()).unwrap();
        let b = deadpool_redis::Pool::builder(manager).build().unwrap(); //~ client_in_loop
        let manager = deadpool_lapin::Manager::new(url.as_str(), Default::default());
        let c = deadpool_lapin::Pool::builder(manager).build().unwrap(); //~ client_in_loop
        let manager = deadpool_diesel::postgres::Manager::new(url.as_str(), deadpool_diesel::Runtime::Tokio1);
        let d = deadpool_diesel::postgres::Pool::builder(manager).build().unwrap(); //~ client_in_loop
        let manager = deadpool_diesel::mysql::Manager::new(url.as_str(), deadpool_diesel::Runtime::Tokio1);
        let e = deadpool_diesel::mysql::Pool::builder(manager).build().unwrap(); //~ client_in_loop
        let manager = deadpool_diesel::sqlite::Manager::new(url.as_str(), deadpool_diesel::Runtime::Tokio1);
        let f = deadpool_diesel::sqlite::Pool::builder(manager).build().unwrap(); //~ client_in_loop
        drop((a, b, c, d, e, f));
    }
}

async fn shared(
    r2: &r2d2::Pool<ConnectionManager<PgConnection>>,
    b8: &bb8::Pool<Bb8PgManager<tokio_postgres::NoTls>>,
    dp: &deadpool_postgres::Pool,
    urls: &[String],
) {
    for url in urls {
        let r = r2.clone();
        let _conn = r.get().unwrap();
        let b = b8.clone();
        let _conn = b.get().await.unwrap();
        let d = dp.clone();
        let _client = d.get().await.unwrap();
        let _cfg = deadpool_postgres::Config::new();
        let _cfg = deadpool_redis::Config::from_url(url.as_str());
        let _m = PostgresConnectionManager::new(url.parse().unwrap(), NoTls);
        let _m = Bb8PgManager::new(url.parse().unwrap(), tokio_postgres::NoTls);
        let _m = bb8_redis::RedisConnectionManager::new(url.as_str()).unwrap();
        let _m = ConnectionManager::<PgConnection>::new(url);
        let _m = deadpool_postgres::Manager::new(url.parse().unwrap(), tokio_postgres::NoTls);
    }
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = r2d2_pools(todo!());
        let _ = bb8_pools(todo!()).await;
        let _ = deadpool_pools(todo!(), todo!(), todo!(), todo!(), todo!()).await;
        let _ = deadpool_builders(todo!()).await;
    }
}
