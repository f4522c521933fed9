//! Which packages can matter, decided from the manifests before any file is
//! parsed, and which packages' code can call which.
//!
//! Every finding is about a value of a catalog library: a client built with
//! one of its paths, or a response it hands back. The walk matches a catalog
//! path only after resolving it to a path that starts with a catalog crate
//! (or a crate the catalog maps onto one, `[reexports]`), and Rust code can
//! name only the crates its package depends on. So a package whose
//! dependencies, and those of every workspace package it depends on
//! (directly or not), name no catalog crate builds no client and gets no
//! response. Its code still matters when it is linked into one build with a
//! package that does (a generic driver loop, a trait the other implements):
//! a package is *needed* when some package that names the catalog depends
//! on it, or is it. Only the others are skipped, unread.
//!
//! Two kinds of catalog knowledge are not tied to a crate, and are looked
//! for in the text of the package's `.rs` files instead (identifier tokens,
//! comments skipped): paths that match anywhere (`**::*_client::*Client`,
//! tonic's generated clients, which another crate may have generated), and
//! `connlint` suppression comments (an unused one is reported).
//!
//! The same closures scope the calls the index cannot resolve: a method call
//! on a receiver of unknown type in one package can reach a function of
//! another only when some package links both ([`Links::can_call`]).

use std::collections::{BTreeSet, HashSet};

use rayon::prelude::*;

use crate::catalog::{Catalog, segment_matches, split_path};
use crate::prefilter::identifiers;
use crate::source::FileId;
use crate::workspace::Package;

/// The catalog as the manifests and a token scan can see it.
#[derive(Debug, Default)]
pub struct CatalogCrates {
    /// Patterns of crate names (`reqwest`, `aws_sdk_*`), `-` written `_`.
    crates: BTreeSet<String>,
    /// Patterns of one identifier of a path that matches anywhere (`*_client`).
    anywhere: BTreeSet<String>,
    /// The longest literal part of each (`_client`).
    anywhere_literals: Vec<String>,
}

impl CatalogCrates {
    pub fn new(catalog: &Catalog) -> CatalogCrates {
        let mut out = CatalogCrates::default();
        for path in catalog.all_paths() {
            let parts = split_path(&path);
            match parts.first().map(String::as_str) {
                Some("**") => {
                    if let Some(segment) = parts.iter().find(|s| *s != "**") {
                        out.anywhere.insert(segment.clone());
                    }
                }
                Some(first) => {
                    out.crates.insert(first.to_string());
                }
                None => {}
            }
        }
        // A crate the catalog maps onto a catalog crate counts as one
        // (`actix_web::client` is `awc`).
        let mapped: Vec<String> = catalog
            .reexports()
            .filter(|(_, to)| to.first().is_some_and(|h| out.names_crate(h)))
            .filter_map(|(from, _)| from.first().cloned())
            .collect();
        out.crates.extend(mapped);
        out.anywhere_literals = out
            .anywhere
            .iter()
            .map(|p| {
                p.split('*')
                    .max_by_key(|l| l.len())
                    .unwrap_or_default()
                    .to_string()
            })
            .collect();
        out
    }

    /// Whether a crate (a package name or a dependency) is a catalog crate.
    pub fn names_crate(&self, name: &str) -> bool {
        let name = name.replace('-', "_");
        self.crates.iter().any(|p| segment_matches(p, &name))
    }

    /// Whether the text holds an identifier that a path matching anywhere
    /// starts from, or a `connlint` comment.
    pub fn mentioned_in(&self, text: &[u8]) -> bool {
        const MARK: &[u8] = b"connlint";
        // An identifier matching `*_client` holds `_client`: a text without
        // the literal part of any pattern is not lexed at all.
        let may_match = |literal: &String| {
            literal.is_empty() || memchr::memmem::find(text, literal.as_bytes()).is_some()
        };
        memchr::memmem::find(text, MARK).is_some()
            || self.anywhere_literals.iter().any(may_match)
                && identifiers(text)
                    .filter_map(|id| std::str::from_utf8(id).ok())
                    .any(|id| self.anywhere.iter().any(|p| segment_matches(p, id)))
    }
}

/// For each package: itself and every package of the workspace it depends
/// on, directly or not (by a dependency that can be a path: a registry
/// crate of the same name is other code). A package made from a directory
/// walk has unknown dependencies: it sees every package.
pub fn closures(packages: &[Package]) -> Vec<Vec<usize>> {
    let norm = |n: &str| n.replace('-', "_");
    let mut by_name: std::collections::HashMap<String, Vec<usize>> = Default::default();
    for (i, p) in packages.iter().enumerate() {
        by_name.entry(norm(&p.name)).or_default().push(i);
    }
    let all: Vec<usize> = (0..packages.len()).collect();
    (0..packages.len())
        .map(|start| {
            let mut seen = BTreeSet::from([start]);
            let mut queue = vec![start];
            while let Some(p) = queue.pop() {
                if !packages[p].from_cargo {
                    return all.clone();
                }
                for d in packages[p].local_dependencies() {
                    for &q in by_name.get(&norm(d)).into_iter().flatten() {
                        if seen.insert(q) {
                            queue.push(q);
                        }
                    }
                }
            }
            seen.into_iter().collect()
        })
        .collect()
}

/// Which packages can call which: `linked[a]` holds `b` when some
/// package's closure holds both.
#[derive(Debug, Default)]
pub struct Links {
    linked: Vec<HashSet<usize>>,
    /// The package of each file (`None`: no package, it sees everything).
    file_package: Vec<Option<usize>>,
}

impl Links {
    pub fn new(closures: &[Vec<usize>], file_package: Vec<Option<usize>>) -> Links {
        let mut linked: Vec<HashSet<usize>> = vec![HashSet::new(); closures.len()];
        let distinct: BTreeSet<&Vec<usize>> = closures.iter().collect();
        for closure in distinct {
            for &a in closure {
                linked[a].extend(closure.iter().copied());
            }
        }
        Links {
            linked,
            file_package,
        }
    }

    /// The package of a file, when it has one.
    pub fn package(&self, file: FileId) -> Option<usize> {
        self.file_package.get(file).copied().flatten()
    }

    /// Whether code of package `from` can call code of package `to`
    /// (`None`: a file outside any package, which can call anything).
    pub fn can_call(&self, from: Option<usize>, to: Option<usize>) -> bool {
        match (from, to) {
            (Some(a), Some(b)) => a == b || self.linked.get(a).is_some_and(|l| l.contains(&b)),
            _ => true,
        }
    }
}

/// Which packages are needed (see the module documentation): the closure of
/// every package that can name the catalog. `mentions` tells whether a file
/// names an anywhere-path or `connlint` ([`CatalogCrates::mentioned_in`]; a
/// file that cannot be read counts as a mention: the run reports it).
pub fn needed(
    packages: &[Package],
    closures: &[Vec<usize>],
    crates: &CatalogCrates,
    mentions: &(dyn Fn(&std::path::Path) -> bool + Sync),
) -> Vec<bool> {
    let by_manifest = |p: &Package| {
        !p.from_cargo
            || crates.names_crate(&p.name)
            || p.dependencies.iter().any(|d| crates.names_crate(d))
    };
    let manifest: Vec<bool> = packages.par_iter().map(by_manifest).collect();
    // A package's files are searched only when some closure that holds it
    // is not needed already by the manifests: what they say could change
    // nothing else.
    let mut open = vec![false; packages.len()];
    for closure in closures {
        if !closure.iter().any(|&q| manifest[q]) {
            for &q in closure {
                open[q] = true;
            }
        }
    }
    let own: Vec<bool> = packages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            manifest[i]
                || (open[i]
                    && crate::workspace::rust_files(&p.dir)
                        .par_iter()
                        .any(|f| mentions(f)))
        })
        .collect();
    let mut needed = vec![false; packages.len()];
    for closure in closures {
        if closure.iter().any(|&q| own[q]) {
            for &q in closure {
                needed[q] = true;
            }
        }
    }
    needed
}

/// The packages of each batch (`Options::batch_bytes`): the workspace's
/// components (packages that some closure holds together, directly or
/// through others, in one component: no call crosses two), in the order of
/// their first package, gathered until the `.rs` files of a batch's needed
/// packages reach `budget` bytes (0: no limit, and no directory is read),
/// except that components with crates of the same name go to different
/// batches. One batch when there is one component.
pub fn batches(
    packages: &[Package],
    closures: &[Vec<usize>],
    needed: &[bool],
    budget: u64,
) -> Vec<Vec<bool>> {
    let n = packages.len();
    // Union-find over the closures.
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut x: usize) -> usize {
        while parent[x] != x {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        x
    }
    for closure in closures {
        for w in closure.windows(2) {
            let (a, b) = (find(&mut parent, w[0]), find(&mut parent, w[1]));
            parent[a.max(b)] = a.min(b);
        }
    }
    let component: Vec<usize> = (0..n).map(|p| find(&mut parent, p)).collect();
    let components: BTreeSet<usize> = component.iter().copied().collect();
    if components.len() <= 1 {
        return vec![vec![true; n]];
    }
    // A component's size: the `.rs` files of its needed packages.
    let sizes: Vec<u64> = packages
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            if !needed[i] || budget == 0 {
                return 0;
            }
            let files = crate::workspace::rust_files(&p.dir);
            files
                .iter()
                .filter_map(|f| std::fs::symlink_metadata(f).ok())
                .map(|m| m.len())
                .sum()
        })
        .collect();
    // Per component: its size (at least a byte: a budget of one puts each in
    // a batch of its own) and the crate names of its needed packages.
    let mut size_of = std::collections::BTreeMap::<usize, (u64, BTreeSet<String>)>::new();
    for p in 0..n {
        let entry = size_of.entry(component[p]).or_insert((1, BTreeSet::new()));
        entry.0 += sizes[p];
        if needed[p] {
            let names = packages[p].targets.iter().map(|t| t.name.replace('-', "_"));
            entry
                .1
                .extend(names.chain([packages[p].name.replace('-', "_")]));
        }
    }
    // First fit, components in the order of their first package. Two
    // components that hold a crate of the same name (versions of one crate in
    // a tree of crates) never share a batch: their functions would have the
    // same paths, and each must be checked as if alone.
    let budget = if budget == 0 { u64::MAX } else { budget };
    let mut open: Vec<(u64, BTreeSet<String>)> = Vec::new();
    let mut batch_of = std::collections::BTreeMap::<usize, usize>::new();
    for (&c, (size, names)) in &size_of {
        let fits = |(filled, taken): &(u64, BTreeSet<String>)| {
            (*filled == 0 || filled.saturating_add(*size) <= budget) && taken.is_disjoint(names)
        };
        let b = match open.iter().position(fits) {
            Some(b) => b,
            None => {
                open.push((0, BTreeSet::new()));
                open.len() - 1
            }
        };
        open[b].0 = open[b].0.saturating_add(*size);
        open[b].1.extend(names.iter().cloned());
        batch_of.insert(c, b);
    }
    let mut out = vec![vec![false; n]; open.len()];
    for p in 0..n {
        out[batch_of[&component[p]]][p] = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str, deps: &[&str]) -> Package {
        Package {
            name: name.to_string(),
            dependencies: deps.iter().map(|d| d.to_string()).collect(),
            from_cargo: true,
            dir: std::path::PathBuf::from("/nonexistent/connlint-packages-test"),
            ..Package::default()
        }
    }

    #[test]
    fn needed_follows_the_closures_of_catalog_users() {
        let catalog = Catalog::builtin().expect("the built-in catalog parses");
        let crates = CatalogCrates::new(&catalog);
        assert!(crates.names_crate("reqwest") && crates.names_crate("aws-sdk-s3"));
        assert!(!crates.names_crate("serde") && !crates.names_crate("axum"));
        // app -> (net -> reqwest, util); driver -> util; docs alone; tool.
        let packages = [
            package("app", &["net", "util", "tokio"]),
            package("net", &["reqwest"]),
            package("util", &["serde"]),
            package("driver", &["util", "axum"]),
            package("docs", &["serde"]),
        ];
        let closures = closures(&packages);
        let none = |_: &std::path::Path| false;
        let needed = needed(&packages, &closures, &crates, &none);
        // `util` is linked into `app` with `net`; `driver` and `docs` are
        // in no build that has a client.
        assert_eq!(needed, [true, true, true, false, false]);
        let links = Links::new(&closures, vec![Some(0), Some(2), Some(3), None]);
        assert!(links.can_call(Some(2), Some(1)), "util and net share app");
        assert!(!links.can_call(Some(4), Some(1)), "docs links nothing else");
        assert!(links.can_call(links.package(3), Some(4)));
    }

    #[test]
    fn registry_crates_named_like_members_link_nothing() {
        // `app` uses the member `util` by path, `tool` a crates.io `util`.
        let mut packages = [
            package("app", &["util"]),
            package("tool", &["util"]),
            package("util", &[]),
        ];
        packages[1].external_dependencies = vec!["util".to_string()];
        let closures = closures(&packages);
        assert_eq!(closures, [vec![0, 2], vec![1], vec![2]]);
        let links = Links::new(&closures, Vec::new());
        assert!(links.can_call(Some(0), Some(2)));
        assert!(!links.can_call(Some(1), Some(2)));
        // Two components, each a batch of its own when one byte is the budget.
        let needed = [true, true, true];
        assert_eq!(batches(&packages, &closures, &needed, 0).len(), 1);
        let split = batches(&packages, &closures, &needed, 1);
        assert_eq!(split, [vec![true, false, true], vec![false, true, false]]);
        // Two versions of one crate, unlinked: never in one batch.
        packages[1].name = "app".to_string();
        let linked = super::closures(&packages);
        let whole = batches(&packages, &linked, &needed, 0);
        assert_eq!(whole, [vec![true, false, true], vec![false, true, false]]);
    }

    #[test]
    fn anywhere_paths_and_suppressions_are_found_in_code() {
        let catalog = Catalog::builtin().expect("the built-in catalog parses");
        let crates = CatalogCrates::new(&catalog);
        assert!(crates.mentioned_in(b"let c = proto::greeter_client::GreeterClient::new(ch);"));
        assert!(crates.mentioned_in(b"// connlint: allow(client_in_loop)\nfn f() {}"));
        assert!(!crates.mentioned_in(b"// a greeter_client in prose\nfn f() {}"));
    }
}
