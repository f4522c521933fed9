// Cases the library coverage pass found missing; each is a regression test.
mod diesel_prelude {
    use diesel::prelude::*;

    pub fn run(urls: &[String]) {
        for u in urls {
            let _conn = PgConnection::establish(u).unwrap(); //~ client_in_loop
        }
    }
}

mod sqlx_glob {
    use sqlx::postgres::*;

    pub async fn run(urls: &[String]) {
        for u in urls {
            let _pool = PgPool::connect(u).await.unwrap(); //~ client_in_loop
        }
    }
}

async fn redis_from_open(urls: &[String]) -> redis::RedisResult<()> {
    for u in urls {
        let c = redis::Client::open(u.as_str())?;
        let _con = c.get_multiplexed_async_connection().await?; //~ client_in_loop
    }
    Ok(())
}

// A ureq 3 config built per item is only options: its terminal is `new_agent`.
fn ureq_config_only(n: usize) -> Vec<ureq::config::Config> {
    let mut out = Vec::new();
    for _ in 0..n {
        let config = ureq::Agent::config_builder().build();
        out.push(config);
    }
    out
}

// A function named like a crate does not hide the crate in a path.
fn opensearch(urls: &[url::Url]) {
    for u in urls {
        let _t = opensearch::http::transport::Transport::single_node(u.as_str()).unwrap(); //~ client_in_loop
    }
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = diesel_prelude::run(todo!());
        let _ = sqlx_glob::run(todo!()).await;
        let _ = redis_from_open(todo!()).await;
        let _ = ureq_config_only(todo!());
        let _ = opensearch(todo!());
    }
}
