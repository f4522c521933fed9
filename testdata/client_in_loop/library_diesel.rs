// diesel and diesel-async: a network connection established per iteration fires;
// opening a local SQLite file does not.
use diesel::{Connection, ConnectionResult, MysqlConnection, PgConnection, RunQueryDsl, SqliteConnection};
use diesel_async::{AsyncConnection, AsyncMysqlConnection, AsyncPgConnection};

fn sync_connections(tenants: &[String]) -> ConnectionResult<()> {
    for url in tenants {
        let mut pg = PgConnection::establish(url)?; //~ client_in_loop
        let my = MysqlConnection::establish(url)?; //~ client_in_loop
        let inferred: PgConnection = Connection::establish(url)?; //~ client_in_loop
        let qualified = diesel::pg::PgConnection::establish(url)?; //~ client_in_loop
        diesel::sql_query("SELECT 1").execute(&mut pg).unwrap();
        drop((my, inferred, qualified));
    }
    Ok(())
}

async fn async_connections(tenants: &[String]) -> ConnectionResult<()> {
    for url in tenants {
        let pg = AsyncPgConnection::establish(url).await?; //~ client_in_loop
        let my = AsyncMysqlConnection::establish(url).await?; //~ client_in_loop
        let inferred: AsyncPgConnection = AsyncConnection::establish(url).await?; //~ client_in_loop
        drop((pg, my, inferred));
    }
    Ok(())
}

fn sqlite_files(paths: &[String]) -> ConnectionResult<()> {
    for p in paths {
        let mut conn = SqliteConnection::establish(p)?;
        let other = diesel::sqlite::SqliteConnection::establish(p)?;
        diesel::sql_query("VACUUM").execute(&mut conn).unwrap();
        drop(other);
    }
    Ok(())
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = sync_connections(todo!());
        let _ = async_connections(todo!()).await;
        let _ = sqlite_files(todo!());
    }
}
