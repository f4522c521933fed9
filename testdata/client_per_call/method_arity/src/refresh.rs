use crate::prober::Prober;
use crate::Runner;

impl Runner {
    pub async fn refresh(&self, p: &Prober, urls: &[String]) {
        for u in urls {
            p.fetch().url(u).call().await;
        }
    }
}
