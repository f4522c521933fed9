// A request whose only question is whether it succeeded drops the response,
// and its body, right there.
use reqwest::Client;

async fn reachable(c: &Client, u: &str) -> bool {
    c.get(u).send().await.is_ok() //~ unread_response_body
}

fn reachable_ureq(agent: &ureq::Agent, u: &str) -> bool {
    agent.get(u).call().is_err() //~ unread_response_body
}

// Look-alikes: a HEAD request has no body, and `is_ok` on something that is
// not a response says nothing about one.
async fn head_reachable(c: &Client, u: &str) -> bool {
    c.head(u).send().await.is_ok()
}

fn parses(u: &str) -> bool {
    u.parse::<u16>().is_ok()
}

// Each host is checked once per health round of the monitor.
async fn health_round(c: Client, agent: ureq::Agent, hosts: Vec<String>) -> usize {
    let mut up = 0;
    for h in &hosts {
        up += usize::from(reachable(&c, h).await);
        up += usize::from(reachable_ureq(&agent, h));
        up += usize::from(head_reachable(&c, h).await);
        up += usize::from(parses(h));
    }
    up
}
