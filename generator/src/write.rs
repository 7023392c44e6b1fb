//! Phase 5: text to files, touching only files whose bytes changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files to write, by path relative to an output root, in path order.
#[derive(Debug, Clone, Default)]
pub struct FileSet {
    /// Relative path → contents.
    pub files: BTreeMap<PathBuf, String>,
}

/// What a write (or a check) found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Files whose contents differ from what is on disk (written unless checking).
    pub changed: Vec<PathBuf>,
    /// Files on disk under a managed folder that the generator no longer produces.
    pub extra: Vec<PathBuf>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl WriteReport {
    /// True when nothing is stale.
    pub fn is_fresh(&self) -> bool {
        self.changed.is_empty() && self.extra.is_empty()
    }
}

impl FileSet {
    /// Adds a file.
    pub fn add(&mut self, path: impl Into<PathBuf>, contents: String) {
        self.files.insert(path.into(), contents);
    }

    /// Compares with `root` and, unless `check`, writes what changed and removes
    /// extra `.rs` and `.json` files under `managed` folders.
    pub fn sync(&self, root: &Path, managed: &[&str], check: bool) -> std::io::Result<WriteReport> {
        let mut report = WriteReport::default();
        for (rel, contents) in &self.files {
            let path = root.join(rel);
            match std::fs::read(&path) {
                Ok(existing) if existing == contents.as_bytes() => report.unchanged += 1,
                _ => {
                    report.changed.push(rel.clone());
                    if !check {
                        if let Some(parent) = path.parent() {
                            std::fs::create_dir_all(parent)?;
                        }
                        std::fs::write(&path, contents)?;
                    }
                }
            }
        }
        for dir in managed {
            let mut stack = vec![root.join(dir)];
            while let Some(d) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&d) else {
                    continue;
                };
                let mut entries: Vec<_> =
                    entries.filter_map(Result::ok).map(|e| e.path()).collect();
                entries.sort();
                for p in entries {
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|e| e == "rs" || e == "json") {
                        let rel = p.strip_prefix(root).unwrap_or(&p).to_path_buf();
                        if !self.files.contains_key(&rel) {
                            report.extra.push(rel);
                            if !check {
                                std::fs::remove_file(&p)?;
                            }
                        }
                    }
                }
            }
        }
        Ok(report)
    }
}
