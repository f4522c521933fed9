mod poll;
mod search;

pub use self::poll::poll;
pub use self::search::search;
