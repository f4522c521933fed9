// A function and a module with the same name (`mod search; pub use
// self::search::search;`), re-exported: a call `ops::search(..)` names the
// function (a module cannot be called). Reduced from cargo, whose binary
// calls `ops::search` once per command.
pub mod ops;
