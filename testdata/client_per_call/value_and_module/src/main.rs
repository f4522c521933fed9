use value_and_module::ops;

// Every feed named on standard input is fetched with a client of its own.
fn watch() {
    for feed in std::io::stdin().lines().map_while(Result::ok) {
        println!("{}", ops::poll(&feed));
    }
}

fn main() {
    let query = std::env::args().nth(1).unwrap_or_default();
    println!("{}", ops::search(&query));
    watch();
}
