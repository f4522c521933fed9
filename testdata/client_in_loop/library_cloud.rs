// Google Cloud Storage and Azure Blob Storage: building a client per iteration
// fires; container and blob clients derived from an existing client do not.
use azure_storage::StorageCredentials;
use azure_storage_blobs::prelude::{BlobServiceClient, ClientBuilder};
use google_cloud_storage::client::{Storage, StorageControl};

async fn google(objects: &[String]) -> anyhow::Result<()> {
    for name in objects {
        let storage = Storage::builder().build().await?; //~ client_in_loop
        let control = StorageControl::builder().build().await?; //~ client_in_loop
        println!("{name}");
        drop((storage, control));
    }
    Ok(())
}

fn azure(accounts: &[(String, String)]) {
    for (account, key) in accounts {
        let credentials = StorageCredentials::access_key(account.clone(), key.clone());
        let service = BlobServiceClient::new(account, credentials.clone()); //~ client_in_loop
        let via_builder = ClientBuilder::new(account, credentials.clone()).blob_service_client(); //~ client_in_loop
        let container = ClientBuilder::new(account, credentials.clone()).container_client("logs"); //~ client_in_loop
        let blob = ClientBuilder::new(account, credentials).blob_client("logs", "today.txt"); //~ client_in_loop
        let emulated = ClientBuilder::emulator().blob_service_client(); //~ client_in_loop
        drop((service, via_builder, container, blob, emulated));
    }
}

fn azure_shared(service: &BlobServiceClient, names: &[String]) {
    for name in names {
        let container = service.container_client("logs");
        let blob = container.blob_client(name);
        drop(blob);
    }
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = google(todo!()).await;
        let _ = azure(todo!(), todo!());
        let _ = azure_shared(todo!(), todo!());
    }
}
