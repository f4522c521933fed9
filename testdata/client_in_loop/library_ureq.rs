// ureq 2.x and 3.x: agents, agent builders and the one-shot helpers (each builds a
// throw-away agent) inside a loop fire; clones, requests on an existing agent and
// unterminated config builders do not.
use std::time::Duration;

use ureq::config::Config;
use ureq::Agent;

fn ureq3_agents(urls: &[String]) -> Result<(), ureq::Error> {
    for u in urls {
        let a = Agent::new_with_defaults(); //~ client_in_loop
        let config = Config::default();
        let b = Agent::new_with_config(config); //~ client_in_loop
        let c = Config::builder().user_agent("bot/1").build().new_agent(); //~ client_in_loop
        let d: Agent = Agent::config_builder().http_status_as_error(false).build().into(); //~ client_in_loop
        let e = Agent::from(Config::default()); //~ client_in_loop
        let f = Config::default().new_agent(); //~ client_in_loop
        let g = ureq::agent(); //~ client_in_loop
        let _ = g.get(u).call()?.body_mut().read_to_string()?;
        drop((a, b, c, d, e, f));
    }
    Ok(())
}

fn ureq3_one_shots(urls: &[String], req: http::Request<()>) -> Result<(), ureq::Error> {
    for u in urls {
        let _ = ureq::get(u).call()?.body_mut().read_to_string()?; //~ client_in_loop
        let _ = ureq::post(u).send_json(serde_json::json!({ "a": 1 }))?.body_mut().read_to_vec()?; //~ client_in_loop
        let _ = ureq::put(u).send("x")?.body_mut().read_to_vec()?; //~ client_in_loop
        let _ = ureq::delete(u).call()?.body_mut().read_to_vec()?; //~ client_in_loop
        let _ = ureq::head(u).call()?; //~ client_in_loop
        let _ = ureq::patch(u).send("x")?.body_mut().read_to_vec()?; //~ client_in_loop
        let _ = ureq::options(u).call()?.body_mut().read_to_vec()?; //~ client_in_loop
        let _ = ureq::trace(u).call()?.body_mut().read_to_vec()?; //~ client_in_loop
        let _ = ureq::connect(u).call()?.body_mut().read_to_vec()?; //~ client_in_loop
        let _ = ureq::run(req.clone())?.body_mut().read_to_vec()?; //~ client_in_loop
    }
    Ok(())
}

fn ureq2(urls: &[String], parsed: &[url::Url]) -> Result<(), ureq::Error> {
    for u in urls {
        let a = ureq::Agent::new(); //~ client_in_loop
        let b = ureq::builder().timeout(Duration::from_secs(5)).build(); //~ client_in_loop
        let c = ureq::AgentBuilder::new().max_idle_connections(4).build(); //~ client_in_loop
        let body = ureq::request("GET", u).call()?.into_string()?; //~ client_in_loop
        println!("{body}");
        drop((a, b, c));
    }
    for url in parsed {
        let body = ureq::request_url("GET", url).call()?.into_string()?; //~ client_in_loop
        println!("{body}");
    }
    Ok(())
}

fn shared(agent: &Agent, urls: &[String]) -> Result<(), ureq::Error> {
    for u in urls {
        let a = agent.clone();
        let _ = a.get(u).call()?.body_mut().read_to_string()?;
        let _ = a.post(u).send("x")?.body_mut().read_to_vec()?;
        let _ = a.put(u).send("x")?.body_mut().read_to_vec()?;
        let _ = a.delete(u).call()?.body_mut().read_to_vec()?;
        let _ = a.head(u).call()?;
        let _ = a.patch(u).send("x")?.body_mut().read_to_vec()?;
        let _unbuilt = Config::builder().timeout_global(Some(Duration::from_secs(1)));
    }
    Ok(())
}
