//! What an unread response body costs: the measurement behind the
//! "Why it matters: measured" section of `lints/unread_response_body.md`.
//!
//! A small HTTP/1.1 keep-alive server of our own, on 127.0.0.1 only, counts the
//! TCP connections it accepts while one client (reqwest 0.12 async on a
//! multi-threaded Tokio runtime, reqwest 0.12 blocking, a ureq 2 agent, a ureq 3
//! agent) sends `N` sequential requests to it, reads only the status of each
//! response and drops it. A connection that goes back to the client's pool
//! carries the next request; one that is closed costs a new connection, so `1`
//! means every request reused the first connection and `N` means none did.
//! Control rows read the body to its end instead.
//!
//! Whether a small body is already in the client's buffer when the response is
//! dropped depends on how the server writes it, so each row is measured three
//! ways: `one write` (head and body in a single `write`, as a server that
//! buffers its output does), `split` (the head, then at once the body in a
//! second `write`, as a server sending a file after its headers does) and
//! `body 10 ms after head` (a proxy or a handler that streams its output).
//!
//! Bounded: every socket has read and write timeouts, each client has a request
//! timeout, each server stops accepting at a deadline of its own, and the whole
//! measurement must finish within `DEADLINE`. Run it with
//! `cargo test --test body_reuse -- --nocapture` to see the table.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Requests per measured row.
const N: usize = 50;
/// Read and write timeout of every socket, and the clients' request timeout.
const IO_TIMEOUT: Duration = Duration::from_secs(5);
/// The whole measurement must finish within this.
const DEADLINE: Duration = Duration::from_secs(60);

/// How long after the head the `Delayed` server writes the body.
const BODY_DELAY: Duration = Duration::from_millis(10);

const KIB: usize = 1024;

/// The response the server gives; the request path names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    NoContent,
    Empty,
    Len100,
    Len16K,
    Len1M,
    Chunked100,
    Chunked1M,
}

impl Kind {
    const ALL: [Kind; 7] = [
        Kind::NoContent,
        Kind::Empty,
        Kind::Len100,
        Kind::Len16K,
        Kind::Len1M,
        Kind::Chunked100,
        Kind::Chunked1M,
    ];

    fn path(self) -> &'static str {
        match self {
            Kind::NoContent => "/no-content",
            Kind::Empty => "/empty",
            Kind::Len100 => "/len-100",
            Kind::Len16K => "/len-16k",
            Kind::Len1M => "/len-1m",
            Kind::Chunked100 => "/chunked-100",
            Kind::Chunked1M => "/chunked-1m",
        }
    }

    fn from_path(path: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.path() == path)
    }

    fn label(self) -> &'static str {
        match self {
            Kind::NoContent => "204 No Content",
            Kind::Empty => "200, content-length 0",
            Kind::Len100 => "200, content-length 100 B",
            Kind::Len16K => "200, content-length 16 KiB",
            Kind::Len1M => "200, content-length 1 MiB",
            Kind::Chunked100 => "200, chunked 100 B",
            Kind::Chunked1M => "200, chunked 1 MiB",
        }
    }

    /// Bytes of body the client sees (after de-chunking).
    fn body_len(self) -> usize {
        match self {
            Kind::NoContent | Kind::Empty => 0,
            Kind::Len100 | Kind::Chunked100 => 100,
            Kind::Len16K => 16 * KIB,
            Kind::Len1M | Kind::Chunked1M => KIB * KIB,
        }
    }

    /// The response as it goes on the wire, built once per kind.
    fn wire(self) -> &'static Wire {
        static WIRES: OnceLock<Vec<Wire>> = OnceLock::new();
        let wires = WIRES.get_or_init(|| {
            Kind::ALL
                .iter()
                .map(|k| {
                    let (head, body) = k.response();
                    let whole = [head.as_slice(), body.as_slice()].concat();
                    Wire { head, body, whole }
                })
                .collect()
        });
        &wires[Kind::ALL.iter().position(|&k| k == self).unwrap()]
    }

    /// The response head and the body bytes as they go on the wire.
    fn response(self) -> (Vec<u8>, Vec<u8>) {
        let len = self.body_len();
        match self {
            Kind::NoContent => (b"HTTP/1.1 204 No Content\r\n\r\n".to_vec(), Vec::new()),
            Kind::Empty | Kind::Len100 | Kind::Len16K | Kind::Len1M => (
                format!("HTTP/1.1 200 OK\r\ncontent-length: {len}\r\n\r\n").into_bytes(),
                vec![b'x'; len],
            ),
            Kind::Chunked100 | Kind::Chunked1M => {
                let mut body = Vec::with_capacity(len + 1024);
                let chunk = 16 * KIB;
                let mut left = len;
                while left > 0 {
                    let n = left.min(chunk);
                    body.extend_from_slice(format!("{n:x}\r\n").as_bytes());
                    body.extend(std::iter::repeat_n(b'x', n));
                    body.extend_from_slice(b"\r\n");
                    left -= n;
                }
                body.extend_from_slice(b"0\r\n\r\n");
                (
                    b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec(),
                    body,
                )
            }
        }
    }
}

/// A response's bytes: the head, the body (chunk-encoded when chunked), and
/// both together.
struct Wire {
    head: Vec<u8>,
    body: Vec<u8>,
    whole: Vec<u8>,
}

/// How the server puts a response on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WriteMode {
    /// Head and body in a single `write_all`.
    OneWrite,
    /// The head, then the body in a second `write_all` (TCP_NODELAY is on, so
    /// they leave as separate segments).
    Split,
    /// The head, then the body `BODY_DELAY` later: a server that sends its
    /// headers before the body is ready (a proxy, a handler streaming its output).
    Delayed,
}

impl WriteMode {
    const ALL: [WriteMode; 3] = [WriteMode::OneWrite, WriteMode::Split, WriteMode::Delayed];

    fn label(self) -> &'static str {
        match self {
            WriteMode::OneWrite => "one write",
            WriteMode::Split => "split",
            WriteMode::Delayed => "body 10 ms after head",
        }
    }
}

/// A keep-alive HTTP/1.1 server on 127.0.0.1 that counts what it serves.
struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    /// Gives one handle per accepted connection; each gives the number of
    /// requests served on that connection.
    acceptor: JoinHandle<Vec<JoinHandle<usize>>>,
}

impl Server {
    fn start(mode: WriteMode, deadline: Instant) -> Server {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("local addr");
        assert!(addr.ip().is_loopback());
        let stop = Arc::new(AtomicBool::new(false));
        let acceptor = {
            let stop = stop.clone();
            thread::spawn(move || {
                let mut conns = Vec::new();
                loop {
                    // Read the flag before accepting, so that connections already
                    // queued when `stop` is set are still counted.
                    let stopping = stop.load(Ordering::SeqCst) || Instant::now() >= deadline;
                    match listener.accept() {
                        Ok((stream, _)) => {
                            conns.push(thread::spawn(move || {
                                let mut served = 0;
                                let _ = serve(stream, mode, &mut served);
                                served
                            }));
                        }
                        // Nothing queued (or an accept error): stop when asked or
                        // past the deadline, else poll again.
                        Err(_) if stopping => break,
                        Err(_) => thread::sleep(Duration::from_millis(1)),
                    }
                }
                conns
            })
        };
        Server {
            addr,
            stop,
            acceptor,
        }
    }

    fn url(&self, kind: Kind) -> String {
        format!("http://{}{}", self.addr, kind.path())
    }

    /// Stops accepting (after taking what is already queued) and waits for the
    /// connection threads, which end when their client closes or times out.
    fn finish(self) -> Served {
        // Give a connection the client may still be opening in the background
        // the time to reach the accept queue.
        thread::sleep(Duration::from_millis(20));
        self.stop.store(true, Ordering::SeqCst);
        let conns = self.acceptor.join().expect("acceptor thread");
        let mut served = Served {
            accepted: conns.len(),
            used: 0,
            requests: 0,
        };
        for conn in conns {
            let n = conn.join().expect("connection thread");
            served.requests += n;
            served.used += usize::from(n > 0);
        }
        served
    }
}

/// What a server saw.
struct Served {
    /// Connections accepted.
    accepted: usize,
    /// Connections that carried at least one request; the others were opened
    /// by the client but never used before it was dropped.
    used: usize,
    /// Requests answered.
    requests: usize,
}

/// Answers every request on one connection until the client closes it, an
/// I/O error, or a timeout.
fn serve(stream: TcpStream, mode: WriteMode, served: &mut usize) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(IO_TIMEOUT))?;
    stream.set_write_timeout(Some(IO_TIMEOUT))?;
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut out = stream;
    let mut line = String::new();
    loop {
        // Request line; EOF here is the client closing an idle connection.
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut parts = line.split_whitespace();
        let (_method, path) = (parts.next(), parts.next().unwrap_or(""));
        let kind = Kind::from_path(path);
        // Headers up to the empty line.
        let mut request_body = 0usize;
        let mut close = false;
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                let value = value.trim();
                if name.eq_ignore_ascii_case("content-length") {
                    request_body = value.parse().unwrap_or(0);
                } else if name.eq_ignore_ascii_case("connection") {
                    close = value.eq_ignore_ascii_case("close");
                }
            }
        }
        io::copy(
            &mut (&mut reader).take(request_body as u64),
            &mut io::sink(),
        )?;
        *served += 1;
        let Some(kind) = kind else {
            out.write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")?;
            continue;
        };
        let wire = kind.wire();
        match mode {
            WriteMode::OneWrite => out.write_all(&wire.whole)?,
            WriteMode::Split | WriteMode::Delayed => {
                out.write_all(&wire.head)?;
                if !wire.body.is_empty() {
                    if mode == WriteMode::Delayed {
                        thread::sleep(BODY_DELAY);
                    }
                    out.write_all(&wire.body)?;
                }
            }
        }
        if close {
            return Ok(());
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lib {
    ReqwestAsync,
    Reqwest,
    Ureq2,
    Ureq3,
}

impl Lib {
    const ALL: [Lib; 4] = [Lib::ReqwestAsync, Lib::Reqwest, Lib::Ureq2, Lib::Ureq3];

    fn label(self) -> &'static str {
        match self {
            Lib::ReqwestAsync => "reqwest async",
            Lib::Reqwest => "reqwest blocking",
            Lib::Ureq2 => "ureq 2",
            Lib::Ureq3 => "ureq 3",
        }
    }
}

/// Sends `N` sequential GETs for `kind` with a fresh client of `lib`, reading
/// only the status (or the whole body when `read_body`), and returns what the
/// server saw.
fn measure(lib: Lib, kind: Kind, mode: WriteMode, read_body: bool, deadline: Instant) -> Served {
    let server = Server::start(mode, deadline);
    let url = server.url(kind);
    let want = kind.body_len();
    let expect_status = if kind == Kind::NoContent { 204 } else { 200 };
    match lib {
        Lib::ReqwestAsync => {
            // The runtime `#[tokio::main]` gives: multi-threaded.
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("tokio runtime");
            rt.block_on(async {
                let client = reqwest::Client::builder()
                    .no_proxy()
                    .connect_timeout(IO_TIMEOUT)
                    .timeout(IO_TIMEOUT)
                    .build()
                    .expect("reqwest client");
                for _ in 0..N {
                    let resp = client.get(&url).send().await.expect("reqwest request");
                    assert_eq!(resp.status().as_u16(), expect_status);
                    if read_body {
                        let body = resp.bytes().await.expect("reqwest body");
                        assert_eq!(body.len(), want);
                    } else {
                        drop(resp);
                    }
                }
            });
            // Dropping the runtime ends the connection tasks.
            rt.shutdown_timeout(IO_TIMEOUT);
        }
        Lib::Reqwest => {
            let client = reqwest::blocking::Client::builder()
                .no_proxy()
                .connect_timeout(IO_TIMEOUT)
                .timeout(IO_TIMEOUT)
                .build()
                .expect("reqwest client");
            for _ in 0..N {
                let resp = client.get(&url).send().expect("reqwest request");
                assert_eq!(resp.status().as_u16(), expect_status);
                if read_body {
                    assert_eq!(resp.bytes().expect("reqwest body").len(), want);
                } else {
                    drop(resp);
                }
            }
        }
        Lib::Ureq2 => {
            let agent = ureq::AgentBuilder::new()
                .timeout_connect(IO_TIMEOUT)
                .timeout(IO_TIMEOUT)
                .build();
            for _ in 0..N {
                let resp = agent.get(&url).call().expect("ureq 2 request");
                assert_eq!(resp.status(), expect_status);
                if read_body {
                    let mut body = Vec::new();
                    resp.into_reader()
                        .read_to_end(&mut body)
                        .expect("ureq 2 body");
                    assert_eq!(body.len(), want);
                } else {
                    drop(resp);
                }
            }
        }
        Lib::Ureq3 => {
            let agent: ureq3::Agent = ureq3::Agent::config_builder()
                .proxy(None)
                .timeout_connect(Some(IO_TIMEOUT))
                .timeout_global(Some(IO_TIMEOUT))
                .build()
                .into();
            for _ in 0..N {
                let mut resp = agent.get(&url).call().expect("ureq 3 request");
                assert_eq!(resp.status().as_u16(), expect_status);
                if read_body {
                    let body = resp.body_mut().read_to_vec().expect("ureq 3 body");
                    assert_eq!(body.len(), want);
                } else {
                    drop(resp);
                }
            }
        }
    }
    // Dropping the client closes its pooled connection, which ends the
    // server's connection thread.
    let served = server.finish();
    assert_eq!(
        served.requests, N,
        "{lib:?} {kind:?} {mode:?}: requests served"
    );
    served
}

/// Rows measured again with the body read to its end.
const CONTROLS: [Kind; 2] = [Kind::Len100, Kind::Chunked1M];

/// One measured cell of the table.
#[derive(Clone, Copy, Debug)]
struct Row {
    lib: Lib,
    kind: Kind,
    mode: WriteMode,
    read_body: bool,
    /// Connections accepted.
    connections: usize,
    /// Of those, connections that carried no request.
    unused: usize,
}

fn run_all(deadline: Instant) -> Vec<Row> {
    let mut rows = Vec::new();
    for mode in WriteMode::ALL {
        for lib in Lib::ALL {
            for kind in Kind::ALL {
                let served = measure(lib, kind, mode, false, deadline);
                rows.push(Row {
                    lib,
                    kind,
                    mode,
                    read_body: false,
                    connections: served.accepted,
                    unused: served.accepted - served.used,
                });
            }
            // Control: a small and a large body read to their end.
            for kind in CONTROLS {
                let served = measure(lib, kind, mode, true, deadline);
                rows.push(Row {
                    lib,
                    kind,
                    mode,
                    read_body: true,
                    connections: served.accepted,
                    unused: served.accepted - served.used,
                });
            }
        }
    }
    rows
}

fn print_table(rows: &[Row]) {
    println!();
    println!("connections opened for {N} sequential requests (status read, response dropped)");
    for mode in WriteMode::ALL {
        println!();
        println!("server writes head and body: {}", mode.label());
        print!("| {:<36} |", "response");
        for lib in Lib::ALL {
            print!(" {:>16} |", lib.label());
        }
        println!();
        let mut keys: Vec<(Kind, bool)> = Kind::ALL.iter().map(|&k| (k, false)).collect();
        keys.extend(CONTROLS.iter().map(|&k| (k, true)));
        for (kind, read_body) in keys {
            let label = if read_body {
                format!("{}, body read", kind.label())
            } else {
                kind.label().to_string()
            };
            print!("| {label:<36} |");
            for lib in Lib::ALL {
                let row = rows.iter().find(|r| {
                    r.lib == lib && r.kind == kind && r.mode == mode && r.read_body == read_body
                });
                match row {
                    Some(r) if r.unused > 0 => {
                        print!(
                            " {:>16} |",
                            format!("{} ({} unused)", r.connections, r.unused)
                        )
                    }
                    Some(r) => print!(" {:>16} |", r.connections),
                    None => print!(" {:>16} |", "-"),
                }
            }
            println!();
        }
    }
    println!();
}

/// What a row must show, if anything. Only what the libraries' sources make
/// certain is pinned down; what depends on timing (whether a small body had
/// arrived when the response was dropped, which task wins a pool race) is
/// reported in the table and bounded loosely or not at all.
fn check(r: &Row) -> Result<(), &'static str> {
    use {Kind::*, Lib::*, WriteMode::*};
    let used = r.connections - r.unused;
    let (ok, why) = if r.read_body || r.kind.body_len() == 0 {
        match r.lib {
            Ureq2 | Ureq3 => (
                r.connections == 1,
                "ureq gives the connection of a finished body back before the call \
                 returns: exactly 1 connection",
            ),
            // hyper-util puts the connection back from the connection task. On
            // its single runtime thread the next request normally finds it; if
            // not, the request waits for it while a new connection, opened in
            // the background, stays unused (seen once in the dropped rows).
            Reqwest => (
                used == 1 && r.connections <= 2,
                "reqwest blocking: all requests on 1 connection (plus at most 1 opened \
                 unused in the pool race)",
            ),
            // On a multi-threaded runtime the next request often misses the
            // connection on its way back and connects anew (hyperium/hyper#4134);
            // bounded over all such rows in `unread_body_costs_a_connection`.
            ReqwestAsync => (r.connections <= N, "at most one connection per request"),
        }
    } else {
        match (r.lib, r.kind, r.mode) {
            (_, Len1M | Chunked1M, _) => (
                r.connections == N && r.unused == 0,
                "a dropped 1 MiB body can be neither buffered nor drained: \
                 every request reconnects",
            ),
            (Ureq3, _, _) => (
                r.connections == N,
                "ureq 3 closes the connection of any body dropped before its end",
            ),
            (Ureq2, Chunked100 | Len16K, _) => (
                r.connections == N,
                "ureq 2 pools a chunked body only at its end, and 16 KiB exceeds \
                 its 8 KiB read buffer",
            ),
            (Ureq2, Len100, OneWrite) => (
                r.connections == 1,
                "ureq 2 pools at once a content-length body that arrived with the head",
            ),
            (Reqwest, Len100, OneWrite) => (
                r.connections <= N / 10,
                "hyper drains a body that arrived with the head when the response \
                 is dropped",
            ),
            (_, _, Delayed) => (
                r.connections >= N * 4 / 5,
                "a body that arrives after the response was dropped cannot be drained",
            ),
            _ => (true, "timing-dependent: reported, not asserted"),
        }
    };
    if ok { Ok(()) } else { Err(why) }
}

#[test]
fn unread_body_costs_a_connection() {
    let start = Instant::now();
    let deadline = start + DEADLINE;
    let (tx, rx) = mpsc::channel();
    let worker = thread::spawn(move || {
        let _ = tx.send(run_all(deadline));
    });
    let rows = match rx.recv_timeout(DEADLINE) {
        Ok(rows) => rows,
        Err(_) => {
            // The worker panicked (its message is printed above) or is stuck.
            if worker.is_finished() {
                let _ = worker.join();
            }
            panic!("measurement failed or did not finish within {DEADLINE:?}");
        }
    };
    worker.join().expect("measurement thread");
    print_table(&rows);
    println!("measured in {:.1?}", start.elapsed());

    let mut failures = Vec::new();
    for r in &rows {
        if let Err(why) = check(r) {
            failures.push(format!(
                "{} / {} / {}{}: {} connections ({} unused): {why}",
                r.lib.label(),
                r.kind.label(),
                r.mode.label(),
                if r.read_body { " / body read" } else { "" },
                r.connections,
                r.unused,
            ));
        }
    }
    // Async reqwest, bodies read or empty: the pool race costs some extra
    // connections, but most requests must still reuse one.
    let (rows_async, opened): (usize, usize) = rows
        .iter()
        .filter(|r| r.lib == Lib::ReqwestAsync && (r.read_body || r.kind.body_len() == 0))
        .fold((0, 0), |(n, c), r| (n + 1, c + r.connections));
    if opened > rows_async * N / 2 {
        failures.push(format!(
            "reqwest async: {opened} connections for {} requests whose body was read \
             or empty; expected at most half",
            rows_async * N
        ));
    }
    assert!(
        failures.is_empty(),
        "unexpected counts:\n{}",
        failures.join("\n")
    );
}
