// octocrab, kube, teloxide, influxdb and lettre: an API client or SMTP transport per
// item fires; the shared octocrab instance, Api handles over an existing kube
// client, bots sharing a reqwest client, messages and local transports do not.
use kube::api::{Api, ListParams};
use kube::{Client, Config};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, SmtpTransport, Tokio1Executor, Transport};
use octocrab::{Octocrab, OctocrabBuilder};
use teloxide::prelude::*;
use teloxide::Bot;

async fn github(tokens: &[String]) -> octocrab::Result<()> {
    for token in tokens {
        let a = Octocrab::builder().personal_token(token.clone()).build()?; //~ client_in_loop
        let b = OctocrabBuilder::new().base_uri("https://ghe.example.com")?.build()?; //~ client_in_loop
        let c = OctocrabBuilder::default().build()?; //~ client_in_loop
        let d = Octocrab::default(); //~ client_in_loop
        let _me = a.current().user().await?;
        drop((b, c, d));
    }
    Ok(())
}

async fn kubernetes(namespaces: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    for ns in namespaces {
        let client = Client::try_default().await?; //~ client_in_loop
        let pods: Api<k8s_openapi::api::core::v1::Pod> = Api::namespaced(client, ns);
        let _ = pods.list(&ListParams::default()).await?;
        let config = Config::infer().await?; // loads a Config only: not a client
        let b = Client::try_from(config.clone())?; //~ client_in_loop
        let c = kube::client::ClientBuilder::try_from(config)?.build(); //~ client_in_loop
        drop((b, c));
    }
    Ok(())
}

async fn telegram(chats: &[ChatId], token: &str) -> Result<(), teloxide::RequestError> {
    for chat in chats {
        let bot = Bot::new(token); //~ client_in_loop
        bot.send_message(*chat, "hello").await?;
        let from_env = Bot::from_env(); //~ client_in_loop
        let http = teloxide::net::client_from_env(); //~ client_in_loop
        let tuned = teloxide::net::default_reqwest_settings().timeout(std::time::Duration::from_secs(30)).build().unwrap(); //~ client_in_loop
        drop((from_env, http, tuned));
    }
    Ok(())
}

async fn influx(urls: &[String]) {
    for url in urls {
        let client = influxdb::Client::new(url, "metrics"); //~ client_in_loop
        let _ = client.ping().await;
    }
}

async fn mail(recipients: &[String], password: &str) -> anyhow::Result<()> {
    for to in recipients {
        let email = Message::builder().from("bot@example.com".parse()?).to(to.parse()?).subject("hi").body(String::from("hello"))?;
        let creds = Credentials::new("bot".to_owned(), password.to_owned());
        let mailer = SmtpTransport::relay("smtp.example.com")?.credentials(creds.clone()).build(); //~ client_in_loop
        mailer.send(&email)?;
        let a = SmtpTransport::starttls_relay("smtp.example.com")?.build(); //~ client_in_loop
        let b = SmtpTransport::builder_dangerous("localhost").port(2525).build(); //~ client_in_loop
        let c = SmtpTransport::from_url("smtps://bot:pw@smtp.example.com")?.build(); //~ client_in_loop
        let d = SmtpTransport::unencrypted_localhost(); //~ client_in_loop
        let e = AsyncSmtpTransport::<Tokio1Executor>::relay("smtp.example.com")?.credentials(creds).build(); //~ client_in_loop
        e.send(email.clone()).await?;
        let f = AsyncSmtpTransport::<Tokio1Executor>::starttls_relay("smtp.example.com")?.build(); //~ client_in_loop
        let g = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("localhost").build(); //~ client_in_loop
        let h = AsyncSmtpTransport::<Tokio1Executor>::from_url("smtp://localhost:2525")?.build(); //~ client_in_loop
        let i = AsyncSmtpTransport::<Tokio1Executor>::unencrypted_localhost(); //~ client_in_loop
        drop((a, b, c, d, f, g, h, i));
    }
    Ok(())
}

async fn shared(kube: &Client, bot: &Bot, http: reqwest::Client, repos: &[String]) -> anyhow::Result<()> {
    for repo in repos {
        let gh = octocrab::instance();
        let _ = gh.repos("owner", repo).get().await?;
        let _all: Api<k8s_openapi::api::core::v1::Pod> = Api::all(kube.clone());
        let _ns: Api<k8s_openapi::api::core::v1::Pod> = Api::namespaced(kube.clone(), repo);
        let _default: Api<k8s_openapi::api::core::v1::Pod> = Api::default_namespaced(kube.clone());
        let b = bot.clone();
        let _with_client = Bot::with_client("token", http.clone());
        let _ = b.get_me().await?;
        let _msg = Message::builder().to(format!("{repo} <ops@example.com>").parse()?).body(String::new())?;
        let _mailbox = lettre::message::Mailbox::new(None, "ops@example.com".parse()?);
        let _sendmail = lettre::SendmailTransport::new();
        let _file = lettre::FileTransport::new("/tmp/mail");
    }
    Ok(())
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = github(todo!()).await;
        let _ = kubernetes(todo!()).await;
        let _ = telegram(todo!(), todo!()).await;
        let _ = influx(todo!()).await;
        let _ = mail(todo!(), todo!()).await;
        let _ = shared(todo!(), todo!(), todo!(), todo!()).await;
    }
}
