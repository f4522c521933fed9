// ureq 3.x responses (http::Response<ureq::Body>) and the ureq 2.x response kinds
// not covered in libraries.rs: dropped unread on some path, or read to the end.
use std::io::Read;

use ureq::Agent;

fn v3_status_only(agent: &Agent, urls: &[String]) -> Result<(), ureq::Error> {
    for u in urls {
        let resp = agent.get(u).call()?; //~ unread_response_body
        if resp.status() == 429 {
            continue;
        }
        let mut resp = resp;
        println!("{}", resp.body_mut().read_to_string()?);
    }
    Ok(())
}

fn v3_post_ignored(agent: &Agent, events: &[String]) -> Result<(), ureq::Error> {
    for ev in events {
        agent.post("http://hook.local/events").send(ev.as_str())?; //~ unread_response_body
    }
    Ok(())
}

fn v3_send_helper(req: ureq::RequestBuilder<ureq::typestate::WithBody>, event: &str) -> Result<(), ureq::Error> {
    let resp = req.send(event)?; //~ unread_response_body
    if resp.status().is_success() {
        return Ok(());
    }
    let mut resp = resp;
    eprintln!("hook failed: {}", resp.body_mut().read_to_string()?);
    Ok(())
}

fn v3_read_helper(req: ureq::RequestBuilder<ureq::typestate::WithoutBody>) -> Result<String, ureq::Error> {
    let mut resp = req.call()?;
    resp.body_mut().read_to_string()
}

fn v3_read(agent: &Agent, u: &str) -> Result<Vec<u8>, ureq::Error> {
    let mut resp = agent.get(u).header("accept", "application/json").call()?;
    if resp.status() != 200 {
        let _ = resp.body_mut().read_to_vec();
        return Ok(Vec::new());
    }
    resp.body_mut().read_to_vec()
}

fn v3_json(agent: &Agent, u: &str) -> Result<serde_json::Value, ureq::Error> {
    let mut resp = agent.post(u).send_json(serde_json::json!({ "q": 1 }))?;
    resp.body_mut().read_json()
}

fn v3_into_body(agent: &Agent, u: &str) -> Result<ureq::Body, ureq::Error> {
    let resp = agent.get(u).call()?;
    Ok(resp.into_body())
}

fn v2_send_string(agent: &ureq::Agent, u: &str) -> Result<u16, ureq::Error> {
    let resp = agent.post(u).send_string("payload")?; //~ unread_response_body
    Ok(resp.status())
}

fn v2_reader(agent: &ureq::Agent, u: &str) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let resp = agent.get(u).call()?;
    let mut bytes = Vec::new();
    resp.into_reader().read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn v2_json(agent: &ureq::Agent, u: &str) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let resp = agent.post(u).send_json(serde_json::json!({ "q": 1 }))?;
    Ok(resp.into_json()?)
}

// The helpers above run once per queued item: `drain_queue` calls each of them
// in its loop, which makes their paths hot.
fn drain_queue(queue: Vec<String>) {
    for _item in &queue {
        let _ = v3_status_only(todo!(), todo!());
        let _ = v3_post_ignored(todo!(), todo!());
        let _ = v3_send_helper(todo!(), todo!());
        let _ = v3_read_helper(todo!());
        let _ = v3_read(todo!(), todo!());
        let _ = v3_json(todo!(), todo!());
        let _ = v3_into_body(todo!(), todo!());
        let _ = v2_send_string(todo!(), todo!());
        let _ = v2_reader(todo!(), todo!());
        let _ = v2_json(todo!(), todo!());
    }
}
