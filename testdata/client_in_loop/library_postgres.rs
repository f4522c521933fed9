// tokio-postgres and postgres (sync): a connection per iteration fires; Config
// values that are never connected do not.
use std::str::FromStr;

use postgres::NoTls;

async fn tokio_postgres_connections(urls: &[String], ids: &[i32]) -> Result<(), tokio_postgres::Error> {
    for url in urls {
        let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await?; //~ client_in_loop
        tokio::spawn(connection);
        client.execute("SELECT 1", &[]).await?;

        let (client, connection) = tokio_postgres::Config::new() //~ client_in_loop
            .host("db")
            .user("app")
            .dbname("app")
            .connect(tokio_postgres::NoTls)
            .await?;
        tokio::spawn(connection);
        drop(client);

        let (client, connection) = tokio_postgres::Config::from_str(url)?.connect(tokio_postgres::NoTls).await?; //~ client_in_loop
        tokio::spawn(connection);
        drop(client);
    }
    for id in ids {
        let stream = tokio::net::TcpStream::connect("db:5432").await.unwrap();
        let (client, connection) = tokio_postgres::Config::new().user("app").connect_raw(stream, tokio_postgres::NoTls).await?; //~ client_in_loop
        drop((client, connection, id));
    }
    Ok(())
}

fn sync_connections(urls: &[String]) -> Result<(), postgres::Error> {
    for url in urls {
        let mut a = postgres::Client::connect(url, NoTls)?; //~ client_in_loop
        a.execute("SELECT 1", &[])?;
        let b = postgres::Config::new().host("db").user("app").connect(NoTls)?; //~ client_in_loop
        let c = postgres::Config::from_str(url)?.connect(NoTls)?; //~ client_in_loop
        let d = postgres::Client::configure().host("db").connect(NoTls)?; //~ client_in_loop
        drop((b, c, d));
    }
    Ok(())
}

async fn prepared_config(config: &tokio_postgres::Config, sync_config: postgres::Config, jobs: &[String]) -> Result<(), tokio_postgres::Error> {
    for job in jobs {
        let (client, connection) = config.connect(tokio_postgres::NoTls).await?; //~ client_in_loop
        tokio::spawn(connection);
        client.execute("NOTIFY jobs", &[]).await?;
        let mut sync_client = sync_config.connect(NoTls).unwrap(); //~ client_in_loop
        sync_client.execute(job.as_str(), &[]).unwrap();
    }
    Ok(())
}

fn config_only(hosts: &[String]) {
    for h in hosts {
        let mut a = tokio_postgres::Config::new();
        a.host(h).user("app");
        let mut b = postgres::Config::new();
        b.host(h);
        let mut c = postgres::Client::configure();
        c.host(h);
        drop((a, b, c));
    }
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = tokio_postgres_connections(todo!(), todo!()).await;
        let _ = sync_connections(todo!());
        let _ = prepared_config(todo!(), todo!(), todo!()).await;
        let _ = config_only(todo!());
    }
}
