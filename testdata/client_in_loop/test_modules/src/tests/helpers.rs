// A module of a test module is test code too.
pub fn hammer(n: usize) {
    for _ in 0..n {
        let _ = reqwest::Client::new();
    }
}
