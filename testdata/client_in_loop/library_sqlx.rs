// sqlx: pools and network connections opened inside a loop fire; local SQLite
// connections, queries, pool acquire/begin/clone and unconnected options do not.
use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions};
use sqlx::pool::PoolOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{AnyPool, ConnectOptions, Connection, MySqlPool, PgConnection, PgPool, Pool, Postgres, SqlitePool};

async fn pools(tenants: &[String]) -> Result<(), sqlx::Error> {
    for url in tenants {
        let a = Pool::<Postgres>::connect(url).await?; //~ client_in_loop
        let b = PgPool::connect(url).await?; //~ client_in_loop
        let c = PgPool::connect_lazy(url)?; //~ client_in_loop
        let d = PgPool::connect_with(PgConnectOptions::from_str(url)?).await?; //~ client_in_loop
        let e = PgPool::connect_lazy_with(PgConnectOptions::new().host("db").port(5432)); //~ client_in_loop
        let f = MySqlPool::connect(url).await?; //~ client_in_loop
        let g = SqlitePool::connect("sqlite::memory:").await?; //~ client_in_loop
        let h = AnyPool::connect(url).await?; //~ client_in_loop
        let i = sqlx::postgres::PgPool::connect_lazy(url)?; //~ client_in_loop
        drop((a, b, c, d, e, f, g, h, i));
    }
    Ok(())
}

async fn pool_options(tenants: &[String]) -> Result<(), sqlx::Error> {
    for url in tenants {
        let a = PgPoolOptions::new().max_connections(5).connect(url).await?; //~ client_in_loop
        let b = MySqlPoolOptions::new().connect_lazy(url)?; //~ client_in_loop
        let c = SqlitePoolOptions::new().connect_with(SqliteConnectOptions::from_str(url)?).await?; //~ client_in_loop
        let d = AnyPoolOptions::new().connect(url).await?; //~ client_in_loop
        let e = PoolOptions::<Postgres>::new().connect_lazy_with(PgConnectOptions::new()); //~ client_in_loop
        drop((a, b, c, d, e));
    }
    Ok(())
}

async fn connections(tenants: &[String]) -> Result<(), sqlx::Error> {
    for url in tenants {
        let mut a = PgConnection::connect(url).await?; //~ client_in_loop
        let b = sqlx::MySqlConnection::connect(url).await?; //~ client_in_loop
        let d = sqlx::AnyConnection::connect(url).await?; //~ client_in_loop
        let e: PgConnection = Connection::connect(url).await?; //~ client_in_loop
        let f = PgConnectOptions::from_str(url)?.application_name("worker").connect().await?; //~ client_in_loop
        let g = MySqlConnectOptions::new().host("db").connect().await?; //~ client_in_loop
        let h = AnyConnectOptions::from_str(url)?.connect().await?; //~ client_in_loop
        let i = PgConnectOptions::new_without_pgpass().connect().await?; //~ client_in_loop
        sqlx::query("SELECT 1").execute(&mut a).await?;
        drop((b, d, e, f, g, h, i));
    }
    Ok(())
}

async fn shared(pool: &PgPool, ids: &[i64]) -> Result<(), sqlx::Error> {
    for id in ids {
        let p = pool.clone();
        let mut conn = p.acquire().await?;
        sqlx::query("DELETE FROM jobs WHERE id = $1").bind(id).execute(&mut *conn).await?;
        let tx = pool.begin().await?;
        tx.commit().await?;
        let _n: (i64,) = sqlx::query_as("SELECT $1").bind(id).fetch_one(pool).await?;
        let _s: i64 = sqlx::query_scalar("SELECT 1").fetch_one(pool).await?;
        let _opts = PgConnectOptions::new().host("db");
        let _opts = PgConnectOptions::from_str("postgres://db/app")?;
        let _pool_opts = PgPoolOptions::new().max_connections(5);
        let _local = sqlx::SqliteConnection::connect("sqlite://cache.db").await?;
        let _local = sqlx::SqliteConnection::connect_with(&SqliteConnectOptions::new().filename("cache.db")).await?;
        let _local = SqliteConnectOptions::from_str("sqlite://cache.db")?.connect().await?;
    }
    Ok(())
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = pools(todo!()).await;
        let _ = pool_options(todo!()).await;
        let _ = connections(todo!()).await;
        let _ = shared(todo!(), todo!()).await;
    }
}
