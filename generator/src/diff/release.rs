//! The semver verdict and the changelog: what `regenerate` does with an API diff.

use std::fmt::Write as _;
use std::path::Path;

use super::compare::{diff_modules, Level, ModuleDiff};
use super::summary::{summarize, to_json, ApiSummary};
use crate::ir::Api;

/// Where `regenerate` keeps the API summaries, one `<module>.json` each.
pub const SUMMARY_DIR: &str = "generated/api";

/// The changelog of the generated crate.
pub const CHANGELOG_PATH: &str = "generated/CHANGELOG.md";

/// A `MAJOR.MINOR.PATCH` version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    /// Parses `1.2.3`; anything else (a pre-release, two parts) is `None`.
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text.trim().split('.').map(|p| p.parse::<u64>().ok());
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(Some(a)), Some(Some(b)), Some(Some(c)), None) => Some(Version(a, b, c)),
            _ => None,
        }
    }

    /// The smallest version that may follow this one after changes of `level`: in 0.x a
    /// breaking change needs a minor bump and anything else a patch bump; from 1.0 a
    /// breaking change needs a major bump, an additive one a minor bump, a patch one a patch.
    pub fn next(self, level: Level) -> Version {
        let Version(major, minor, patch) = self;
        match (major, level) {
            (0, Level::Breaking) => Version(0, minor + 1, 0),
            (0, _) | (_, Level::Patch) => Version(major, minor, patch + 1),
            (_, Level::Additive) => Version(major, minor + 1, 0),
            (_, Level::Breaking) => Version(major + 1, 0, 0),
        }
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The `version` of the `[package]` of a Cargo.toml text.
pub fn package_version(cargo_toml: &str) -> Option<String> {
    let mut in_package = false;
    for line in cargo_toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        let Some(rest) = line.strip_prefix("version") else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        if in_package {
            return Some(value.trim().trim_matches('"').to_string());
        }
    }
    None
}

/// What the API did between the committed summaries and this generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiChanges {
    /// The crate version of the committed summaries (`None`: there were none).
    pub old_version: Option<String>,
    /// The crate version now.
    pub new_version: String,
    /// The changes, per module with any.
    pub modules: Vec<ModuleDiff>,
}

impl ApiChanges {
    /// The verdict: the highest level of any change.
    pub fn level(&self) -> Option<Level> {
        self.modules.iter().filter_map(ModuleDiff::level).max()
    }

    /// The changes as Markdown: a verdict line, then a `### module` list per module.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let Some(level) = self.level() else {
            return "No change to the generated API.\n".to_string();
        };
        let _ = writeln!(out, "Verdict: {}.", level.word());
        for m in &self.modules {
            let _ = write!(out, "\n### `{}`\n\n", m.module);
            for c in &m.changes {
                let _ = writeln!(out, "- {}: {}", c.level.word(), c.text);
            }
        }
        out
    }

    /// Whether `new_version` is enough for the changes; the error says which version is.
    pub fn check_version(&self) -> Result<(), String> {
        let Some(old) = &self.old_version else {
            return Ok(());
        };
        let parse = |v: &str| {
            Version::parse(v).ok_or_else(|| {
                format!(
                    "cloudapi version `{v}` is not MAJOR.MINOR.PATCH; the semver check needs one"
                )
            })
        };
        let (old_v, new_v) = (parse(old)?, parse(&self.new_version)?);
        if new_v < old_v {
            return Err(format!(
                "cloudapi version {new_v} in templates/Cargo.toml.tmpl is lower than {old_v}, the version of the committed API in {SUMMARY_DIR}/"
            ));
        }
        let Some(level) = self.level() else {
            return Ok(());
        };
        let needed = old_v.next(level);
        if new_v >= needed {
            return Ok(());
        }
        Err(format!(
            "the generated API changed ({} changes) since cloudapi {old_v}, but the version in templates/Cargo.toml.tmpl is {new_v}: set it to {needed} or later, then regenerate",
            level.word()
        ))
    }
}

/// Reads the committed summaries under `root/generated/api`, in module order.
pub fn read_summaries(root: &Path) -> Result<Vec<ApiSummary>, String> {
    read_summary_dir(&root.join(SUMMARY_DIR))
}

/// Reads the summaries (`MODULE.json`) in `dir`, in module order; none when `dir` is missing.
pub fn read_summary_dir(dir: &Path) -> Result<Vec<ApiSummary>, String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            serde_json::from_str(&text).map_err(|e| {
                format!(
                    "{} is not an API summary ({e}); restore it from git, or delete it to start the changelog afresh",
                    p.display()
                )
            })
        })
        .collect()
}

/// The files `regenerate` writes about the API (one summary per module and the changelog),
/// and the changes, or the refusal when `cargo_toml`'s version is not bumped enough.
pub fn api_files(
    root: &Path,
    apis: &[&Api],
    cargo_toml: &str,
) -> Result<(Vec<(String, String)>, ApiChanges), String> {
    let version =
        package_version(cargo_toml).ok_or("templates/Cargo.toml.tmpl has no [package] version")?;
    let old = read_summaries(root)?;
    let new: Vec<ApiSummary> = apis.iter().map(|a| summarize(a, &version)).collect();
    // Without committed summaries there is nothing to compare with: the first version.
    let changes = ApiChanges {
        old_version: old
            .iter()
            .map(|s| s.crate_version.clone())
            .max_by_key(|v| Version::parse(v)),
        new_version: version.clone(),
        modules: if old.is_empty() {
            Vec::new()
        } else {
            diff_modules(&old, &new)
        },
    };
    if let Err(e) = changes.check_version() {
        return Err(format!("{}\n{e}", changes.render()));
    }
    let mut files: Vec<(String, String)> = new
        .iter()
        .map(|s| (format!("{SUMMARY_DIR}/{}.json", s.module), to_json(s)))
        .collect();
    let existing = std::fs::read_to_string(root.join(CHANGELOG_PATH)).ok();
    let section = match &changes.old_version {
        None => first_section(&new),
        Some(old) if *old != version => changes.render(),
        Some(_) => String::new(),
    };
    files.push((
        CHANGELOG_PATH.to_string(),
        changelog(existing.as_deref(), &version, &section),
    ));
    Ok((files, changes))
}

fn first_section(new: &[ApiSummary]) -> String {
    let mut out = "The first generated version:\n\n".to_string();
    for s in new {
        let _ = writeln!(
            out,
            "- `{}`: {} operations, {} types (spec version {})",
            s.module,
            s.operations.len(),
            s.types.len(),
            s.spec_version
        );
    }
    out
}

const CHANGELOG_HEADER: &str = "# Changelog of cloudapi

<!-- @generated by `cargo run -p cloudgen -- regenerate` from the API summaries in api/. Do not edit by hand. -->

Every version's changes to the generated Rust API, per module, as `cloudgen regenerate`
finds them by comparing the API summaries in `api/` with the new ones. Each change is
classified: **breaking** (code written against the previous version may stop compiling),
**additive** (new items; old code still compiles) or **patch** (only what travels on the
wire changes). `regenerate` refuses to run unless the version in
`templates/Cargo.toml.tmpl` is bumped enough: in 0.x, a minor bump for a breaking change
and a patch bump for any other.
";

/// The changelog: `existing`'s sections, under a new `## version` section holding `section`
/// unless that is empty or the version has a section already.
pub fn changelog(existing: Option<&str>, version: &str, section: &str) -> String {
    let sections = existing
        .and_then(|text| text.find("\n## ").map(|i| &text[i + 1..]))
        .unwrap_or("");
    let has_section = sections
        .lines()
        .any(|l| l.strip_prefix("## ").is_some_and(|v| v.trim() == version));
    let mut out = CHANGELOG_HEADER.to_string();
    if !section.is_empty() && !has_section {
        let _ = write!(out, "\n## {version}\n\n{}", section.trim_end());
        out.push('\n');
    }
    if !sections.is_empty() {
        out.push('\n');
        out.push_str(sections.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_version_follows_cargo_semver() {
        let v = |s| Version::parse(s).expect("a version");
        assert_eq!(v("0.1.0").next(Level::Breaking), v("0.2.0"));
        assert_eq!(v("0.1.7").next(Level::Additive), v("0.1.8"));
        assert_eq!(v("0.1.7").next(Level::Patch), v("0.1.8"));
        assert_eq!(v("1.2.3").next(Level::Breaking), v("2.0.0"));
        assert_eq!(v("1.2.3").next(Level::Additive), v("1.3.0"));
        assert_eq!(v("1.2.3").next(Level::Patch), v("1.2.4"));
        assert_eq!(Version::parse("1.2"), None);
        assert_eq!(Version::parse("1.2.3-beta.1"), None);
        assert_eq!(Version::parse("1.2.3.4"), None);
    }

    #[test]
    fn the_package_version_is_read_from_the_package_section_only() {
        let toml =
            "[dependencies]\nversion = \"9.9.9\"\n[package]\nname = \"x\"\nversion = \"0.3.1\"\n";
        assert_eq!(package_version(toml).as_deref(), Some("0.3.1"));
        assert_eq!(package_version("[package]\nname = \"x\"\n"), None);
    }

    #[test]
    fn the_changelog_puts_the_newest_section_first_and_never_twice() {
        let first = changelog(None, "0.1.0", "First.\n");
        assert!(first.starts_with(CHANGELOG_HEADER));
        assert!(first.ends_with("\n## 0.1.0\n\nFirst.\n"), "{first}");
        let second = changelog(Some(&first), "0.2.0", "Second.\n");
        let (a, b) = (second.find("## 0.2.0"), second.find("## 0.1.0"));
        assert!(a.is_some() && a < b, "{second}");
        assert_eq!(changelog(Some(&second), "0.2.0", "Again.\n"), second);
        assert_eq!(changelog(Some(&second), "0.2.0", ""), second);
    }

    fn changes(old: &str, new: &str, level: Option<Level>) -> ApiChanges {
        let modules = level
            .map(|level| {
                vec![ModuleDiff {
                    module: "m".to_string(),
                    changes: vec![super::super::Change {
                        level,
                        text: "x".to_string(),
                    }],
                }]
            })
            .unwrap_or_default();
        ApiChanges {
            old_version: Some(old.to_string()),
            new_version: new.to_string(),
            modules,
        }
    }

    #[test]
    fn the_version_check_wants_the_bump_the_verdict_needs() {
        assert!(changes("0.1.0", "0.1.0", None).check_version().is_ok());
        assert!(changes("0.1.0", "0.1.0", Some(Level::Patch))
            .check_version()
            .is_err());
        assert!(changes("0.1.0", "0.1.1", Some(Level::Additive))
            .check_version()
            .is_ok());
        let err = changes("0.1.0", "0.1.1", Some(Level::Breaking)).check_version();
        assert!(err.is_err_and(|e| e.contains("set it to 0.2.0 or later")));
        assert!(changes("0.1.0", "1.0.0", Some(Level::Breaking))
            .check_version()
            .is_ok());
        assert!(changes("0.2.0", "0.1.9", None).check_version().is_err());
        assert!(changes("0.1", "0.2.0", Some(Level::Patch))
            .check_version()
            .is_err());
    }
}
