// A `fn` declared inside a block of another function is a function of its own,
// wherever the block is (found on code generated into a function body).
fn outer() {
    {
        fn inner(u: &[String]) {
            for x in u {
                let c = reqwest::blocking::Client::new(); //~ client_in_loop
                let _ = c.get(x).send().unwrap().text();
            }
        }
    }
    if std::env::args().count() > 1 {
        // The same name in another block is another function.
        fn inner(u: &[String]) {
            for x in u {
                let c = reqwest::blocking::Client::new(); //~ client_in_loop
                let _ = c.get(x).send().unwrap().text();
            }
        }
    }
    let run = || {
        fn in_closure(u: &[String]) {
            let shared = reqwest::blocking::Client::new();
            for x in u {
                let _ = shared.get(x).send().unwrap().text();
            }
        }
    };
    run();
}

fn main() {
    outer();
}
