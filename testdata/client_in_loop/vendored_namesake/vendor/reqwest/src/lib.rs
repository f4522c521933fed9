//! A fork with a client of its own, defined in a module and re-exported.
mod client;

pub use client::Client;

pub fn handshake_builder() -> hyper::client::conn::http1::Builder {
    hyper::client::conn::http1::Builder::new()
}
