// curl: a new Easy/Easy2/Multi handle per iteration never reuses a connection;
// reusing one handle (reset, url, perform) stays clean.
use curl::easy::{Easy, Easy2, Handler, WriteError};
use curl::multi::Multi;

struct Collector(Vec<u8>);

impl Handler for Collector {
    fn write(&mut self, data: &[u8]) -> Result<usize, WriteError> {
        self.0.extend_from_slice(data);
        Ok(data.len())
    }
}

fn fresh_handles(urls: &[String]) -> Result<(), curl::Error> {
    for u in urls {
        let mut easy = Easy::new(); //~ client_in_loop
        easy.url(u)?;
        easy.perform()?;

        let mut easy2 = Easy2::new(Collector(Vec::new())); //~ client_in_loop
        easy2.url(u)?;
        easy2.perform()?;

        let multi = Multi::new(); //~ client_in_loop
        let handle = multi.add2(easy2).unwrap();
        drop(handle);
    }
    Ok(())
}

fn reused_handle(urls: &[String]) -> Result<(), curl::Error> {
    let mut easy = Easy::new();
    let mut easy2 = Easy2::new(Collector(Vec::new()));
    for u in urls {
        easy.reset();
        easy.url(u)?;
        easy.perform()?;
        easy2.url(u)?;
        easy2.perform()?;
    }
    Ok(())
}
