// Paths are resolved through use tables, aliases, globs and type aliases.
mod alias {
    use reqwest as http;

    pub async fn run(urls: &[String]) {
        for u in urls {
            let c = http::Client::new(); //~ client_in_loop
            c.get(u).send().await.unwrap().text().await.unwrap();
        }
    }
}

mod renamed {
    use reqwest::{Client as Http, StatusCode};

    pub async fn run(mut rx: tokio::sync::mpsc::Receiver<String>) {
        while let Some(job) = rx.recv().await {
            let c = Http::new(); //~ client_in_loop
            let _ = (c, job, StatusCode::OK);
        }
    }
}

mod glob {
    use reqwest::*;

    pub fn run(urls: &[String]) {
        for _u in urls {
            let c = Client::new(); //~ client_in_loop
            drop(c);
        }
    }
}

mod type_alias {
    type Http = reqwest::Client;

    pub fn run(urls: &[String]) {
        for _u in urls {
            let c = Http::new(); //~ client_in_loop
            drop(c);
        }
    }
}

mod reexport {
    pub mod net {
        pub use reqwest::Client as Api;
    }

    pub fn run(urls: &[String]) {
        for _u in urls {
            let c = crate::reexport::net::Api::new(); //~ client_in_loop
            drop(c);
        }
    }
}

mod defaults {
    use reqwest::Client;

    pub fn run(urls: &[String]) {
        for _u in urls {
            let a: reqwest::Client = Default::default(); //~ client_in_loop
            let b = <Client as Default>::default(); //~ client_in_loop
            let c = Client::default(); //~ client_in_loop
            drop((a, b, c));
        }
    }
}

mod fully_qualified {
    pub async fn run(urls: &[String]) {
        for _u in urls {
            let pool = ::sqlx::PgPool::connect("postgres://localhost").await.unwrap(); //~ client_in_loop
            drop(pool);
        }
    }
}
