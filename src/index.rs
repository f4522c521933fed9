//! The index: per file, the module scopes (`use` tables, items, type aliases,
//! `mod` declarations, signatures, struct fields); per workspace, the module
//! tree of every crate and name resolution over it.
//!
//! Invariant: resolution never guesses. A path resolves to a canonical path
//! (`reqwest::Client::new`, `mycrate::api::Api::new`) or stays as written.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use syn::spanned::Spanned;

use crate::catalog::Catalog;
use crate::facts::{FnKey, FnKeys};
use crate::source::FileId;

/// A path as segments, generics stripped.
pub type PathSegs = Vec<String>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    Struct,
    Enum,
    Fn,
    Trait,
    TypeAlias,
    Mod,
    Const,
    Static,
    Macro,
}

/// A type as written, reduced to what the analysis needs: the path of the
/// innermost named type once references and smart-pointer wrappers
/// (`Arc`, `Option`, `Result`, `Mutex`, extractors ...) are peeled off, and
/// the outer path for extractor checks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeRef {
    pub outer: PathSegs,
    pub inner: PathSegs,
    /// Every path mentioned in the type (generic arguments included).
    pub all: Vec<PathSegs>,
    pub is_self: bool,
    /// For a collection (`Vec<T>`, `VecDeque<T>`, `HashSet<T>`, `[T]`, ...):
    /// the innermost type of its items.
    #[serde(default)]
    pub element: PathSegs,
    /// `inner` is the trait of a trait object (`Box<dyn Store + Send>`).
    #[serde(default)]
    pub dyn_trait: bool,
}

impl TypeRef {
    pub fn is_empty(&self) -> bool {
        self.inner.is_empty()
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Param {
    /// Names bound by the pattern (`State(app)` binds `app`).
    pub names: Vec<String>,
    pub ty: TypeRef,
    /// The pattern peels one wrapper (`State(app): State<T>` gives `app: T`).
    pub destructured: bool,
    pub by_value: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Signature {
    pub name: String,
    #[serde(serialize_with = "crate::cache::span")]
    pub span: Range<usize>,
    #[serde(serialize_with = "crate::cache::span")]
    pub name_span: Range<usize>,
    pub is_async: bool,
    pub is_pub: bool,
    pub has_self: bool,
    /// `self`, `mut self`, `self: Box<Self>`: the method consumes its receiver.
    pub self_by_value: bool,
    pub params: Vec<Param>,
    pub ret: Option<TypeRef>,
    /// Attribute paths as written (`tokio::main`, `get`).
    pub attributes: Vec<PathSegs>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ImplInfo {
    pub self_ty: TypeRef,
    pub trait_path: Option<PathSegs>,
    pub attributes: Vec<PathSegs>,
    pub methods: Vec<Signature>,
    /// The trait bounds of each generic type parameter (`impl<T: Tool> ..`).
    #[serde(default)]
    pub generics: Vec<(String, Vec<PathSegs>)>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StructInfo {
    pub name: String,
    pub fields: Vec<(String, TypeRef)>,
    pub derives: Vec<String>,
    #[serde(serialize_with = "crate::cache::span")]
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Scope {
    pub name: String,
    pub parent: Option<usize>,
    #[serde(serialize_with = "crate::cache::sorted_map")]
    pub uses: HashMap<String, PathSegs>,
    pub globs: Vec<PathSegs>,
    #[serde(serialize_with = "crate::cache::sorted_map")]
    pub items: HashMap<String, ItemKind>,
    #[serde(serialize_with = "crate::cache::sorted_map")]
    pub type_aliases: HashMap<String, TypeRef>,
    /// `mod x;` declarations and the files they can load (without `#[path]`
    /// both `x.rs` and `x/mod.rs`: the loader reads the one that exists).
    pub mod_files: Vec<(String, PathBuf)>,
    /// Child modules (inline or file) declared under `#[cfg(test)]`.
    #[serde(serialize_with = "crate::cache::sorted_set")]
    pub test_mods: rustc_hash::FxHashSet<String>,
    /// Inline `mod x { .. }` children (scope indexes).
    pub children: Vec<(String, usize)>,
    pub fns: Vec<Signature>,
    pub impls: Vec<ImplInfo>,
    pub structs: Vec<StructInfo>,
    /// Enum variants with unnamed fields: `Enum::Variant` and the fields' types.
    #[serde(default)]
    pub variants: Vec<(String, Vec<TypeRef>)>,
    /// `macro_rules!` definitions: name and the text of their rules.
    pub macros: Vec<(String, String)>,
    /// `static` and `const` items with their written types.
    pub statics: Vec<(String, TypeRef)>,
    /// Methods with a default body of the traits declared here: the trait's
    /// name and the method's signature.
    #[serde(default)]
    pub trait_fns: Vec<(String, Signature)>,
    /// Traits declared here: name and the paths of their supertraits.
    #[serde(default)]
    pub traits: Vec<(String, Vec<PathSegs>)>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FileIndex {
    pub scopes: Vec<Scope>,
}

pub fn span_range(span: proc_macro2::Span) -> Range<usize> {
    crate::spans::range(span)
}

pub fn path_segs(path: &syn::Path) -> PathSegs {
    let mut segs: PathSegs = Vec::with_capacity(path.segments.len() + 1);
    if path.leading_colon.is_some() {
        segs.push(String::new());
    }
    segs.extend(path.segments.iter().map(|s| s.ident.to_string()));
    segs
}

/// Last segments that are wrappers to look through.
const WRAPPERS: &[&str] = &[
    "Arc",
    "Rc",
    "Box",
    "Option",
    "Result",
    "Mutex",
    "RwLock",
    "RefCell",
    "Cell",
    "Pin",
    "ArcSwap",
    "OnceCell",
    "OnceLock",
    "LazyLock",
    "Lazy",
    "Data",
    "State",
    "Extension",
    "Cow",
    "Weak",
    "ManuallyDrop",
    "Ready",
    "Inject",
];

/// Collections whose first type argument is the type of their items.
const COLLECTIONS: &[&str] = &[
    "Vec",
    "VecDeque",
    "HashSet",
    "BTreeSet",
    "LinkedList",
    "BinaryHeap",
    "SmallVec",
    // Channel ends: their items are what `recv` hands over (the walk
    // checks the resolved type against the catalog's `channel_types`).
    "Receiver",
    "UnboundedReceiver",
    "AsyncReceiver",
];

/// Auto and marker traits, which say nothing of a trait object's methods.
const MARKER_TRAITS: &[&str] = &["Send", "Sync", "Unpin", "Sized"];

/// Maps whose second type argument is the type of the values they hold.
const MAPS: &[&str] = &["HashMap", "BTreeMap", "IndexMap", "DashMap"];

/// The file name of module `name`: a raw identifier's file has no `r#`
/// (`mod r#match;` is `match.rs`).
fn file_stem(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The innermost type of the items of a collection type (the values of a
/// map), if it is one.
fn element_of(ty: &syn::Type) -> PathSegs {
    match ty {
        syn::Type::Reference(r) => element_of(&r.elem),
        syn::Type::Paren(p) => element_of(&p.elem),
        syn::Type::Slice(s) => type_ref(&s.elem).inner,
        syn::Type::Array(a) => type_ref(&a.elem).inner,
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return PathSegs::new();
            };
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return PathSegs::new();
            };
            let first = args.args.iter().find_map(|a| match a {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            });
            let name = last.ident.to_string();
            if MAPS.contains(&name.as_str()) {
                let mut types = args.args.iter().filter_map(|a| match a {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                });
                return types.nth(1).map(|t| type_ref(t).inner).unwrap_or_default();
            }
            match first {
                Some(t) if COLLECTIONS.contains(&name.as_str()) => type_ref(t).inner,
                // `Arc<Vec<T>>`, `Option<&[T]>`: through wrappers.
                Some(t) if WRAPPERS.contains(&name.as_str()) => element_of(t),
                _ => PathSegs::new(),
            }
        }
        _ => PathSegs::new(),
    }
}

pub fn type_ref(ty: &syn::Type) -> TypeRef {
    let mut out = TypeRef {
        element: element_of(ty),
        ..TypeRef::default()
    };
    collect_paths(ty, &mut out.all);
    let mut current = ty;
    let mut first = true;
    loop {
        match current {
            syn::Type::Reference(r) => current = &r.elem,
            syn::Type::Paren(p) => current = &p.elem,
            syn::Type::Group(g) => current = &g.elem,
            syn::Type::Path(p) if p.qself.is_none() => {
                let segs = path_segs(&p.path);
                if first {
                    out.outer = segs.clone();
                    first = false;
                }
                if segs.len() == 1 && segs[0] == "Self" {
                    out.is_self = true;
                    out.inner = segs;
                    return out;
                }
                let last = p.path.segments.last();
                let is_wrapper =
                    last.is_some_and(|s| WRAPPERS.contains(&s.ident.to_string().as_str()));
                if is_wrapper
                    && let Some(syn::PathArguments::AngleBracketed(args)) =
                        last.map(|s| &s.arguments)
                    && let Some(syn::GenericArgument::Type(inner)) = args
                        .args
                        .iter()
                        .find(|a| matches!(a, syn::GenericArgument::Type(_)))
                {
                    current = inner;
                    continue;
                }
                out.inner = segs;
                return out;
            }
            // `impl Tool`, `dyn Tool + Send`: the first trait named.
            syn::Type::ImplTrait(syn::TypeImplTrait { bounds, .. })
            | syn::Type::TraitObject(syn::TypeTraitObject { bounds, .. }) => {
                let named = trait_bounds(bounds);
                let is_marker = |b: &PathSegs| {
                    b.last()
                        .is_some_and(|l| MARKER_TRAITS.contains(&l.as_str()))
                };
                let chosen = named.iter().find(|b| !is_marker(b)).or(named.first());
                if let Some(b) = chosen.cloned() {
                    out.inner = b;
                    out.dyn_trait = matches!(current, syn::Type::TraitObject(_));
                    if first {
                        out.outer = out.inner.clone();
                    }
                }
                return out;
            }
            _ => return out,
        }
    }
}

fn trait_bounds<'a>(bounds: impl IntoIterator<Item = &'a syn::TypeParamBound>) -> Vec<PathSegs> {
    bounds
        .into_iter()
        .filter_map(|b| match b {
            syn::TypeParamBound::Trait(t) => Some(path_segs(&t.path)),
            _ => None,
        })
        .collect()
}

/// The trait bounds of each generic type parameter, from the parameter
/// list and the `where` clause (`T: Tool + Send` gives `T`: `Tool`, `Send`).
pub fn generic_bounds(g: &syn::Generics) -> Vec<(String, Vec<PathSegs>)> {
    let mut out: Vec<(String, Vec<PathSegs>)> = g
        .type_params()
        .map(|p| (p.ident.to_string(), trait_bounds(&p.bounds)))
        .collect();
    let preds = g.where_clause.iter().flat_map(|w| &w.predicates);
    for pred in preds {
        if let syn::WherePredicate::Type(t) = pred
            && let syn::Type::Path(tp) = &t.bounded_ty
            && let Some(id) = tp.path.get_ident()
            && let Some((_, b)) = out.iter_mut().find(|(n, _)| id == n)
        {
            b.extend(trait_bounds(&t.bounds));
        }
    }
    out.retain(|(_, b)| !b.is_empty());
    out
}

fn collect_paths(ty: &syn::Type, out: &mut Vec<PathSegs>) {
    struct V<'a>(&'a mut Vec<PathSegs>);
    impl<'ast> syn::visit::Visit<'ast> for V<'_> {
        fn visit_type_path(&mut self, p: &'ast syn::TypePath) {
            self.0.push(path_segs(&p.path));
            syn::visit::visit_type_path(self, p);
        }
    }
    syn::visit::Visit::visit_type(&mut V(out), ty);
}

/// The paths of `attrs`, without those that never mark a role (documentation
/// and lint levels: `doc` alone is four in five attributes of real code, and
/// every one kept is two allocations per item for the whole run).
pub fn attribute_paths(attrs: &[syn::Attribute]) -> Vec<PathSegs> {
    const MEANINGLESS: [&str; 7] = [
        "doc", "allow", "warn", "deny", "expect", "inline", "must_use",
    ];
    attrs
        .iter()
        .filter(|a| !MEANINGLESS.iter().any(|m| a.path().is_ident(m)))
        .map(|a| path_segs(a.path()))
        .collect()
}

/// How many arguments a method call must pass to reach a function with
/// this signature (its parameters besides `self`), when its attributes
/// cannot change that: an attribute macro may rewrite the function (bon's
/// `#[builder]` turns `fn create(&self, name: &str)` into `create()`
/// returning a builder), so any other attribute leaves it unknown.
pub fn call_arity(sig: &Signature) -> Option<usize> {
    arity_with(&sig.attributes, sig.params.len())
}

/// `call_arity` of a function with these attributes (as `attribute_paths` keeps
/// them) and this many parameters besides `self`.
pub fn arity_with(attributes: &[PathSegs], params: usize) -> Option<usize> {
    /// Attributes that keep a function's parameters as written (beside those
    /// `attribute_paths` leaves out).
    const KEEPING: [&str; 9] = [
        "cfg",
        "deprecated",
        "track_caller",
        "cold",
        "instrument",
        "forbid",
        "no_mangle",
        "rustfmt",
        "clippy",
    ];
    let keeps = |a: &PathSegs| match a.as_slice() {
        [one] => KEEPING.contains(&one.as_str()),
        // `tracing::instrument`, `rustfmt::skip`, `clippy::..`.
        [first, .., last] => last == "instrument" || matches!(first.as_str(), "rustfmt" | "clippy"),
        [] => true,
    };
    attributes.iter().all(keeps).then_some(params)
}

/// `#[test]`, `#[tokio::test]`, `#[rstest]`, `#[cfg(test)]`, `#[cfg(all(test, ..))]`,
/// `#[cfg(any(test, ..))]`, `#[cfg(feature = "test-utils")]` (see [`is_test_feature`]).
pub fn is_test_attr(attr: &syn::Attribute) -> bool {
    let path = attr.path();
    let last = path.segments.last().map(|s| s.ident.to_string());
    if matches!(
        last.as_deref(),
        Some("test" | "rstest" | "bench" | "test_case" | "quickcheck")
    ) {
        return true;
    }
    if path.is_ident("cfg")
        && let syn::Meta::List(list) = &attr.meta
    {
        return cfg_mentions_test(list.tokens.clone());
    }
    false
}

/// Cargo features that only tests enable. A feature name (lowercased, `_`
/// read as `-`) starting with one of the first words, or containing one of the
/// second, gates test code: `test`, `test-utils`, `testing`, `tests`,
/// `integration-testing`, `mock`, `mocks`, `with-mock-server`, `e2e`.
pub const TEST_FEATURE_PREFIXES: &[&str] = &["test"];
pub const TEST_FEATURE_PARTS: &[&str] = &["test-util", "testing", "mock", "e2e"];

/// Whether a cargo feature name is a test feature ([`TEST_FEATURE_PREFIXES`],
/// [`TEST_FEATURE_PARTS`]).
pub fn is_test_feature(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('_', "-");
    TEST_FEATURE_PREFIXES.iter().any(|p| name.starts_with(p))
        || TEST_FEATURE_PARTS.iter().any(|p| name.contains(p))
}

fn cfg_mentions_test(tokens: proc_macro2::TokenStream) -> bool {
    // `test`, `all(test, ..)`, `any(test, ..)` but not `not(test)`; the same for
    // `fuzzing` and `feature = "<test feature>"`.
    let mut iter = tokens.into_iter().peekable();
    while let Some(tt) = iter.next() {
        match tt {
            // `fuzzing`: cargo-fuzz harnesses are test code too.
            proc_macro2::TokenTree::Ident(i) if i == "test" || i == "fuzzing" => return true,
            proc_macro2::TokenTree::Ident(i) if i == "feature" => {
                if matches!(iter.peek(), Some(proc_macro2::TokenTree::Punct(p)) if p.as_char() == '=')
                {
                    iter.next();
                    if let Some(proc_macro2::TokenTree::Literal(lit)) = iter.peek() {
                        let text = lit.to_string();
                        let name = text.trim_matches('"');
                        if is_test_feature(name) {
                            return true;
                        }
                    }
                }
            }
            proc_macro2::TokenTree::Ident(i) if i == "all" || i == "any" => {
                if let Some(proc_macro2::TokenTree::Group(g)) = iter.peek()
                    && cfg_mentions_test(g.stream())
                {
                    return true;
                }
            }
            proc_macro2::TokenTree::Ident(i) if i == "not" => {
                iter.next();
            }
            _ => {}
        }
    }
    false
}

pub fn is_test_item(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(is_test_attr)
}

pub fn cfg_text(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find(|a| a.path().is_ident("cfg")).map(|a| {
        let syn::Meta::List(list) = &a.meta else {
            return String::new();
        };
        // As written: `not(feature = "x")`, `all(a, b)`.
        list.tokens
            .to_string()
            .replace(" (", "(")
            .replace("( ", "(")
            .replace(" )", ")")
            .replace(" ,", ",")
    })
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    for a in attrs {
        if a.path().is_ident("path")
            && let syn::Meta::NameValue(nv) = &a.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            return Some(s.value());
        }
    }
    None
}

/// The associated types an impl block defines (`type Output = Wrapped<S>;`):
/// in its methods' signatures, `Self::Output` is that type, so a trait
/// method returning `Self::Service` returns what the impl says (hyper-openssl's
/// `Layer::layer`, which hands back a connector holding the layer's TLS
/// context).
struct AssocTypes<'a>(Vec<(&'a syn::Ident, &'a syn::Type)>);

impl<'a> AssocTypes<'a> {
    fn of(item: &'a syn::ItemImpl) -> AssocTypes<'a> {
        AssocTypes(
            item.items
                .iter()
                .filter_map(|it| match it {
                    syn::ImplItem::Type(t) => Some((&t.ident, &t.ty)),
                    _ => None,
                })
                .collect(),
        )
    }

    /// `sig` with each `Self::Name` of an associated type replaced by it.
    fn apply<'s>(&self, sig: &'s syn::Signature) -> std::borrow::Cow<'s, syn::Signature> {
        use syn::visit_mut::VisitMut;
        struct Sub<'a, 'b>(&'b AssocTypes<'a>, bool);
        impl VisitMut for Sub<'_, '_> {
            fn visit_type_mut(&mut self, ty: &mut syn::Type) {
                if let syn::Type::Path(p) = ty
                    && p.qself.is_none()
                    && p.path.segments.len() == 2
                    && p.path.segments[0].ident == "Self"
                    && let Some((_, to)) = (self.0)
                        .0
                        .iter()
                        .find(|(name, _)| p.path.segments[1].ident == **name)
                {
                    *ty = (*to).clone();
                    self.1 = true;
                    return;
                }
                syn::visit_mut::visit_type_mut(self, ty);
            }
        }
        if self.0.is_empty() {
            return std::borrow::Cow::Borrowed(sig);
        }
        let mut out = sig.clone();
        let mut sub = Sub(self, false);
        sub.visit_signature_mut(&mut out);
        if sub.1 {
            std::borrow::Cow::Owned(out)
        } else {
            std::borrow::Cow::Borrowed(sig)
        }
    }
}

pub fn signature(
    sig: &syn::Signature,
    attrs: &[syn::Attribute],
    vis: &syn::Visibility,
) -> Signature {
    let mut params = Vec::new();
    let mut has_self = false;
    let mut self_by_value = false;
    for input in &sig.inputs {
        match input {
            syn::FnArg::Receiver(r) => {
                has_self = true;
                self_by_value = r.reference.is_none() && !matches!(*r.ty, syn::Type::Reference(_));
            }
            syn::FnArg::Typed(pt) => {
                let mut names = Vec::new();
                let destructured = pattern_names(&pt.pat, &mut names);
                params.push(Param {
                    names,
                    ty: type_ref(&pt.ty),
                    destructured,
                    by_value: !matches!(*pt.ty, syn::Type::Reference(_)),
                });
            }
        }
    }
    let ret = match &sig.output {
        syn::ReturnType::Default => None,
        syn::ReturnType::Type(_, ty) => Some(type_ref(ty)),
    };
    Signature {
        name: sig.ident.to_string(),
        span: span_range(sig.span()),
        name_span: span_range(sig.ident.span()),
        is_async: sig.asyncness.is_some(),
        is_pub: matches!(vis, syn::Visibility::Public(_)),
        has_self,
        self_by_value,
        params,
        ret,
        attributes: attribute_paths(attrs),
    }
}

/// Collects the names a pattern binds; returns true when the pattern
/// destructures a tuple struct (`State(x)`).
pub fn pattern_names(pat: &syn::Pat, out: &mut Vec<String>) -> bool {
    match pat {
        syn::Pat::Ident(i) => {
            out.push(i.ident.to_string());
            if let Some((_, sub)) = &i.subpat {
                pattern_names(sub, out);
            }
            false
        }
        syn::Pat::TupleStruct(ts) => {
            for p in &ts.elems {
                pattern_names(p, out);
            }
            true
        }
        syn::Pat::Tuple(t) => {
            for p in &t.elems {
                pattern_names(p, out);
            }
            false
        }
        syn::Pat::Struct(s) => {
            for f in &s.fields {
                pattern_names(&f.pat, out);
            }
            false
        }
        syn::Pat::Reference(r) => pattern_names(&r.pat, out),
        syn::Pat::Type(t) => pattern_names(&t.pat, out),
        syn::Pat::Paren(p) => pattern_names(&p.pat, out),
        syn::Pat::Slice(s) => {
            for p in &s.elems {
                pattern_names(p, out);
            }
            false
        }
        syn::Pat::Or(o) => {
            if let Some(p) = o.cases.first() {
                pattern_names(p, out);
            }
            false
        }
        _ => false,
    }
}

/// Builds the index of one parsed file. `file_path` locates `mod x;` files.
pub fn index_file(
    file: &syn::File,
    file_path: &Path,
    is_mod_root: bool,
    include_tests: bool,
) -> FileIndex {
    let mut index = FileIndex::default();
    index.scopes.push(Scope::default());
    // Directory where `mod x;` of this file looks: for mod.rs/lib.rs/main.rs
    // (a module root) the file's directory, else `<dir>/<stem>/`.
    let dir = file_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mod_dir = if is_mod_root {
        dir
    } else {
        dir.join(file_path.file_stem().unwrap_or_default())
    };
    index_items(&file.items, 0, &mut index, &mod_dir, include_tests);
    index
}

fn index_items(
    items: &[syn::Item],
    scope: usize,
    index: &mut FileIndex,
    mod_dir: &Path,
    include_tests: bool,
) {
    for item in items {
        let attrs: &[syn::Attribute] = match item {
            syn::Item::Fn(i) => &i.attrs,
            syn::Item::Mod(i) => &i.attrs,
            syn::Item::Impl(i) => &i.attrs,
            syn::Item::Use(i) => &i.attrs,
            syn::Item::Struct(i) => &i.attrs,
            syn::Item::Const(i) => &i.attrs,
            syn::Item::Static(i) => &i.attrs,
            _ => &[],
        };
        if !include_tests && is_test_item(attrs) {
            continue;
        }
        match item {
            syn::Item::Use(u) => add_use(&u.tree, Vec::new(), &mut index.scopes[scope]),
            syn::Item::Fn(f) => {
                index.scopes[scope]
                    .items
                    .insert(f.sig.ident.to_string(), ItemKind::Fn);
                index.scopes[scope]
                    .fns
                    .push(signature(&f.sig, &f.attrs, &f.vis));
            }
            syn::Item::Struct(s) => {
                let name = s.ident.to_string();
                index.scopes[scope]
                    .items
                    .insert(name.clone(), ItemKind::Struct);
                let fields = s
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, f)| {
                        (
                            f.ident
                                .as_ref()
                                .map(|i| i.to_string())
                                .unwrap_or_else(|| i.to_string()),
                            type_ref(&f.ty),
                        )
                    })
                    .collect();
                index.scopes[scope].structs.push(StructInfo {
                    name,
                    fields,
                    derives: derives(&s.attrs),
                    span: span_range(s.ident.span()),
                });
            }
            syn::Item::Enum(e) => {
                index.scopes[scope]
                    .items
                    .insert(e.ident.to_string(), ItemKind::Enum);
                for v in &e.variants {
                    if let syn::Fields::Unnamed(f) = &v.fields {
                        index.scopes[scope].variants.push((
                            format!("{}::{}", e.ident, v.ident),
                            f.unnamed.iter().map(|f| type_ref(&f.ty)).collect(),
                        ));
                    }
                }
            }
            syn::Item::Union(u) => {
                index.scopes[scope]
                    .items
                    .insert(u.ident.to_string(), ItemKind::Struct);
            }
            syn::Item::Trait(t) => {
                let name = t.ident.to_string();
                let scope = &mut index.scopes[scope];
                scope.items.insert(name.clone(), ItemKind::Trait);
                for ti in &t.items {
                    if let syn::TraitItem::Fn(f) = ti
                        && f.default.is_some()
                    {
                        let sig = signature(&f.sig, &f.attrs, &syn::Visibility::Inherited);
                        scope.trait_fns.push((name.clone(), sig));
                    }
                }
                let supers = t
                    .supertraits
                    .iter()
                    .filter_map(|b| match b {
                        syn::TypeParamBound::Trait(b) => Some(path_segs(&b.path)),
                        _ => None,
                    })
                    .collect();
                scope.traits.push((name, supers));
            }
            syn::Item::Type(t) => {
                let name = t.ident.to_string();
                index.scopes[scope]
                    .items
                    .insert(name.clone(), ItemKind::TypeAlias);
                index.scopes[scope]
                    .type_aliases
                    .insert(name, type_ref(&t.ty));
            }
            syn::Item::Const(c) => {
                index.scopes[scope]
                    .items
                    .insert(c.ident.to_string(), ItemKind::Const);
                index.scopes[scope]
                    .statics
                    .push((c.ident.to_string(), type_ref(&c.ty)));
            }
            syn::Item::Static(s) => {
                index.scopes[scope]
                    .items
                    .insert(s.ident.to_string(), ItemKind::Static);
                index.scopes[scope]
                    .statics
                    .push((s.ident.to_string(), type_ref(&s.ty)));
            }
            syn::Item::Macro(m) => {
                if let Some(ident) = &m.ident {
                    index.scopes[scope]
                        .items
                        .insert(ident.to_string(), ItemKind::Macro);
                    if m.mac.path.is_ident("macro_rules") {
                        index.scopes[scope]
                            .macros
                            .push((ident.to_string(), m.mac.tokens.to_string()));
                    }
                }
            }
            syn::Item::Impl(i) => {
                let assoc = AssocTypes::of(i);
                let methods = i
                    .items
                    .iter()
                    .filter_map(|it| match it {
                        syn::ImplItem::Fn(f) if include_tests || !is_test_item(&f.attrs) => {
                            let mut sig = signature(&assoc.apply(&f.sig), &f.attrs, &f.vis);
                            // Where it is written, not where the types came from.
                            sig.span = span_range(f.sig.span());
                            Some(sig)
                        }
                        _ => None,
                    })
                    .collect();
                index.scopes[scope].impls.push(ImplInfo {
                    self_ty: type_ref(&i.self_ty),
                    trait_path: i.trait_.as_ref().map(|(_, p, _)| path_segs(p)),
                    attributes: attribute_paths(&i.attrs),
                    methods,
                    generics: generic_bounds(&i.generics),
                });
            }
            syn::Item::Mod(m) => {
                let name = m.ident.to_string();
                index.scopes[scope]
                    .items
                    .insert(name.clone(), ItemKind::Mod);
                if is_test_item(&m.attrs) {
                    index.scopes[scope].test_mods.insert(name.clone());
                }
                match &m.content {
                    Some((_, items)) => {
                        let child = index.scopes.len();
                        index.scopes.push(Scope {
                            name: name.clone(),
                            parent: Some(scope),
                            ..Scope::default()
                        });
                        index.scopes[scope].children.push((name.clone(), child));
                        let child_dir = match path_attr(&m.attrs) {
                            Some(p) => mod_dir.join(p),
                            None => mod_dir.join(file_stem(&name)),
                        };
                        index_items(items, child, index, &child_dir, include_tests);
                    }
                    None => {
                        // Both places the file can be, as written: the
                        // loader takes the one that exists when it runs
                        // (the index, cached by text, must not depend on
                        // which did when it was made).
                        let files = match path_attr(&m.attrs) {
                            Some(p) => vec![mod_dir.join(p)],
                            None => vec![
                                mod_dir.join(format!("{}.rs", file_stem(&name))),
                                mod_dir.join(file_stem(&name)).join("mod.rs"),
                            ],
                        };
                        for file in files {
                            index.scopes[scope].mod_files.push((name.clone(), file));
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn derives(attrs: &[syn::Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for a in attrs {
        if a.path().is_ident("derive")
            && let Ok(paths) = a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
        {
            out.extend(
                paths
                    .iter()
                    .filter_map(|p| p.segments.last().map(|s| s.ident.to_string())),
            );
        }
    }
    out
}

pub fn add_use(tree: &syn::UseTree, prefix: PathSegs, scope: &mut Scope) {
    match tree {
        syn::UseTree::Path(p) => {
            let mut next = prefix;
            next.push(p.ident.to_string());
            add_use(&p.tree, next, scope);
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last().cloned() {
                    scope.uses.insert(last, prefix);
                }
            } else {
                let mut full = prefix;
                full.push(name.clone());
                scope.uses.insert(name, full);
            }
        }
        syn::UseTree::Rename(r) => {
            let name = r.ident.to_string();
            let alias = r.rename.to_string();
            if alias == "_" {
                return;
            }
            let full = if name == "self" {
                prefix
            } else {
                let mut full = prefix;
                full.push(name);
                full
            };
            scope.uses.insert(alias, full);
        }
        syn::UseTree::Glob(_) => scope.globs.push(prefix),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                add_use(t, prefix.clone(), scope);
            }
        }
    }
}

pub type ModId = usize;
pub type CrateId = usize;

/// A module of a crate: where its scope lives.
#[derive(Debug, Clone)]
pub struct Module {
    pub krate: CrateId,
    /// Declared under `#[cfg(test)]` (itself or an ancestor): test code.
    pub is_test: bool,
    /// Canonical path, starting with the crate name.
    pub path: PathSegs,
    pub file: FileId,
    pub scope: usize,
    pub parent: Option<ModId>,
    pub children: HashMap<String, ModId>,
}

#[derive(Debug, Clone)]
pub struct CrateInfo {
    pub name: String,
    pub package: usize,
    pub root: ModId,
    pub is_lib: bool,
    /// The crate is a build script, bin, example: its `main` runs once.
    pub kind: String,
}

/// A function or method of the workspace, with its types resolved.
#[derive(Debug, Clone)]
pub struct FnDecl {
    pub key: FnKey,
    pub module: ModId,
    pub sig: Signature,
    /// Resolved `Self` type for methods.
    pub impl_self: Option<PathSegs>,
    /// Resolved trait path for trait impl methods.
    pub trait_path: Option<PathSegs>,
    pub impl_attributes: Vec<PathSegs>,
    /// Resolved return type (innermost named type; `Self` replaced).
    pub ret: Option<PathSegs>,
}

/// The signatures of a module, moved out of its scope for `build_items`.
struct Taken {
    fns: Vec<Signature>,
    structs: Vec<StructInfo>,
    statics: Vec<(String, TypeRef)>,
    variants: Vec<(String, Vec<TypeRef>)>,
    trait_fns: Vec<(String, Signature)>,
    /// The methods of each impl block, in order.
    methods: Vec<Vec<Signature>>,
}

/// One module's share of the item tables (see `WorkspaceIndex::module_items`).
#[derive(Default)]
struct ModuleItems {
    traits: Vec<(String, Vec<PathSegs>)>,
    dyn_traits: Vec<String>,
    macros: Vec<((CrateId, String), (ModId, String))>,
    decls: Vec<FnDecl>,
    /// Workspace trait, the impl's key path, its self type's key.
    impls_of: Vec<(PathSegs, PathSegs, String)>,
    statics: Vec<(String, PathSegs)>,
    structs: Vec<(String, StructDecl)>,
    variants: Vec<(String, Vec<PathSegs>)>,
}

/// The item tables other than the functions', merged from every module.
#[derive(Default)]
struct OtherItems {
    structs: HashMap<String, StructDecl>,
    variants: HashMap<String, Vec<PathSegs>>,
    statics: HashMap<String, PathSegs>,
    known_traits: std::collections::HashSet<String>,
    supertraits: HashMap<String, Vec<PathSegs>>,
    macros: HashMap<(CrateId, String), (ModId, String)>,
    trait_impls: HashMap<String, Vec<PathSegs>>,
    type_traits: HashMap<String, Vec<PathSegs>>,
    field_types: HashMap<String, Vec<(usize, PathSegs)>>,
}

#[derive(Debug, Clone, Default)]
pub struct StructDecl {
    pub module: ModId,
    pub name_span: Range<usize>,
    /// Field name and resolved innermost type.
    pub fields: Vec<(String, PathSegs)>,
    /// Field name and resolved type of its items, for collection fields.
    pub elements: Vec<(String, PathSegs)>,
    pub derives: Vec<String>,
}

/// Answers of `WorkspaceIndex::method_keys`, by `Type::method`, in shards
/// locked one at a time (the walk asks from every thread).
#[derive(Default)]
pub struct KeyLists(Vec<std::sync::Mutex<HashMap<String, FnKeys>>>);

impl std::fmt::Debug for KeyLists {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyLists")
    }
}

impl KeyLists {
    const SHARDS: usize = 16;

    fn new() -> KeyLists {
        KeyLists((0..Self::SHARDS).map(|_| Default::default()).collect())
    }

    fn get_or_insert(&self, key: String, make: impl FnOnce() -> Vec<FnKey>) -> FnKeys {
        use std::hash::BuildHasher;
        let at = rustc_hash::FxBuildHasher.hash_one(&key) as usize % Self::SHARDS;
        let Some(shard) = self.0.get(at) else {
            return make().into();
        };
        if let Some(v) = shard.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return v;
        }
        let v: FnKeys = make().into();
        if let Ok(mut m) = shard.lock() {
            m.insert(key, v.clone());
        }
        v
    }
}

/// Resolution over every crate of the workspace.
#[derive(Debug, Default)]
pub struct WorkspaceIndex {
    /// Shared answers of `method_keys`.
    pub method_lists: KeyLists,
    pub crates: Vec<CrateInfo>,
    pub modules: Vec<Module>,
    /// Per file: its index and the module of each scope.
    pub files: Vec<FileIndex>,
    pub scope_modules: Vec<Vec<ModId>>,
    crate_by_name: HashMap<String, Vec<CrateId>>,
    pub fn_decls: Vec<FnDecl>,
    pub fns: HashMap<FnKey, Vec<usize>>,
    /// The names of `fns` by owner (`a::Type` -> `new`, `get`): the keys of
    /// `fns` split at their last `::`.
    pub fn_owners: HashMap<PathSegs, rustc_hash::FxHashSet<String>>,
    pub structs: HashMap<String, StructDecl>,
    /// The resolved field types of enum variants with unnamed fields, by
    /// path (`cli::Command::Seed` -> `[cli::SeedArgs]`).
    pub variants: HashMap<String, Vec<PathSegs>>,
    /// Types of `static` and `const` items by path (`CLIENT: LazyLock<Client>`
    /// gives `reqwest::Client`).
    pub statics: HashMap<String, PathSegs>,
    /// Paths known to be traits, whatever crate declares them: used as trait
    /// objects (`dyn Store` in a field or a type alias) or implemented.
    pub known_traits: std::collections::HashSet<String>,
    /// The resolved supertraits of each workspace trait, by path.
    pub supertraits: HashMap<String, Vec<PathSegs>>,
    /// `macro_rules!` of each crate by name: the defining module and the rules' text.
    pub macros: HashMap<(CrateId, String), (ModId, String)>,
    /// The traits declared in the workspace, by path.
    pub traits: rustc_hash::FxHashSet<String>,
    /// Per workspace trait: the types that implement it (a blanket
    /// `impl<T: Bound> Trait for T` counts as the bound trait).
    pub trait_impls: HashMap<String, Vec<PathSegs>>,
    /// Per type: the workspace traits it implements.
    pub type_traits: HashMap<String, Vec<PathSegs>>,
    /// Per field name: the distinct types the workspace's structs give it,
    /// with the package of each struct.
    pub field_types: HashMap<String, Vec<(usize, PathSegs)>>,
    /// Per package: the packages its code can name (itself and its
    /// workspace dependencies, `packages::closures`); empty: every one.
    pub closures: Vec<Vec<usize>>,
    /// Per package: the crates it takes from a registry or git (`-` as
    /// `_`): no crate of the workspace is what its code names by them.
    pub externals: Vec<Vec<String>>,
}

/// Bounds one resolution: glob imports can form cycles (`use super::*` in a
/// child, `pub use child::*` in the parent), so each (module, name) pair is
/// looked up through globs once, and the total work is capped.
#[derive(Default)]
pub struct Budget {
    steps: usize,
    globs_seen: rustc_hash::FxHashSet<(ModId, String)>,
    /// The path names a module (a glob's target), not a value.
    want_module: bool,
}

impl Budget {
    fn step(&mut self) -> bool {
        self.steps += 1;
        self.steps <= 256
    }
}

/// The outcome of resolving a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub path: PathSegs,
    /// The path names an item of a workspace crate.
    pub local: bool,
}

impl WorkspaceIndex {
    pub fn new(files: Vec<FileIndex>) -> WorkspaceIndex {
        let scope_modules = files
            .iter()
            .map(|f| vec![usize::MAX; f.scopes.len()])
            .collect();
        WorkspaceIndex {
            files,
            scope_modules,
            method_lists: KeyLists::new(),
            ..WorkspaceIndex::default()
        }
    }

    pub fn add_crate(&mut self, name: &str, package: usize, is_lib: bool, kind: &str) -> CrateId {
        let id = self.crates.len();
        self.crates.push(CrateInfo {
            name: name.to_string(),
            package,
            root: usize::MAX,
            is_lib,
            kind: kind.to_string(),
        });
        self.crate_by_name
            .entry(name.to_string())
            .or_default()
            .push(id);
        id
    }

    /// Adds the module whose scope is `scope` of `file`, with its inline children.
    pub fn add_module(
        &mut self,
        krate: CrateId,
        path: PathSegs,
        file: FileId,
        scope: usize,
        parent: Option<ModId>,
    ) -> ModId {
        let id = self.modules.len();
        let is_test = parent.is_some_and(|p| {
            self.modules[p].is_test
                || path
                    .last()
                    .is_some_and(|name| self.scope_of(p).test_mods.contains(name))
        });
        self.modules.push(Module {
            krate,
            is_test,
            path: path.clone(),
            file,
            scope,
            parent,
            children: HashMap::default(),
        });
        if let Some(p) = parent {
            if let Some(name) = path.last() {
                self.modules[p].children.insert(name.clone(), id);
            }
        } else {
            self.crates[krate].root = id;
        }
        if self.scope_modules[file][scope] == usize::MAX {
            self.scope_modules[file][scope] = id;
        }
        let children = self.files[file].scopes[scope].children.clone();
        for (name, child_scope) in children {
            let mut child_path = path.clone();
            child_path.push(name);
            self.add_module(krate, child_path, file, child_scope, Some(id));
        }
        id
    }

    pub fn scope_of(&self, module: ModId) -> &Scope {
        let m = &self.modules[module];
        &self.files[m.file].scopes[m.scope]
    }

    pub fn module_of_scope(&self, file: FileId, scope: usize) -> Option<ModId> {
        self.scope_modules
            .get(file)
            .and_then(|s| s.get(scope))
            .copied()
            .filter(|&m| m != usize::MAX)
    }

    fn crate_root_by_name(&self, name: &str, from: CrateId) -> Option<ModId> {
        let ids = self.crate_by_name.get(name)?;
        // Prefer the lib of another crate; a bin refers to its own package's lib by name.
        // Only a package the code can name counts: a crate of the same name
        // elsewhere in the workspace (a registry dependency's name) is not it.
        let pkg = self.crates[from].package;
        if self
            .externals
            .get(pkg)
            .is_some_and(|e| e.iter().any(|e| e == name))
        {
            return None;
        }
        ids.iter()
            .copied()
            .filter(|&c| self.can_name(pkg, self.crates[c].package))
            .find(|&c| self.crates[c].is_lib && (self.crates[c].package == pkg || c != from))
            .or_else(|| ids.iter().copied().find(|&c| c == from))
            .map(|c| self.crates[c].root)
            .filter(|&r| r != usize::MAX)
    }

    /// Resolves a path written in `module`.
    pub fn resolve(&self, module: ModId, segs: &[String], catalog: &Catalog) -> Resolved {
        let resolved = self.resolve_depth(module, segs, catalog, &mut Budget::default());
        if resolved.local {
            resolved
        } else {
            Resolved {
                path: catalog.canonical(resolved.path),
                local: false,
            }
        }
    }

    fn external(segs: &[String]) -> Resolved {
        Resolved {
            path: segs.iter().filter(|s| !s.is_empty()).cloned().collect(),
            local: false,
        }
    }

    fn resolve_depth(
        &self,
        module: ModId,
        segs: &[String],
        catalog: &Catalog,
        st: &mut Budget,
    ) -> Resolved {
        if segs.is_empty() || !st.step() || module >= self.modules.len() {
            return Self::external(segs);
        }
        let krate = self.modules[module].krate;
        let first = segs[0].as_str();
        match first {
            "" => {
                // `::name::..`: an external crate (or a workspace crate by name).
                if segs.len() > 1
                    && let Some(root) = self.crate_root_by_name(&segs[1], krate)
                {
                    return self.walk(root, &segs[2..], catalog, st);
                }
                Self::external(&segs[1..])
            }
            "crate" => self.walk(self.crates[krate].root, &segs[1..], catalog, st),
            "self" => self.walk(module, &segs[1..], catalog, st),
            "super" => {
                let mut m = module;
                let mut rest = segs;
                while rest.first().map(String::as_str) == Some("super") {
                    m = self.modules[m].parent.unwrap_or(m);
                    rest = &rest[1..];
                }
                self.walk(m, rest, catalog, st)
            }
            name => {
                let scope = self.scope_of(module);
                // A path `a::b` starts in the type namespace: a local fn or
                // static named `a` does not hide the crate `a`.
                let item = scope.items.get(name).filter(|k| {
                    segs.len() == 1
                        || !matches!(
                            k,
                            ItemKind::Fn | ItemKind::Const | ItemKind::Static | ItemKind::Macro
                        )
                });
                if item.is_some() || self.modules[module].children.contains_key(name) {
                    return self.walk(module, segs, catalog, st);
                }
                if let Some(target) = scope.uses.get(name) {
                    // An import whose path starts with its own name (`use
                    // reqwest;`, or `use anyhow::anyhow;`, `use
                    // async_trait::async_trait;`: a macro or attribute named
                    // as its crate) names that crate in a longer path:
                    // `anyhow::Error` is the crate's, not `anyhow::anyhow::Error`
                    // (following the import again would only grow the path
                    // until the budget ran out).
                    if target.first().is_some_and(|t| t == name)
                        && (segs.len() > 1 || target.len() == 1)
                    {
                        return self.external_or_crate(module, segs, catalog, st);
                    }
                    let mut full = target.clone();
                    full.extend_from_slice(&segs[1..]);
                    return self.resolve_depth(module, &full, catalog, st);
                }
                if let Some(r) = self.resolve_glob(module, segs, catalog, st) {
                    return r;
                }
                self.external_or_crate(module, segs, catalog, st)
            }
        }
    }

    fn external_or_crate(
        &self,
        module: ModId,
        segs: &[String],
        catalog: &Catalog,
        st: &mut Budget,
    ) -> Resolved {
        let krate = self.modules[module].krate;
        if let Some(root) = self.crate_root_by_name(&segs[0], krate)
            && (self.crates[krate].name != segs[0]
                || self.crates[krate].is_lib
                || root != self.crates[krate].root)
        {
            return self.walk(root, &segs[1..], catalog, st);
        }
        // Names of the standard prelude.
        if let Some(prefix) = prelude(&segs[0]) {
            let mut full: PathSegs = prefix.split("::").map(str::to_string).collect();
            full.extend_from_slice(&segs[1..]);
            return Self::external(&full);
        }
        Self::external(segs)
    }

    /// Looks `segs[0]` up through the glob imports of `module`.
    fn resolve_glob(
        &self,
        module: ModId,
        segs: &[String],
        catalog: &Catalog,
        st: &mut Budget,
    ) -> Option<Resolved> {
        let scope = self.scope_of(module);
        if scope.globs.is_empty() || !st.globs_seen.insert((module, segs[0].clone())) {
            return None;
        }
        self.globs_provide(module, &scope.globs, segs, catalog, st)
    }

    /// The path `segs` names through one of `globs` (written in `module`),
    /// for a block's own `use x::*;`.
    pub fn resolve_in_globs(
        &self,
        module: ModId,
        globs: &[PathSegs],
        segs: &[String],
        catalog: &Catalog,
    ) -> Option<PathSegs> {
        self.globs_provide(module, globs, segs, catalog, &mut Budget::default())
            .map(|r| r.path)
    }

    /// Exactly one glob provides the name: through it; none or several: `None`.
    fn globs_provide(
        &self,
        module: ModId,
        globs: &[PathSegs],
        segs: &[String],
        catalog: &Catalog,
        st: &mut Budget,
    ) -> Option<Resolved> {
        let mut found: Vec<Resolved> = Vec::new();
        for glob in globs {
            let wanted = std::mem::replace(&mut st.want_module, true);
            let target = self.resolve_depth(module, glob, catalog, st);
            st.want_module = wanted;
            if target.local {
                // A workspace module: does it define or import the name?
                if let Some(m) = self.module_by_path(&target.path) {
                    let s = self.scope_of(m);
                    if s.items.contains_key(&segs[0])
                        || s.uses.contains_key(&segs[0])
                        || self.modules[m].children.contains_key(&segs[0])
                    {
                        found.push(self.walk(m, segs, catalog, st));
                    } else if let Some(r) = self.resolve_glob(m, segs, catalog, st) {
                        // Re-exported through a glob of its own (`pub use helpers::post::*`).
                        found.push(r);
                    }
                }
            } else {
                // An external module: only names the catalog knows count.
                let mut full = target.path.clone();
                full.extend_from_slice(segs);
                let full = catalog.canonical(full);
                if catalog_knows_prefix(catalog, &full) {
                    found.push(Resolved {
                        path: full,
                        local: false,
                    });
                }
            }
        }
        found.dedup();
        if found.len() == 1 { found.pop() } else { None }
    }

    /// The type alias a one-segment name stands for in `module`: one of the
    /// module's own, or one it imports (`use appstate::SettingsState`).
    pub fn type_alias(&self, module: ModId, name: &str, catalog: &Catalog) -> Option<&TypeRef> {
        let scope = self.scope_of(module);
        if let Some(t) = scope.type_aliases.get(name) {
            return Some(t);
        }
        let full = scope.uses.get(name)?;
        let (last, parent) = full.split_last()?;
        let parent = self.resolve(module, parent, catalog);
        let m = self.module_by_path(&parent.path).filter(|_| parent.local)?;
        self.scope_of(m).type_aliases.get(last)
    }

    pub fn module_by_path(&self, path: &[String]) -> Option<ModId> {
        let first = path.first()?;
        let ids = self.crate_by_name.get(first)?;
        for &c in ids {
            let mut m = self.crates[c].root;
            if m == usize::MAX {
                continue;
            }
            let mut ok = true;
            for seg in &path[1..] {
                match self.modules[m].children.get(seg) {
                    Some(&child) => m = child,
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                return Some(m);
            }
        }
        None
    }

    /// Walks `rest` down from `module`, following re-exports and aliases.
    fn walk(&self, module: ModId, rest: &[String], catalog: &Catalog, st: &mut Budget) -> Resolved {
        if !st.step() {
            return Resolved {
                path: rest.to_vec(),
                local: false,
            };
        }
        // The module's path is copied only where it is returned.
        let here = |rest: &[String]| {
            let mut path = self.modules[module].path.clone();
            path.extend_from_slice(rest);
            Resolved { path, local: true }
        };
        if rest.is_empty() {
            return here(rest);
        }
        let name = &rest[0];
        let scope = self.scope_of(module);
        if let Some(&child) = self.modules[module].children.get(name) {
            // `mod search; pub use self::search::search;`: the module and the
            // function share a name in different namespaces. A path that ends
            // here names the function (a module cannot be called, nor
            // imported twice under one name), unless a module is wanted.
            let value = rest.len() == 1 && !st.want_module;
            if value
                && scope.items.get(name).is_some_and(|k| {
                    matches!(
                        k,
                        ItemKind::Fn | ItemKind::Const | ItemKind::Static | ItemKind::Macro
                    )
                })
            {
                return here(rest);
            }
            match scope.uses.get(name) {
                Some(target) if value => {
                    return self.resolve_depth(module, &target.clone(), catalog, st);
                }
                _ => return self.walk(child, &rest[1..], catalog, st),
            }
        }
        if let Some(kind) = scope.items.get(name) {
            if *kind == ItemKind::TypeAlias
                && let Some(alias) = scope.type_aliases.get(name)
                && !alias.inner.is_empty()
            {
                let mut full = alias.inner.clone();
                full.extend_from_slice(&rest[1..]);
                return self.resolve_depth(module, &full, catalog, st);
            }
            return here(rest);
        }
        if let Some(target) = scope.uses.get(name) {
            let mut full = target.clone();
            full.extend_from_slice(&rest[1..]);
            return self.resolve_depth(module, &full, catalog, st);
        }
        if let Some(r) = self.resolve_glob(module, rest, catalog, st) {
            return r;
        }
        here(rest)
    }

    /// The crate name of a module's crate.
    /// A trait and its supertraits, transitively: the workspace traits by
    /// path, and whether another crate's trait (other than a marker trait
    /// without methods, such as `Send`) is among them, whose own supertraits
    /// are not in view.
    pub fn trait_closure(&self, t: &[String]) -> (Vec<String>, bool) {
        const MARKERS: &[&str] = &["Send", "Sync", "Sized", "Unpin", "Copy"];
        let (mut local, mut foreign) = (Vec::new(), false);
        let mut todo = vec![t.to_vec()];
        while let Some(t) = todo.pop() {
            let key = t.join("::");
            if local.contains(&key) {
                continue;
            }
            match self.supertraits.get(&key) {
                Some(supers) if !self.is_foreign(&t) => {
                    todo.extend(supers.iter().cloned());
                    local.push(key);
                }
                _ => foreign |= !t.last().is_some_and(|l| MARKERS.contains(&l.as_str())),
            }
        }
        (local, foreign)
    }

    /// The path does not start with a workspace crate's name: another crate's item.
    pub fn is_foreign(&self, path: &[String]) -> bool {
        path.first()
            .is_some_and(|c| !self.crate_by_name.contains_key(c))
    }

    pub fn crate_name(&self, module: ModId) -> &str {
        &self.crates[self.modules[module].krate].name
    }

    /// Resolves a type written in `module`; `impl_self` replaces `Self`.
    pub fn resolve_type(
        &self,
        module: ModId,
        ty: &TypeRef,
        impl_self: Option<&PathSegs>,
        catalog: &Catalog,
    ) -> Option<PathSegs> {
        if ty.inner.is_empty() {
            return None;
        }
        if ty.inner.len() == 1 && ty.inner[0] == "Self" {
            return impl_self.cloned();
        }
        Some(self.resolve(module, &ty.inner, catalog).path)
    }

    /// The first of a generic parameter's bounds that is a workspace trait.
    pub fn bound_trait(
        &self,
        module: ModId,
        bounds: &[PathSegs],
        catalog: &Catalog,
    ) -> Option<PathSegs> {
        bounds
            .iter()
            .map(|b| self.resolve(module, b, catalog).path)
            .find(|p| self.traits.contains(&p.join("::")))
    }

    /// The type an impl block is for, and the path its methods are keyed
    /// under. A generic parameter bounded by a workspace trait
    /// (`impl<T: Tool> Run for T`) stands for that trait; the methods of such
    /// a blanket impl are keyed under the trait and the implemented trait's
    /// name (`Tool::Run::call`), apart from the bound trait's own methods.
    pub fn impl_self(
        &self,
        module: ModId,
        self_ty: &TypeRef,
        trait_path: Option<&PathSegs>,
        generics: &[(String, Vec<PathSegs>)],
        catalog: &Catalog,
    ) -> Option<(PathSegs, PathSegs)> {
        if let [name] = self_ty.inner.as_slice()
            && let Some((_, bounds)) = generics.iter().find(|(n, _)| n == name)
            && let Some(t) = self.bound_trait(module, bounds, catalog)
        {
            let mut prefix = t.clone();
            prefix.extend(trait_path.and_then(|p| p.last()).cloned());
            return Some((prefix, t));
        }
        let p = self.resolve_type(module, self_ty, None, catalog)?;
        Some((p.clone(), p))
    }

    /// The shared key of a workspace function.
    pub fn fn_key(&self, key: &str) -> Option<FnKey> {
        self.fns.get_key_value(key).map(|(k, _)| k.clone())
    }

    /// `key` as a function key, shared with the index when it names a
    /// workspace function.
    pub fn key_of(&self, key: &str) -> FnKey {
        self.fn_key(key).unwrap_or_else(|| key.into())
    }

    /// The functions a method call on a value of type `ty` may run: its own
    /// method, else, for a workspace trait, the method of every impl of it
    /// and the trait's default body, and for a type, the default bodies of
    /// the traits it implements. A method call with `arity` arguments reaches
    /// only a method with as many parameters besides `self` (`v.len()` is not
    /// `Store::len(&self, key)`). Each answer is computed once and shared by
    /// every call that asks.
    pub fn method_keys(&self, ty: &[String], name: &str, arity: Option<usize>) -> FnKeys {
        // Asked for every method call the walk meets: test the owner's names
        // first, and build a key only for a function that exists.
        let has = |t: &[String]| self.fn_owners.get(t).is_some_and(|n| n.contains(name));
        let ty_key = ty.join("::");
        let is_trait = self.traits.contains(&ty_key);
        let others = match is_trait {
            true => self.trait_impls.get(&ty_key),
            false => self.type_traits.get(&ty_key),
        };
        if others.is_none() && !has(ty) {
            return FnKeys::default();
        }
        let key = |t: &[String]| self.key_of(&format!("{}::{name}", t.join("::")));
        // A function of another arity is no answer (one unknown to the index is).
        let fits = |k: &FnKey| {
            let Some(n) = arity else { return true };
            let mut decls = self.fn_decls(k).peekable();
            decls.peek().is_none()
                || decls.any(|d| !d.sig.has_self || call_arity(&d.sig).is_none_or(|a| a == n))
        };
        let list_key = match arity {
            Some(n) => format!("{ty_key}::{name}/{n}"),
            None => format!("{ty_key}::{name}"),
        };
        self.method_lists.get_or_insert(list_key, || {
            if has(ty) && !is_trait {
                return std::iter::once(key(ty)).filter(fits).collect();
            }
            let mut keys: Vec<FnKey> = std::iter::once(ty)
                .chain(others.into_iter().flatten().map(Vec::as_slice))
                .filter(|t| has(t))
                .map(key)
                .filter(fits)
                .collect();
            keys.sort();
            keys.dedup();
            keys
        })
    }

    /// The items of one module with their types resolved (see `build_items`).
    fn module_items(&self, module: ModId, taken: Taken, catalog: &Catalog) -> ModuleItems {
        let mut out = ModuleItems::default();
        let scope = self.scope_of(module);
        for (name, supers) in &scope.traits {
            let key = format!("{}::{name}", self.modules[module].path.join("::"));
            let supers = supers
                .iter()
                .map(|s| self.resolve(module, s, catalog).path)
                .collect();
            out.traits.push((key, supers));
        }
        let dyn_types = scope
            .type_aliases
            .values()
            .chain(
                taken
                    .structs
                    .iter()
                    .flat_map(|st| st.fields.iter().map(|(_, t)| t)),
            )
            .filter(|t| t.dyn_trait);
        for t in dyn_types {
            if let Some(p) = self.resolve_type(module, t, None, catalog) {
                out.dyn_traits.push(p.join("::"));
            }
        }
        for (name, text) in &scope.macros {
            out.macros.push((
                (self.modules[module].krate, name.clone()),
                (module, text.clone()),
            ));
        }
        let path = self.modules[module].path.clone();
        for sig in taken.fns {
            let mut key = path.clone();
            key.push(sig.name.clone());
            let ret = sig
                .ret
                .as_ref()
                .and_then(|r| self.resolve_type(module, r, None, catalog));
            out.decls.push(FnDecl {
                key: key.join("::").into(),
                module,
                sig,
                impl_self: None,
                trait_path: None,
                impl_attributes: Vec::new(),
                ret,
            });
        }
        for (tr, sig) in taken.trait_fns {
            let mut trait_path = path.clone();
            trait_path.push(tr);
            let ret = sig
                .ret
                .as_ref()
                .and_then(|r| self.resolve_type(module, r, Some(&trait_path), catalog));
            out.decls.push(FnDecl {
                key: format!("{}::{}", trait_path.join("::"), sig.name).into(),
                module,
                sig,
                impl_self: Some(trait_path),
                trait_path: None,
                impl_attributes: Vec::new(),
                ret,
            });
        }
        for (imp, methods) in scope.impls.iter().zip(taken.methods) {
            let trait_path = imp
                .trait_path
                .as_ref()
                .map(|t| self.resolve(module, t, catalog).path);
            let Some((key_path, self_path)) = self.impl_self(
                module,
                &imp.self_ty,
                trait_path.as_ref(),
                &imp.generics,
                catalog,
            ) else {
                continue;
            };
            if let Some(t) = &trait_path
                && self.traits.contains(&t.join("::"))
            {
                out.impls_of
                    .push((t.clone(), key_path.clone(), self_path.join("::")));
            }
            for sig in methods {
                let mut key = key_path.clone();
                key.push(sig.name.clone());
                let ret = sig
                    .ret
                    .as_ref()
                    .and_then(|r| self.resolve_type(module, r, Some(&self_path), catalog));
                out.decls.push(FnDecl {
                    key: key.join("::").into(),
                    module,
                    sig,
                    impl_self: Some(self_path.clone()),
                    trait_path: trait_path.clone(),
                    impl_attributes: imp.attributes.clone(),
                    ret,
                });
            }
        }
        for (name, t) in &taken.statics {
            let mut key = path.clone();
            key.push(name.clone());
            if let Some(ty) = self.resolve_type(module, t, None, catalog) {
                out.statics.push((key.join("::"), ty));
            }
        }
        for st in &taken.structs {
            let mut key = path.clone();
            key.push(st.name.clone());
            let fields = st
                .fields
                .iter()
                .map(|(n, t)| {
                    (
                        n.clone(),
                        self.resolve_type(module, t, None, catalog)
                            .unwrap_or_default(),
                    )
                })
                .collect();
            let elements = st
                .fields
                .iter()
                .filter(|(_, t)| !t.element.is_empty())
                .map(|(n, t)| (n.clone(), self.resolve(module, &t.element, catalog).path))
                .collect();
            out.structs.push((
                key.join("::"),
                StructDecl {
                    module,
                    name_span: st.span.clone(),
                    fields,
                    elements,
                    derives: st.derives.clone(),
                },
            ));
        }
        for (name, fields) in &taken.variants {
            let key = format!("{}::{name}", path.join("::"));
            let fields = fields
                .iter()
                .map(|t| {
                    self.resolve_type(module, t, None, catalog)
                        .unwrap_or_default()
                })
                .collect();
            out.variants.push((key, fields));
        }
        out
    }

    /// Builds the table of functions, methods and structs once every module is known.
    pub fn build_items(&mut self, catalog: &Catalog) {
        self.traits = (0..self.modules.len())
            .flat_map(|m| {
                let path = self.modules[m].path.join("::");
                self.scope_of(m)
                    .items
                    .iter()
                    .filter(|(_, k)| **k == ItemKind::Trait)
                    .map(move |(n, _)| format!("{path}::{n}"))
            })
            .collect();
        // The signatures, structs, statics and variants move from the file
        // indexes into the tables (they are read only here), unless two
        // modules share a scope.
        let mut sharing: HashMap<(FileId, usize), usize> = HashMap::default();
        for m in &self.modules {
            *sharing.entry((m.file, m.scope)).or_default() += 1;
        }
        let taken: Vec<Taken> = (0..self.modules.len())
            .map(|module| {
                let (file, scope) = (self.modules[module].file, self.modules[module].scope);
                let shared = sharing[&(file, scope)] > 1;
                // A scope two modules share is copied, any other moved.
                fn grab<T: Clone + Default>(v: &mut T, shared: bool) -> T {
                    if shared { v.clone() } else { std::mem::take(v) }
                }
                let scope = &mut self.files[file].scopes[scope];
                Taken {
                    fns: grab(&mut scope.fns, shared),
                    structs: grab(&mut scope.structs, shared),
                    statics: grab(&mut scope.statics, shared),
                    variants: grab(&mut scope.variants, shared),
                    trait_fns: grab(&mut scope.trait_fns, shared),
                    methods: scope
                        .impls
                        .iter_mut()
                        .map(|i| grab(&mut i.methods, shared))
                        .collect(),
                }
            })
            .collect();
        // Each module's items resolve on their own (in parallel); they are
        // merged in module order, so the first or last of a name wins as before.
        let items: Vec<ModuleItems> = {
            use rayon::prelude::*;
            let this = &*self;
            taken
                .into_par_iter()
                .enumerate()
                .map(|(module, taken)| this.module_items(module, taken, catalog))
                .collect()
        };
        // The functions and the other items merge side by side.
        let (decl_parts, items): (Vec<Vec<FnDecl>>, Vec<ModuleItems>) = items
            .into_iter()
            .map(|mut m| (std::mem::take(&mut m.decls), m))
            .unzip();
        let functions = || {
            let mut decls = Vec::with_capacity(decl_parts.iter().map(Vec::len).sum());
            for part in decl_parts {
                decls.extend(part);
            }
            // One shared key per function: the facts of every call of it hold
            // that key, not a copy of the path.
            let mut fns: HashMap<FnKey, Vec<usize>> = HashMap::default();
            for (i, d) in decls.iter_mut().enumerate() {
                if let Some((k, _)) = fns.get_key_value(&*d.key) {
                    d.key = k.clone();
                }
                fns.entry(d.key.clone()).or_default().push(i);
            }
            let mut fn_owners: HashMap<PathSegs, rustc_hash::FxHashSet<String>> =
                HashMap::default();
            for key in fns.keys() {
                if let Some((owner, name)) = key.rsplit_once("::") {
                    let owner: PathSegs = owner.split("::").map(str::to_string).collect();
                    fn_owners.entry(owner).or_default().insert(name.to_string());
                }
            }
            (decls, fns, fn_owners)
        };
        let this = &*self;
        let others = || {
            let mut o = OtherItems::default();
            for m in items {
                for (key, supers) in m.traits {
                    o.known_traits.insert(key.clone());
                    o.supertraits.insert(key, supers);
                }
                o.known_traits.extend(m.dyn_traits);
                for (key, value) in m.macros {
                    o.macros.entry(key).or_insert(value);
                }
                for (t, key_path, self_key) in m.impls_of {
                    o.trait_impls
                        .entry(t.join("::"))
                        .or_default()
                        .push(key_path);
                    o.type_traits.entry(self_key).or_default().push(t);
                }
                o.statics.extend(m.statics);
                o.structs.extend(m.structs);
                o.variants.extend(m.variants);
            }
            for s in o.structs.values() {
                let package = this.package_of(s.module);
                for (name, t) in &s.fields {
                    let types = o.field_types.entry(name.clone()).or_default();
                    let entry = (package, t.clone());
                    if !types.contains(&entry) {
                        types.push(entry);
                    }
                }
            }
            o
        };
        let ((decls, fns, fn_owners), o) = rayon::join(functions, others);
        let mut known_traits = o.known_traits;
        known_traits.extend(
            decls
                .iter()
                .filter_map(|d| d.trait_path.as_ref())
                .map(|t| t.join("::")),
        );
        self.fn_owners = fn_owners;
        self.field_types = o.field_types;
        self.fn_decls = decls;
        self.fns = fns;
        self.structs = o.structs;
        self.variants = o.variants;
        self.statics = o.statics;
        self.known_traits = known_traits;
        self.supertraits = o.supertraits;
        self.macros = o.macros;
        self.trait_impls = o.trait_impls;
        self.type_traits = o.type_traits;
    }

    /// Whether code of package `from` can name items of package `to`.
    pub fn can_name(&self, from: usize, to: usize) -> bool {
        from == to
            || self
                .closures
                .get(from)
                .is_none_or(|c| c.is_empty() || c.contains(&to))
    }

    /// The package of a module's crate.
    pub fn package_of(&self, module: ModId) -> usize {
        self.crates[self.modules[module].krate].package
    }

    pub fn fn_decls(&self, key: &str) -> impl Iterator<Item = &FnDecl> {
        self.fns
            .get(key)
            .into_iter()
            .flatten()
            .map(|&i| &self.fn_decls[i])
    }
}

/// The std prelude items a bare name can refer to.
fn prelude(name: &str) -> Option<&'static str> {
    Some(match name {
        "Box" => "std::boxed::Box",
        "Vec" => "std::vec::Vec",
        "String" => "std::string::String",
        "Option" => "std::option::Option",
        "Some" => "std::option::Option::Some",
        "None" => "std::option::Option::None",
        "Result" => "std::result::Result",
        "Ok" => "std::result::Result::Ok",
        "Err" => "std::result::Result::Err",
        "Default" => "std::default::Default",
        "drop" => "std::mem::drop",
        _ => return None,
    })
}

fn catalog_knows_prefix(catalog: &Catalog, path: &[String]) -> bool {
    // The name (or the type it is a method of) is a catalog path.
    let is_type = |p: &[String]| catalog.knows_type(p);
    catalog.functions.contains(path)
        || catalog.builder_starts.contains(path)
        || catalog.response_functions.contains(path)
        || is_type(path)
        || (path.len() > 1
            && (is_type(&path[..path.len() - 1]) || catalog.functions.contains(path)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> TypeRef {
        type_ref(&syn::parse_str::<syn::Type>(s).unwrap())
    }

    #[test]
    fn type_refs_peel_wrappers() {
        assert_eq!(
            ty("Arc<Mutex<reqwest::Client>>").inner,
            vec!["reqwest", "Client"]
        );
        assert_eq!(ty("&State<AppState>").outer, vec!["State"]);
        assert_eq!(ty("&State<AppState>").inner, vec!["AppState"]);
        assert_eq!(ty("Result<Self, Error>").inner, vec!["Self"]);
        assert_eq!(ty("impl Fn()").inner, vec!["Fn"]);
        assert_eq!(ty("Box<dyn Send + Tool + 'static>").inner, vec!["Tool"]);
        assert_eq!(ty("Box<dyn Send>").inner, vec!["Send"]);
        assert_eq!(ty("&mut dyn tools::Tool").inner, vec!["tools", "Tool"]);
        assert_eq!(ty("HashMap<String, Box<dyn Tool>>").element, vec!["Tool"]);
    }

    #[test]
    fn generic_bounds_merge_where_clauses() {
        let f: syn::ItemFn =
            syn::parse_str("fn f<T: Send + Tool, U, V: Clone>(t: T) where U: Probe, T: Other {}")
                .unwrap();
        let names = |b: &[PathSegs]| b.iter().map(|p| p.join("::")).collect::<Vec<_>>();
        let got: Vec<(String, Vec<String>)> = generic_bounds(&f.sig.generics)
            .into_iter()
            .map(|(n, b)| (n, names(&b)))
            .collect();
        let want = [
            ("T", vec!["Send", "Tool", "Other"]),
            ("U", vec!["Probe"]),
            ("V", vec!["Clone"]),
        ];
        let want: Vec<(String, Vec<String>)> = want
            .iter()
            .map(|(n, b)| (n.to_string(), b.iter().map(|s| s.to_string()).collect()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn cfg_test_detection() {
        let f: syn::File = syn::parse_str(
            "#[cfg(test)] mod a {} #[cfg(not(test))] mod b {} #[cfg(all(test, unix))] mod c {}",
        )
        .unwrap();
        let flags: Vec<bool> = f
            .items
            .iter()
            .map(|i| match i {
                syn::Item::Mod(m) => is_test_item(&m.attrs),
                _ => false,
            })
            .collect();
        assert_eq!(flags, vec![true, false, true]);
    }

    #[test]
    fn cfg_test_features() {
        let f: syn::File = syn::parse_str(
            r#"
            #[cfg(feature = "test-utils")] mod a {}
            #[cfg(feature = "test_utils")] mod b {}
            #[cfg(any(test, feature = "testing"))] mod c {}
            #[cfg(all(unix, feature = "mock-server"))] mod d {}
            #[cfg(feature = "foo-test-util")] mod e {}
            #[cfg(feature = "blocking")] mod f {}
            #[cfg(not(feature = "test-utils"))] mod g {}
            #[cfg(feature = "attestation")] mod h {}
            #[cfg(any(feature = "blocking", unix))] mod i {}
            "#,
        )
        .unwrap();
        let flags: Vec<bool> = f
            .items
            .iter()
            .map(|i| match i {
                syn::Item::Mod(m) => is_test_item(&m.attrs),
                _ => false,
            })
            .collect();
        assert_eq!(
            flags,
            vec![true, true, true, true, true, false, false, false, false]
        );
    }
}
