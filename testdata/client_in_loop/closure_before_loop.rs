// A closure bound before a loop and called inside it builds what its body
// builds once per iteration.
fn sync_all(urls: &[String]) {
    let fetch = |u: &str| {
        let c = reqwest::blocking::Client::new(); //~ client_in_loop
        let _ = c.get(u).send().and_then(|r| r.text());
    };
    for u in urls {
        fetch(u);
    }
}

// Look-alikes: the closure is called once, after the loop; the closure uses
// a client built once, before it.
fn summary(urls: &[String]) {
    let report = |n: usize| {
        let c = reqwest::blocking::Client::new();
        let _ = c.post("http://report").body(n.to_string()).send().and_then(|r| r.text());
    };
    let mut n = 0;
    for u in urls {
        n += u.len();
    }
    report(n);
}

fn sync_shared(urls: &[String]) {
    let c = reqwest::blocking::Client::new();
    let fetch = |u: &str| {
        let _ = c.get(u).send().and_then(|r| r.text());
    };
    for u in urls {
        fetch(u);
    }
}
