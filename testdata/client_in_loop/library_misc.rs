// scylla, hickory-resolver and trust-dns-resolver: a session or resolver per item
// fires; resolver configuration values do not.
use hickory_resolver::config::{ResolverConfig, ResolverOpts};
use scylla::client::session_builder::SessionBuilder;

async fn scylla_sessions(nodes: &[String]) -> anyhow::Result<()> {
    for node in nodes {
        let session = SessionBuilder::new().known_node(node).build().await?; //~ client_in_loop
        session.query_unpaged("SELECT 1 FROM system.local", &[]).await?;
        let legacy = scylla::SessionBuilder::new().known_node(node).build().await?; //~ client_in_loop
        drop(legacy);
    }
    Ok(())
}

async fn hickory_resolvers(names: &[String]) -> anyhow::Result<()> {
    for name in names {
        let a = hickory_resolver::TokioAsyncResolver::tokio(ResolverConfig::default(), ResolverOpts::default()); //~ client_in_loop
        let _ = a.lookup_ip(name.as_str()).await?;
        let b = hickory_resolver::TokioAsyncResolver::tokio_from_system_conf()?; //~ client_in_loop
        let c = hickory_resolver::AsyncResolver::new(ResolverConfig::default(), ResolverOpts::default(), hickory_resolver::name_server::TokioConnectionProvider::default()); //~ client_in_loop
        let d = hickory_resolver::Resolver::new(ResolverConfig::default(), ResolverOpts::default())?; //~ client_in_loop
        let e = hickory_resolver::Resolver::from_system_conf()?; //~ client_in_loop
        let f = hickory_resolver::Resolver::default()?; //~ client_in_loop
        let g = hickory_resolver::Resolver::builder_tokio()?.build(); //~ client_in_loop
        let h = hickory_resolver::Resolver::builder_with_config(ResolverConfig::cloudflare(), hickory_resolver::name_server::TokioConnectionProvider::default()).build(); //~ client_in_loop
        let i = hickory_resolver::TokioResolver::builder_tokio()?.build(); //~ client_in_loop
        let j = hickory_resolver::TokioResolver::builder_with_config(ResolverConfig::google(), Default::default()).build(); //~ client_in_loop
        drop((b, c, d, e, f, g, h, i, j));
    }
    Ok(())
}

fn trust_dns_resolvers(names: &[String]) -> anyhow::Result<()> {
    for name in names {
        let a = trust_dns_resolver::Resolver::new(trust_dns_resolver::config::ResolverConfig::default(), trust_dns_resolver::config::ResolverOpts::default())?; //~ client_in_loop
        let _ = a.lookup_ip(name.as_str())?;
        let b = trust_dns_resolver::Resolver::from_system_conf()?; //~ client_in_loop
        let c = trust_dns_resolver::Resolver::default()?; //~ client_in_loop
        let d = trust_dns_resolver::TokioAsyncResolver::tokio(Default::default(), Default::default()); //~ client_in_loop
        let e = trust_dns_resolver::TokioAsyncResolver::tokio_from_system_conf()?; //~ client_in_loop
        let f = trust_dns_resolver::AsyncResolver::new(Default::default(), Default::default(), trust_dns_resolver::name_server::TokioConnectionProvider::default()); //~ client_in_loop
        drop((b, c, d, e, f));
    }
    Ok(())
}

async fn shared(resolver: &hickory_resolver::TokioResolver, names: &[String]) -> anyhow::Result<()> {
    for name in names {
        let r = resolver.clone();
        let _ = r.lookup_ip(name.as_str()).await?;
        let _config = ResolverConfig::default();
        let mut opts = ResolverOpts::default();
        opts.attempts = 3;
    }
    Ok(())
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = scylla_sessions(todo!()).await;
        let _ = hickory_resolvers(todo!()).await;
        let _ = trust_dns_resolvers(todo!());
        let _ = shared(todo!(), todo!()).await;
    }
}
