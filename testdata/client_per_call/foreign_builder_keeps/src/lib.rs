// A pool handed to a foreign builder chain (`Queue::builder().pool(pool).build()`)
// belongs to what the chain builds: it is kept when that value is returned or
// stored, and dropped with it otherwise (found on a job-queue client whose
// builder connects a pool only when none was supplied).
use jobs::Queue;

pub struct Spawner {
    queue: Queue,
}

pub struct SpawnerBuilder {
    pool: Option<sqlx::PgPool>,
    url: Option<String>,
}

pub enum SpawnError {
    NoUrl,
    Db(sqlx::Error),
}

impl From<sqlx::Error> for SpawnError {
    fn from(e: sqlx::Error) -> Self {
        SpawnError::Db(e)
    }
}

impl SpawnerBuilder {
    // Kept: the pool goes into the queue, and the queue into the returned value.
    pub async fn assemble(self) -> Result<Spawner, SpawnError> {
        let pool = if let Some(pool) = self.pool {
            pool
        } else {
            let url = self.url.ok_or(SpawnError::NoUrl)?;
            sqlx::PgPool::connect(&url).await.map_err(SpawnError::Db)?
        };
        let q = jobs::QueueBuilder::new().pool(pool).name("jobs").build().await?;
        Ok(Spawner { queue: q })
    }

    // Kept: the same chain written as the tail of the function.
    pub async fn build_inline(self) -> Result<Queue, sqlx::Error> {
        let pool = sqlx::PgPool::connect("postgres://localhost").await?;
        Queue::builder().pool(pool).build().await
    }
}

// True case beside them: the queue is used once and dropped, and the pool
// with it, on every call.
pub async fn enqueue_once(job: &str) -> Result<(), sqlx::Error> {
    let pool = sqlx::PgPool::connect("postgres://localhost").await?; //~ client_per_call
    let queue = Queue::builder().pool(pool).build().await?;
    queue.push(job).await
}

// True as well: the pool connected when none was supplied is dropped with the queue.
pub async fn enqueue_with(pool: Option<sqlx::PgPool>, job: &str) -> Result<(), sqlx::Error> {
    let pool = if let Some(pool) = pool {
        pool
    } else {
        sqlx::PgPool::connect("postgres://localhost").await? //~ client_per_call
    };
    let queue = Queue::builder().pool(pool).build().await?;
    queue.push(job).await
}

pub async fn drain(jobs: Vec<String>) {
    for job in &jobs {
        let _ = enqueue_once(job).await;
        let _ = enqueue_with(None, job).await;
    }
}

