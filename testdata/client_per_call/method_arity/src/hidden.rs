// Calls on another crate's type the index cannot see into. `each(a, b)` has
// the arity of `Runner::each`: it may be that method, called per request.
pub fn poke(h: &other::Handle) {
    h.sweep();
    h.each(1, 2);
}
