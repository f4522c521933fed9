// A client reached through a field of a value whose type the walk cannot
// see (`ctx.data().http`, a generic accessor of a framework): when every
// workspace struct with a field of that name gives it the same client type,
// the field has that type.
type Error = Box<dyn std::error::Error + Send + Sync>;
type Ctx<'a> = poise::Context<'a, Shared, Error>;

pub struct Shared {
    http: reqwest::Client,
    store: reqwest::Client,
}

#[poise::command(slash_command)]
async fn exists(ctx: Ctx<'_>, name: String) -> Result<(), Error> {
    let url = format!("https://pages.example/{name}");
    let resp = ctx.data().http.get(&url).send().await?; //~ unread_response_body
    if resp.status() == 404 {
        ctx.say("missing").await?;
        return Ok(());
    }
    ctx.say(resp.text().await?).await?;
    Ok(())
}

#[poise::command(slash_command)]
async fn fetch(ctx: Ctx<'_>, name: String) -> Result<(), Error> {
    let url = format!("https://pages.example/{name}");
    let body = ctx.data().http.get(&url).send().await?.text().await?;
    ctx.say(body).await?;
    Ok(())
}

// Two structs disagree on what `store` holds: the field stays untyped.
pub struct Local {
    store: std::collections::HashMap<String, String>,
}

#[poise::command(slash_command)]
async fn lookup(ctx: Ctx<'_>, name: String) -> Result<(), Error> {
    let resp = ctx.data().store.get(&name).send().await?;
    if resp.status() == 404 {
        return Ok(());
    }
    ctx.say("found").await?;
    Ok(())
}

#[tokio::main]
async fn main() {
    let local = Local { store: Default::default() };
    let _ = local.store.len();
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![exists(), fetch(), lookup()],
            ..Default::default()
        })
        .setup(|_, _, _| {
            Box::pin(async move {
                let http = reqwest::Client::new();
                Ok(Shared { store: http.clone(), http })
            })
        })
        .build();
    let _ = framework;
}
