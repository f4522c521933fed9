// Names the methods only in calls of other arities: the prefilter skips it.
pub fn sizes(v: &[Vec<u8>]) -> usize {
    v.iter().map(|x| x.len()).sum()
}

pub fn handle() -> other::Handle {
    let h = other::Handle::default();
    h.probe();
    h.check();
    h.sweep();
    h
}
