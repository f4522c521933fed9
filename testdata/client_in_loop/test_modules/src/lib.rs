// Out-of-line modules declared under `#[cfg(test)]` or `#[cfg(fuzzing)]` are
// test code, like inline ones; a plain `mod` is checked.
mod net;

#[cfg(test)]
mod tests;

#[cfg(fuzzing)]
pub mod fuzz;

pub use net::sync;
