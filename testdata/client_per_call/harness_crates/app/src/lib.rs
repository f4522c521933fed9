//! A normal member: the same code as in the harness crates is reported here.

#[cfg(feature = "test-utils")]
pub mod fixtures;

/// Public API nobody in the workspace calls: built on every call.
pub async fn probe(url: &str) -> u16 {
    let client = reqwest::Client::new(); //~ client_per_call
    client.get(url).send().await.unwrap().status().as_u16()
}

pub fn warm_all(urls: &[&str]) {
    for _url in urls {
        let _client = reqwest::blocking::Client::new(); //~ client_in_loop
    }
}

/// Compiled only for tests or with the `testing` feature: test code.
#[cfg(any(test, feature = "testing"))]
pub fn testing_client(url: &str) -> u16 {
    let client = reqwest::blocking::Client::new();
    client.get(url).send().unwrap().status().as_u16()
}

/// A mock behind a feature: test code.
#[cfg(feature = "mock_server")]
pub mod mock {
    pub fn serve(urls: &[&str]) {
        for _url in urls {
            let _client = reqwest::blocking::Client::new();
        }
    }
}

/// Not test code: the feature name does not look like a test feature.
#[cfg(feature = "blocking")]
pub fn blocking_probe(urls: &[&str]) {
    for _url in urls {
        let _client = reqwest::blocking::Client::new(); //~ client_in_loop
    }
}
