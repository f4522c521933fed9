// Hoisting the client out of a loop whose body moves it into a task.
async fn spawn_per_item(urls: Vec<String>) {
    for url in urls {
        let client = reqwest::Client::new(); //~ client_in_loop
        tokio::spawn(async move {
            let _ = client.get(&url).send().await.unwrap().bytes().await;
        });
    }
}

fn thread_per_item(urls: Vec<String>) {
    for url in urls {
        let client = reqwest::blocking::Client::new(); //~ client_in_loop
        std::thread::spawn(move || {
            let _ = client.get(&url).send().unwrap().bytes();
        });
    }
}

// The construction is inside the spawned task: it must not leave the task
// without a clone.
async fn built_in_task(urls: Vec<String>) {
    for url in urls {
        tokio::spawn(async move {
            let client = reqwest::Client::new(); //~ client_in_loop
            let _ = client.get(&url).send().await.unwrap().bytes().await;
        });
    }
}

// The initializer sends the request: a hoist would send it once.
async fn whole_request(n: u32) -> Result<(), reqwest::Error> {
    for _ in 0..n {
        let resp = reqwest::Client::new().get("http://ping").send().await?; //~ client_in_loop
        let _ = resp.bytes().await?;
    }
    Ok(())
}

// A by-value use after the hoist would move the client on the first round.
fn dropped_each_round(n: u32) {
    for _ in 0..n {
        let agent = ureq::Agent::new(); //~ client_in_loop
        agent.get("http://ping").call().unwrap().into_string().unwrap();
        drop(agent);
    }
}
