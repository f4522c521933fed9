// reqwest-middleware: ClientWithMiddleware sends on the reqwest client it
// wraps, and its RequestBuilder::send answers with a reqwest::Response, so a
// body dropped unread costs the same connection. Found on Lemmy, whose every
// request goes through it.
use reqwest_middleware::{ClientWithMiddleware, RequestBuilder};

async fn purge_all(client: &ClientWithMiddleware, urls: &[String]) -> reqwest_middleware::Result<()> {
    for u in urls {
        client.post(u).send().await?.error_for_status()?; //~ unread_response_body
    }
    Ok(())
}

async fn image_links(client: &ClientWithMiddleware, links: &[String]) -> reqwest_middleware::Result<usize> {
    let mut images = 0;
    for u in links {
        let resp = client.get(u).header("accept", "image/*").send().await?; //~ unread_response_body
        if resp.status().is_success() {
            images += 1;
        }
    }
    Ok(images)
}

async fn replay(client: &ClientWithMiddleware, reqs: Vec<reqwest::Request>) -> reqwest_middleware::Result<()> {
    for req in reqs {
        let resp = client.execute(req).await?; //~ unread_response_body
        println!("{}", resp.status());
    }
    Ok(())
}

// Where nothing shows how often it runs: reported at the pedantic level.
async fn status_once(client: &ClientWithMiddleware, u: &str) -> reqwest_middleware::Result<bool> {
    let resp = client.get(u).send().await?; //~? unread_response_body
    Ok(resp.status().is_success())
}

// Look-alikes: the body is read, the request is only built, and a HEAD
// request has no body.
async fn read_text(client: &ClientWithMiddleware, u: &str) -> reqwest_middleware::Result<String> {
    let resp = client.get(u).send().await?;
    Ok(resp.text().await?)
}

fn built_only(client: &ClientWithMiddleware, u: &str) -> RequestBuilder {
    client.get(u).header("x-trace", "1")
}

async fn head_only(client: &ClientWithMiddleware, u: &str) -> reqwest_middleware::Result<bool> {
    let resp = client.head(u).send().await?;
    Ok(resp.status().is_success())
}
