use crate::prober::Prober;
use crate::Runner;

impl Runner {
    pub async fn sweep(&self, p: &Prober, urls: &[String]) {
        for u in urls {
            p.probe(u).await;
        }
    }
}
