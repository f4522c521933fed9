pub fn fuzz_entry(data: &[u8]) {
    for _ in data {
        let _ = reqwest::Client::new();
    }
}
