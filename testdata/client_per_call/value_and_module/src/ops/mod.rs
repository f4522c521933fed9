mod registry;

pub use self::registry::poll;
pub use self::registry::search;
