// `netkit` now names the function as well as the crate; `netkit::client`
// is still the crate's function, not `netkit::netkit::client`.
use netkit::netkit;

#[tokio::main]
async fn main() {
    println!("{}", netkit());
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
    loop {
        tick.tick().await;
        let c = netkit::client(); //~ client_in_loop
        if let Ok(r) = c.get("http://status.internal/").send().await {
            println!("{}", r.text().await.unwrap_or_default());
        }
    }
}
