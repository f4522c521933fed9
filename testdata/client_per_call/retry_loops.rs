// A bounded retry loop is quiet as a loop (three turns at most), but its first
// turn builds on every call of the function around it: when that function
// runs per request or per item, the client is built per call (trieve's
// embedding helpers, an agent and a TLS connector per search).
pub async fn embed(text: &str) -> Result<String, String> {
    let mut retries = 0;
    while retries < 3 {
        let agent = ureq::AgentBuilder::new().build(); //~ client_per_call
        match agent.post("https://embed.example/v1").send_string(text) {
            Ok(resp) => return resp.into_string().map_err(|e| e.to_string()),
            Err(_) => retries += 1,
        }
    }
    Err("embedding failed".to_string())
}

pub async fn embed_all(texts: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for t in texts {
        out.extend(embed(&t).await.ok());
    }
    out
}

// Clean: the same retry loop in a function that runs once, at start-up.
pub async fn connect_with_retry(url: &str) -> Option<ureq::Agent> {
    for _ in 0..3 {
        let agent = ureq::AgentBuilder::new().build();
        if let Ok(resp) = agent.get(url).call() {
            let _ = resp.into_string();
            return Some(agent);
        }
    }
    None
}

#[tokio::main]
async fn main() {
    let agent = connect_with_retry("https://embed.example/health").await;
    println!("{}", agent.is_some());
}
