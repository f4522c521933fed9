// Names like catalog crates that are not paths into them.
pub struct Settings {
    pub http: u16,
    pub redis: String,
}

pub fn describe() {
    let http = 8080;
    let s = Settings {
        http,
        redis: "redis://localhost".to_string(),
    };
    println!("{} {}", s.http, s.redis);
}
