//! Comparing two API summaries: every change a user of the generated module can see, each
//! classified by what it does to code written against the old module.

use std::collections::BTreeMap;

use super::summary::{ApiSummary, OperationSummary, TypeSummary};

/// How a change affects users' code, least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// No Rust item changes, only what travels (a path, a wire name, a documented code).
    Patch,
    /// New items or setters; code written against the old module still compiles.
    Additive,
    /// Code written against the old module may stop compiling or change meaning.
    Breaking,
}

impl Level {
    /// The word used in reports.
    pub fn word(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Additive => "additive",
            Level::Breaking => "breaking",
        }
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its classification.
    pub level: Level,
    /// What changed, for people.
    pub text: String,
}

/// The changes of one module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleDiff {
    /// The module.
    pub module: String,
    /// Its changes, breaking ones first.
    pub changes: Vec<Change>,
}

impl ModuleDiff {
    /// The highest level of its changes.
    pub fn level(&self) -> Option<Level> {
        self.changes.iter().map(|c| c.level).max()
    }
}

/// The changes from `old` to `new` modules (matched by name), modules with changes only.
pub fn diff_modules(old: &[ApiSummary], new: &[ApiSummary]) -> Vec<ModuleDiff> {
    let old: BTreeMap<&str, &ApiSummary> = old.iter().map(|s| (s.module.as_str(), s)).collect();
    let new: BTreeMap<&str, &ApiSummary> = new.iter().map(|s| (s.module.as_str(), s)).collect();
    let mut names: Vec<&str> = old.keys().chain(new.keys()).copied().collect();
    names.sort();
    names.dedup();
    let mut out = Vec::new();
    for name in names {
        let changes = match (old.get(name), new.get(name)) {
            (Some(o), Some(n)) => diff(o, n),
            (None, Some(n)) => vec![Change {
                level: Level::Additive,
                text: format!(
                    "module `{name}` added (cargo feature `{name}`, {} operations, {} types)",
                    n.operations.len(),
                    n.types.len()
                ),
            }],
            (Some(_), None) => vec![Change {
                level: Level::Breaking,
                text: format!("module `{name}` removed (and its cargo feature)"),
            }],
            (None, None) => Vec::new(),
        };
        if !changes.is_empty() {
            out.push(ModuleDiff {
                module: name.to_string(),
                changes,
            });
        }
    }
    out
}

/// Collects changes.
struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, level: Level, text: String) {
        self.0.push(Change { level, text });
    }
}

/// The changes from `old` to `new`, breaking ones first, otherwise in a fixed order.
pub fn diff(old: &ApiSummary, new: &ApiSummary) -> Vec<Change> {
    let mut out = Changes(Vec::new());
    if old.spec_version != new.spec_version {
        out.push(
            Level::Patch,
            format!(
                "generated from spec version {} (was {})",
                new.spec_version, old.spec_version
            ),
        );
    }
    operations(old, new, &mut out);
    for (name, o) in &old.types {
        match new.types.get(name) {
            None => out.push(Level::Breaking, format!("type `{name}` removed")),
            Some(n) => type_changes(name, o, n, &mut out),
        }
    }
    for name in new.types.keys().filter(|n| !old.types.contains_key(*n)) {
        out.push(Level::Additive, format!("type `{name}` added"));
    }
    variants(
        "ErrorCode",
        &old.error_codes,
        &new.error_codes,
        new.error_codes_non_exhaustive,
        Level::Patch,
        &mut out,
    );
    if old.error_codes_non_exhaustive != new.error_codes_non_exhaustive {
        exhaustiveness("ErrorCode", new.error_codes_non_exhaustive, &mut out);
    }
    let mut changes = out.0;
    changes.sort_by_key(|c| std::cmp::Reverse(c.level));
    changes
}

fn operations(old: &ApiSummary, new: &ApiSummary, out: &mut Changes) {
    let added: Vec<&String> = new
        .operations
        .keys()
        .filter(|n| !old.operations.contains_key(*n))
        .collect();
    let mut renamed_to = Vec::new();
    for (name, o) in &old.operations {
        if let Some(n) = new.operations.get(name) {
            operation_changes(name, o, n, out);
            continue;
        }
        let endpoint = format!("{} {}", o.method, o.path);
        // The same method and path under a new name: a rename.
        let renamed = added.iter().find(|a| {
            let n = &new.operations[**a];
            n.method == o.method && n.path == o.path && !renamed_to.contains(*a)
        });
        match renamed {
            Some(to) => {
                renamed_to.push(*to);
                out.push(
                    Level::Breaking,
                    format!("operation `{name}` renamed to `{to}` ({endpoint})"),
                );
            }
            None => out.push(
                Level::Breaking,
                format!("operation `{name}` removed ({endpoint})"),
            ),
        }
    }
    for name in added.into_iter().filter(|a| !renamed_to.contains(a)) {
        let n = &new.operations[name];
        out.push(
            Level::Additive,
            format!("operation `{name}` added ({} {})", n.method, n.path),
        );
    }
}

fn operation_changes(op: &str, o: &OperationSummary, n: &OperationSummary, out: &mut Changes) {
    if o.method != n.method || o.path != n.path {
        out.push(
            Level::Patch,
            format!(
                "`{op}` now calls {} {} (was {} {})",
                n.method, n.path, o.method, o.path
            ),
        );
    }
    params(op, o, n, out);
    body(op, o, n, out);
    if o.success != n.success {
        out.push(
            Level::Breaking,
            format!("`{op}` returns `{}` (was `{}`)", n.success, o.success),
        );
    } else {
        let name = &n.success;
        variants(
            name,
            &o.success_variants,
            &n.success_variants,
            false,
            Level::Breaking,
            out,
        );
    }
    errors(op, o, n, out);
    for code in n.error_codes.iter().filter(|c| !o.error_codes.contains(c)) {
        out.push(
            Level::Patch,
            format!("`{op}` documents error code `{code}`"),
        );
    }
    for code in o.error_codes.iter().filter(|c| !n.error_codes.contains(c)) {
        out.push(
            Level::Patch,
            format!("`{op}` no longer documents error code `{code}`"),
        );
    }
    match (&o.waiter, &n.waiter) {
        (None, Some(w)) => out.push(
            Level::Additive,
            format!("waiter `{w}` added (polls `{op}`)"),
        ),
        (Some(w), None) => out.push(Level::Breaking, format!("waiter `{w}` removed")),
        (Some(a), Some(b)) if a != b => {
            out.push(Level::Breaking, format!("waiter `{a}` renamed to `{b}`"))
        }
        _ => {}
    }
    if o.paginated != n.paginated {
        let (level, what) = if n.paginated {
            (Level::Additive, "now streams")
        } else {
            (Level::Breaking, "no longer streams")
        };
        out.push(level, format!("`{op}` {what} every item of every page"));
    }
}

fn params(op: &str, o: &OperationSummary, n: &OperationSummary, out: &mut Changes) {
    for p in &o.params {
        let Some(q) = n.params.iter().find(|q| q.name == p.name) else {
            out.push(
                Level::Breaking,
                format!("parameter `{}` of `{op}` removed", p.name),
            );
            continue;
        };
        if p.required != q.required {
            let now = if q.required {
                "required (a method argument)"
            } else {
                "optional (a builder setter)"
            };
            out.push(
                Level::Breaking,
                format!("parameter `{}` of `{op}` is now {now}", p.name),
            );
        }
        if p.ty != q.ty {
            out.push(
                Level::Breaking,
                format!(
                    "parameter `{}` of `{op}` is now `{}` (was `{}`)",
                    p.name, q.ty, p.ty
                ),
            );
        }
        if p.wire != q.wire {
            out.push(
                Level::Patch,
                format!(
                    "parameter `{}` of `{op}` is sent as {} (was {})",
                    p.name, q.wire, p.wire
                ),
            );
        }
    }
    for q in n
        .params
        .iter()
        .filter(|q| !o.params.iter().any(|p| p.name == q.name))
    {
        let (level, what) = if q.required {
            (Level::Breaking, "required parameter")
        } else {
            (Level::Additive, "optional parameter")
        };
        let how = if q.required {
            "a new method argument"
        } else {
            "a builder setter"
        };
        out.push(
            level,
            format!("{what} `{}` added to `{op}` ({how})", q.name),
        );
    }
    let args = |s: &OperationSummary| -> Vec<String> {
        s.params
            .iter()
            .filter(|p| p.required)
            .map(|p| p.name.clone())
            .collect()
    };
    let (a, b) = (args(o), args(n));
    let common = |v: &[String], other: &[String]| -> Vec<String> {
        v.iter().filter(|x| other.contains(x)).cloned().collect()
    };
    if common(&a, &b) != common(&b, &a) {
        out.push(
            Level::Breaking,
            format!(
                "the arguments of `{op}` are in a new order: {}",
                b.join(", ")
            ),
        );
    }
}

fn body(op: &str, o: &OperationSummary, n: &OperationSummary, out: &mut Changes) {
    match (&o.body, &n.body) {
        (None, None) => {}
        (None, Some(b)) => {
            let (level, how) = if b.required {
                (Level::Breaking, "required, a new method argument")
            } else {
                (Level::Additive, "optional, a builder setter")
            };
            out.push(
                level,
                format!("`{op}` takes a request body `{}` ({how})", b.ty),
            );
        }
        (Some(_), None) => out.push(
            Level::Breaking,
            format!("`{op}` no longer takes a request body"),
        ),
        (Some(a), Some(b)) => {
            if a.ty != b.ty || a.required != b.required || a.expanded != b.expanded {
                let req = |r: bool| if r { "required" } else { "optional" };
                out.push(
                    Level::Breaking,
                    format!(
                        "the request body of `{op}` is `{}`, {} (was `{}`, {})",
                        b.ty,
                        req(b.required),
                        a.ty,
                        req(a.required)
                    ),
                );
            }
            if a.encoding != b.encoding {
                out.push(
                    Level::Patch,
                    format!(
                        "the request body of `{op}` is sent as {} (was {})",
                        b.encoding, a.encoding
                    ),
                );
            }
        }
    }
}

fn errors(op: &str, o: &OperationSummary, n: &OperationSummary, out: &mut Changes) {
    if o.errors.is_empty() != n.errors.is_empty() {
        let what = if n.errors.is_empty() {
            "no longer documents error responses (its error type is `Infallible`)"
        } else {
            "documents error responses (its error type was `Infallible`)"
        };
        out.push(Level::Breaking, format!("`{op}` {what}"));
        return;
    }
    let enum_name = format!("the error enum of `{op}`");
    for (v, e) in &o.errors {
        match n.errors.get(v) {
            None => out.push(
                Level::Breaking,
                format!(
                    "error response `{v}` (status {}) removed from `{op}`",
                    e.status
                ),
            ),
            Some(f) if f.ty != e.ty => out.push(
                Level::Breaking,
                format!(
                    "error response `{v}` of `{op}` carries `{}` (was `{}`)",
                    f.ty, e.ty
                ),
            ),
            Some(f) if f.status != e.status => out.push(
                Level::Patch,
                format!(
                    "error response `{v}` of `{op}` covers status {} (was {})",
                    f.status, e.status
                ),
            ),
            Some(_) => {}
        }
    }
    for (v, e) in n.errors.iter().filter(|(v, _)| !o.errors.contains_key(*v)) {
        let (level, note) = added_variant_level(n.errors_non_exhaustive);
        out.push(
            level,
            format!(
                "error response `{v}` (status {}) added to `{op}` ({note})",
                e.status
            ),
        );
    }
    if o.errors_non_exhaustive != n.errors_non_exhaustive {
        exhaustiveness(&enum_name, n.errors_non_exhaustive, out);
    }
}

/// A variant added to an enum: additive when the enum is `#[non_exhaustive]`, otherwise a
/// `match` without a wildcard arm stops compiling.
fn added_variant_level(non_exhaustive: bool) -> (Level, &'static str) {
    if non_exhaustive {
        (Level::Additive, "the enum is non-exhaustive")
    } else {
        (
            Level::Breaking,
            "a new variant: a `match` without a `_` arm stops compiling",
        )
    }
}

fn exhaustiveness(what: &str, now: bool, out: &mut Changes) {
    if now {
        out.push(
            Level::Breaking,
            format!("`{what}` is now `#[non_exhaustive]`"),
        );
    } else {
        out.push(
            Level::Additive,
            format!("`{what}` is no longer `#[non_exhaustive]`"),
        );
    }
}

/// Variants of an enum, by Rust name → wire value or payload type; a changed value is
/// `changed_level`.
fn variants(
    name: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    non_exhaustive: bool,
    changed_level: Level,
    out: &mut Changes,
) {
    for (v, value) in old {
        match new.get(v) {
            None => out.push(Level::Breaking, format!("variant `{name}::{v}` removed")),
            Some(now) if now != value => out.push(
                changed_level,
                format!("variant `{name}::{v}` is `{now}` (was `{value}`)"),
            ),
            Some(_) => {}
        }
    }
    for v in new.keys().filter(|v| !old.contains_key(*v)) {
        let (level, note) = added_variant_level(non_exhaustive);
        out.push(level, format!("variant `{name}::{v}` added ({note})"));
    }
}

fn type_changes(name: &str, o: &TypeSummary, n: &TypeSummary, out: &mut Changes) {
    if o.kind != n.kind {
        out.push(
            Level::Breaking,
            format!("type `{name}` is now a {} (was a {})", n.kind, o.kind),
        );
        return;
    }
    if o.inner != n.inner {
        out.push(
            Level::Breaking,
            format!(
                "type `{name}` wraps `{}` (was `{}`)",
                n.inner.as_deref().unwrap_or("()"),
                o.inner.as_deref().unwrap_or("()")
            ),
        );
    }
    let changed_level = if n.kind == "enum" {
        Level::Patch
    } else {
        Level::Breaking
    };
    variants(
        name,
        &o.variants,
        &n.variants,
        n.non_exhaustive,
        changed_level,
        out,
    );
    if n.kind == "struct" {
        fields(name, o, n, out);
    }
    if o.non_exhaustive != n.non_exhaustive {
        exhaustiveness(name, n.non_exhaustive, out);
    }
}

fn fields(name: &str, o: &TypeSummary, n: &TypeSummary, out: &mut Changes) {
    for (f, of) in &o.fields {
        match n.fields.get(f) {
            None => out.push(Level::Breaking, format!("field `{name}.{f}` removed")),
            Some(nf) if nf.ty != of.ty => out.push(
                Level::Breaking,
                format!("field `{name}.{f}` is now `{}` (was `{}`)", nf.ty, of.ty),
            ),
            Some(nf) if nf.wire != of.wire => out.push(
                Level::Patch,
                format!(
                    "field `{name}.{f}` is sent as `{}` (was `{}`)",
                    nf.wire, of.wire
                ),
            ),
            Some(_) => {}
        }
    }
    for (f, nf) in n.fields.iter().filter(|(f, _)| !o.fields.contains_key(*f)) {
        let optional = nf.ty.starts_with("Option<") || nf.ty.starts_with("rt::Nullable<");
        let (level, note) = if n.non_exhaustive {
            (Level::Additive, "the struct is non-exhaustive")
        } else if optional && o.default && n.default {
            (Level::Additive, "optional; built with `Default`")
        } else if optional && o.constructor.is_some() && o.constructor == n.constructor {
            (Level::Additive, "optional; built with `new` and `with_*`")
        } else if optional {
            (
                Level::Breaking,
                "optional, but struct literals are the only way to build the type",
            )
        } else {
            (Level::Breaking, "required")
        };
        out.push(
            level,
            format!("field `{name}.{f}: {}` added ({note})", nf.ty),
        );
    }
    match (&o.constructor, &n.constructor) {
        (Some(a), Some(b)) if a != b => out.push(
            Level::Breaking,
            format!(
                "`{name}::new` takes ({}) (was ({}))",
                b.join(", "),
                a.join(", ")
            ),
        ),
        (Some(_), None) => out.push(Level::Breaking, format!("`{name}::new` removed")),
        (None, Some(b)) => out.push(
            Level::Additive,
            format!("`{name}::new({})` added", b.join(", ")),
        ),
        _ => {}
    }
    if o.default != n.default {
        let (level, what) = if n.default {
            (Level::Additive, "now implements")
        } else {
            (Level::Breaking, "no longer implements")
        };
        out.push(level, format!("`{name}` {what} `Default`"));
    }
}
