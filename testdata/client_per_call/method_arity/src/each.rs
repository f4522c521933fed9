use crate::prober::Prober;
use crate::Runner;

impl Runner {
    pub async fn each(&self, p: &Prober, urls: &[String]) {
        for u in urls {
            Prober::check(p, u).await;
        }
    }
}
