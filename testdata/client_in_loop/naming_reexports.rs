// Client names are spelled the way users import them, whichever crate the path
// goes through: kube_client::... is reported as kube::..., teloxide_core::... as
// teloxide::...; kube::Config::infer only loads a config.
async fn kube_direct(namespaces: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    for _ns in namespaces {
        let a = kube_client::Client::try_default().await?; //~ client_in_loop
        let b = kube::Client::try_default().await?; //~ client_in_loop
        let config = kube_client::Config::infer().await?;
        let c = kube_client::client::ClientBuilder::try_from(config)?.build(); //~ client_in_loop
        drop((a, b, c));
    }
    Ok(())
}

fn telegram(tokens: &[String]) {
    for token in tokens {
        let a = teloxide_core::Bot::new(token); //~ client_in_loop
        let b = teloxide::Bot::new(token); //~ client_in_loop
        let http = teloxide_core::net::client_from_env(); //~ client_in_loop
        drop((a, b, http));
    }
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = kube_direct(todo!()).await;
        let _ = telegram(todo!());
    }
}
