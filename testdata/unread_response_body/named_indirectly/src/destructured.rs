use crate::Api;

// `client` is only taken apart here: no `.client`, no `reqwest::`.
pub async fn remove(api: &Api, id: &str) -> Result<(), reqwest::Error> {
    let Api { client, base } = api;
    client.delete(format!("{base}/{id}")).send().await?; //~ unread_response_body
    Ok(())
}
