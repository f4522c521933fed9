pub fn sync(ids: &[u64]) {
    for _id in ids {
        let _c = reqwest::Client::new(); //~ client_in_loop
    }
}
