/// The fork's client is free to build: no finding.
pub fn retries(n: usize) -> u32 {
    let mut total = 0;
    for _ in 0..n {
        total += reqwest::Client::new().retries;
    }
    total
}
