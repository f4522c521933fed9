// A queue consumer's handler runs once per message: broccoli_queue's
// `process_messages` and `process_messages_with_handlers`, with the handler
// given directly or as the tail of a block that clones what it captures
// (trieve's ingestion and update workers).
use broccoli_queue::queue::BroccoliQueue;

pub struct Job {
    pub url: String,
}

async fn ingest(job: Job) -> Result<(), String> {
    let client = reqwest::Client::new(); //~ client_per_call
    let resp = client.post(&job.url).send().await.map_err(|e| e.to_string())?;
    resp.bytes().await.map(|_| ()).map_err(|e| e.to_string())
}

async fn update(job: Job, tag: String) -> Result<(), String> {
    let client = reqwest::Client::new(); //~ client_per_call
    let resp = client.put(&job.url).body(tag).send().await.map_err(|e| e.to_string())?;
    resp.bytes().await.map(|_| ()).map_err(|e| e.to_string())
}

pub async fn run(url: &str) -> Result<(), broccoli_queue::error::BroccoliError> {
    let queue = BroccoliQueue::builder(url).pool_connections(4).build().await?;
    queue
        .process_messages("ingest", None, None, |msg| async move {
            ingest(msg.payload).await.map_err(broccoli_queue::error::BroccoliError::Job)
        })
        .await?;
    let tag = String::from("v2");
    queue
        .process_messages_with_handlers(
            "update",
            None,
            None,
            {
                let tag = tag.clone();
                move |msg| {
                    let tag = tag.clone();
                    async move { update(msg.payload, tag).await.map_err(broccoli_queue::error::BroccoliError::Job) }
                }
            },
            |_msg, _| async { Ok(()) },
            |_msg, _err| async { Ok(()) },
        )
        .await
}

// Clean: a method of that name on another type is not a consumer.
pub struct Batch;

impl Batch {
    pub async fn process_messages<F: Fn(Job)>(&self, _topic: &str, _a: Option<u8>, _b: Option<u8>, f: F) {
        f(Job { url: String::new() });
    }
}

async fn archive(job: Job) {
    let client = reqwest::Client::new();
    if let Ok(resp) = client.post(&job.url).send().await {
        let _ = resp.bytes().await;
    }
}

#[tokio::main]
async fn main() {
    Batch
        .process_messages("archive", None, None, |job| {
            tokio::spawn(archive(job));
        })
        .await;
}
