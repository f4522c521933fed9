// `or_insert` evaluates its argument on every call, even when the key exists.
use std::collections::HashMap;

fn eager_cache(urls: &[String], cache: &mut HashMap<String, reqwest::Client>) {
    for u in urls {
        let _c = cache.entry(u.clone()).or_insert(reqwest::Client::new()); //~ client_in_loop
    }
}
