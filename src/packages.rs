//! Which packages can matter, decided from the manifests before any file is
//! parsed, and which packages' code can call which.
//!
//! Every finding is about a value of a catalog library: a client built with
//! one of its paths, or a response it hands back. The walk matches a catalog
//! path only after resolving it to a path that starts with a catalog crate
//! (or a crate the catalog maps onto one, `[reexports]`), and Rust code can
//! name only the crates its package depends on. So a package whose
//! dependencies, and those of every workspace package it depends on
//! (directly or not), name no catalog crate that builds something
//! (`Catalog::provider_paths`: `aws-types` only names a type, `http` a
//! receiver of isahc's trait) builds no client and gets no response. A
//! package's own name does not count: the catalog describes a crate's API
//! to its users, and the crate's own source is that API's implementation
//! (`reqwest::get` builds a client per call by design). Its code still matters when it is linked into one build with a
//! package that does (a generic driver loop, a trait the other implements):
//! a package is *needed* when some package that names the catalog depends
//! on it, or is it. Only the others are skipped, unread.
//!
//! Two kinds of catalog knowledge are not tied to a crate, and are looked
//! for in the text of the package's `.rs` files instead (paths of code,
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
use crate::source::FileId;
use crate::workspace::Package;

/// The catalog as the manifests and a token scan can see it.
#[derive(Debug, Default)]
pub struct CatalogCrates {
    /// Patterns of crate names (`reqwest`, `aws_sdk_*`), `-` written `_`.
    crates: BTreeSet<String>,
    /// The first two segments of each path that matches anywhere
    /// (`*_client`, `*Client`; the second empty when there is none).
    anywhere: BTreeSet<(String, String)>,
    /// The longest literal part of each (`_client`).
    anywhere_literals: Vec<String>,
}

impl CatalogCrates {
    pub fn new(catalog: &Catalog) -> CatalogCrates {
        let mut out = CatalogCrates::default();
        // The crates that build or hand back something (`Catalog::provider_paths`).
        for path in catalog.provider_paths() {
            let parts = split_path(&path);
            match parts.first().map(String::as_str) {
                Some("**") => {
                    let mut rest = parts.iter().filter(|s| *s != "**");
                    if let Some(first) = rest.next() {
                        let second = rest.next().cloned().unwrap_or_default();
                        out.anywhere.insert((first.clone(), second));
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
            .map(|(p, _)| {
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

    /// Whether the text holds a path that a path matching anywhere can
    /// start from (`proto::greeter_client::GreeterClient`, `use
    /// proto::greeter_client;`; not a variable `greeter_client`, not
    /// `aws_smithy_http_client::test_util`), or a `connlint` comment.
    pub fn mentioned_in(&self, text: &[u8]) -> bool {
        const MARK: &[u8] = b"connlint";
        // A segment matching `*_client` holds `_client`: a text without
        // the literal part of any pattern is not lexed at all.
        let may_match = |literal: &String| {
            literal.is_empty() || memchr::memmem::find(text, literal.as_bytes()).is_some()
        };
        memchr::memmem::find(text, MARK).is_some()
            || self.anywhere_literals.iter().any(may_match)
                && crate::prefilter::paths(text).any(|(a, b)| {
                    let text = |s: &[u8]| std::str::from_utf8(s).unwrap_or_default().to_string();
                    let (a, b) = (text(a), b.map(text));
                    self.anywhere.iter().any(|(first, second)| {
                        segment_matches(first, &a)
                            && (second.is_empty()
                                || b.as_ref().is_none_or(|b| segment_matches(second, b)))
                    })
                })
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

/// Whether `file` is under the `tests/` or `benches/` folder of a package
/// at `dir` (code that is read for its calls, not checked).
fn test_only(dir: &std::path::Path, file: &std::path::Path) -> bool {
    file.strip_prefix(dir).is_ok_and(|rest| {
        rest.components()
            .next()
            .is_some_and(|c| c.as_os_str() == "tests" || c.as_os_str() == "benches")
    })
}

/// The `.rs` files under a package's directory, by package
/// (`Workspace::files_under`).
pub type Files<'a> = dyn Fn(usize) -> std::borrow::Cow<'a, [std::path::PathBuf]> + Sync + 'a;

/// Which packages are needed (see the module documentation): the closure of
/// every package that can name the catalog. `mentions` tells whether a file
/// names an anywhere-path or `connlint` ([`CatalogCrates::mentioned_in`]; a
/// file that cannot be read counts as a mention: the run reports it).
///
/// A dev-dependency, and a mention in `tests/` or `benches/`, counts only
/// where checked code can use it: with `include_tests`, or (a
/// dev-dependency) in a package with an example target (tests and benches
/// are read for their calls, never reported).
pub fn needed(
    packages: &[Package],
    closures: &[Vec<usize>],
    crates: &CatalogCrates,
    include_tests: bool,
    files: &Files,
    mentions: &(dyn Fn(&std::path::Path) -> bool + Sync),
) -> Vec<bool> {
    let by_manifest = |p: &Package| {
        let dev_checked = include_tests
            || p.targets
                .iter()
                .any(|t| t.kind.iter().any(|k| k == "example"));
        !p.from_cargo
            || p.dependencies.iter().any(|d| {
                crates.names_crate(d) && (dev_checked || !p.dev_only_dependencies.contains(d))
            })
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
                    && files(i)
                        .par_iter()
                        .filter(|f| include_tests || !test_only(&p.dir, f))
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
/// except that components with crates of the same name, or one with a crate
/// the other takes from a registry by that name, go to different batches.
/// One batch when there is one component.
pub fn batches(
    packages: &[Package],
    closures: &[Vec<usize>],
    needed: &[bool],
    files: &Files,
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
        .map(|(i, _)| {
            if !needed[i] || budget == 0 {
                return 0;
            }
            files(i)
                .iter()
                .filter_map(|f| std::fs::symlink_metadata(f).ok())
                .map(|m| m.len())
                .sum()
        })
        .collect();
    // Per component: its size (at least a byte: a budget of one puts each in
    // a batch of its own), the crate names its needed packages define, and
    // the names of the registry and git crates they depend on.
    #[derive(Default)]
    struct Names {
        defined: BTreeSet<String>,
        referenced: BTreeSet<String>,
    }
    impl Names {
        /// Whether two sets of components can share a batch: no crate one
        /// defines is one the other defines or names from elsewhere.
        fn clash(&self, other: &Names) -> bool {
            !self.defined.is_disjoint(&other.defined)
                || !self.defined.is_disjoint(&other.referenced)
                || !self.referenced.is_disjoint(&other.defined)
        }
    }
    let norm = |n: &String| n.replace('-', "_");
    let mut size_of = std::collections::BTreeMap::<usize, (u64, Names)>::new();
    for p in 0..n {
        let entry = size_of.entry(component[p]).or_insert((1, Names::default()));
        entry.0 += sizes[p];
        if needed[p] {
            let names = packages[p].targets.iter().map(|t| norm(&t.name));
            entry
                .1
                .defined
                .extend(names.chain([norm(&packages[p].name)]));
            entry
                .1
                .referenced
                .extend(packages[p].external_dependencies.iter().map(norm));
        }
    }
    // First fit, components in the order of their first package. Two
    // components that hold a crate of the same name (versions of one crate in
    // a tree of crates) never share a batch: their functions would have the
    // same paths, and each must be checked as if alone. Nor do a component
    // that defines a crate and one that depends on a registry crate of that
    // name (`hyper`'s source and a user of hyper from crates.io): the user's
    // `hyper::..` paths are the catalog's, not that source's.
    let budget = if budget == 0 { u64::MAX } else { budget };
    let mut open: Vec<(u64, Names)> = Vec::new();
    let mut batch_of = std::collections::BTreeMap::<usize, usize>::new();
    for (&c, (size, names)) in &size_of {
        let fits = |(filled, taken): &(u64, Names)| {
            (*filled == 0 || filled.saturating_add(*size) <= budget) && !taken.clash(names)
        };
        let b = match open.iter().position(fits) {
            Some(b) => b,
            None => {
                open.push((0, Names::default()));
                open.len() - 1
            }
        };
        open[b].0 = open[b].0.saturating_add(*size);
        open[b].1.defined.extend(names.defined.iter().cloned());
        open[b]
            .1
            .referenced
            .extend(names.referenced.iter().cloned());
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

    /// `Files` for packages (their folders, walked).
    fn walker(
        packages: &[Package],
    ) -> impl Fn(usize) -> std::borrow::Cow<'static, [std::path::PathBuf]> + Sync + use<> {
        let dirs: Vec<std::path::PathBuf> = packages.iter().map(|p| p.dir.clone()).collect();
        move |p| std::borrow::Cow::Owned(crate::workspace::rust_files(&dirs[p]))
    }

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
        let walk = walker(&packages);
        let none = |_: &std::path::Path| false;
        let needed = needed(&packages, &closures, &crates, false, &walk, &none);
        // `util` is linked into `app` with `net`; `driver` and `docs` are
        // in no build that has a client.
        assert_eq!(needed, [true, true, true, false, false]);
        let links = Links::new(&closures, vec![Some(0), Some(2), Some(3), None]);
        assert!(links.can_call(Some(2), Some(1)), "util and net share app");
        assert!(!links.can_call(Some(4), Some(1)), "docs links nothing else");
        assert!(links.can_call(links.package(3), Some(4)));
    }

    #[test]
    fn only_crates_that_build_make_a_package_needed() {
        let catalog = Catalog::builtin().expect("the built-in catalog parses");
        let crates = CatalogCrates::new(&catalog);
        // `aws-types` only names `SdkConfig` (aws-config builds it); `http`
        // only names the receiver of isahc's `send`.
        assert!(crates.names_crate("aws-config") && crates.names_crate("isahc"));
        assert!(!crates.names_crate("aws-types") && !crates.names_crate("http"));
        let mut packages = [
            // A catalog crate's own source, with no other catalog crate.
            package("aws-sdk-s3", &["aws-types", "http"]),
            // A catalog crate only for tests and benches.
            package("sdk", &["aws-config", "serde"]),
            // The same, with an example that can use it.
            package("sdk-with-examples", &["aws-config"]),
            package("isahc-user", &["isahc", "http"]),
        ];
        packages[1].dev_only_dependencies = vec!["aws-config".to_string()];
        packages[2].dev_only_dependencies = vec!["aws-config".to_string()];
        packages[2].targets = vec![crate::workspace::Target {
            kind: vec!["example".to_string()],
            ..Default::default()
        }];
        let closures = closures(&packages);
        let walk = walker(&packages);
        let none = |_: &std::path::Path| false;
        let needed_by =
            |include_tests| needed(&packages, &closures, &crates, include_tests, &walk, &none);
        assert_eq!(needed_by(false), [false, false, true, true]);
        assert_eq!(needed_by(true), [false, true, true, true]);
    }

    #[test]
    fn a_mention_in_tests_counts_only_with_tests() {
        let catalog = Catalog::builtin().expect("the built-in catalog parses");
        let crates = CatalogCrates::new(&catalog);
        let dir = std::env::temp_dir().join(format!("connlint-packages-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).expect("scratch folder");
        std::fs::create_dir_all(dir.join("tests")).expect("scratch folder");
        let grpc = "fn f() { let c = proto::greeter_client::GreeterClient::new(ch); }";
        std::fs::write(dir.join("src/lib.rs"), "pub fn f() {}").expect("scratch file");
        std::fs::write(dir.join("tests/grpc.rs"), grpc).expect("scratch file");
        let mut p = package("app", &[]);
        p.dir = dir.clone();
        let packages = [p];
        let closures = closures(&packages);
        let walk = walker(&packages);
        let mentions =
            |f: &std::path::Path| std::fs::read(f).map_or(true, |t| crates.mentioned_in(&t));
        let needed_by = |include_tests| {
            needed(
                &packages,
                &closures,
                &crates,
                include_tests,
                &walk,
                &mentions,
            )
        };
        assert_eq!(needed_by(false), [false]);
        assert_eq!(needed_by(true), [true]);
        std::fs::write(dir.join("src/lib.rs"), grpc).expect("scratch file");
        assert_eq!(needed_by(false), [true]);
        let _ = std::fs::remove_dir_all(&dir);
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
        let walk = walker(&packages);
        assert_eq!(closures, [vec![0, 2], vec![1], vec![2]]);
        let links = Links::new(&closures, Vec::new());
        assert!(links.can_call(Some(0), Some(2)));
        assert!(!links.can_call(Some(1), Some(2)));
        // Two components, never in one batch: `tool` takes a `util` from
        // crates.io, the other component defines one.
        let needed = [true, true, true];
        let apart = [vec![true, false, true], vec![false, true, false]];
        assert_eq!(batches(&packages, &closures, &needed, &walk, 0), apart);
        assert_eq!(batches(&packages, &closures, &needed, &walk, 1), apart);
        // Without the clash, one batch when nothing limits it.
        packages[1].external_dependencies.clear();
        packages[1].dependencies.clear();
        let unlinked = super::closures(&packages);
        assert_eq!(batches(&packages, &unlinked, &needed, &walk, 0).len(), 1);
        assert_eq!(batches(&packages, &unlinked, &needed, &walk, 1), apart);
        // Two versions of one crate, unlinked: never in one batch.
        packages[1].name = "app".to_string();
        let linked = super::closures(&packages);
        let whole = batches(&packages, &linked, &needed, &walk, 0);
        assert_eq!(whole, [vec![true, false, true], vec![false, true, false]]);
    }

    #[test]
    fn anywhere_paths_and_suppressions_are_found_in_code() {
        let catalog = Catalog::builtin().expect("the built-in catalog parses");
        let crates = CatalogCrates::new(&catalog);
        assert!(crates.mentioned_in(b"let c = proto::greeter_client::GreeterClient::new(ch);"));
        assert!(crates.mentioned_in(b"// connlint: allow(client_in_loop)\nfn f() {}"));
        assert!(!crates.mentioned_in(b"// a greeter_client in prose\nfn f() {}"));
        // A path through the module, not a variable or another crate's path.
        assert!(crates.mentioned_in(b"use proto::greeter_client;"));
        assert!(crates.mentioned_in(b"use proto::greeter_client::*;"));
        assert!(!crates.mentioned_in(b"let greeter_client = make(); greeter_client.call();"));
        assert!(!crates.mentioned_in(b"use aws_smithy_http_client::test_util::Replay;"));
    }
}
