//! The API diff: one fixture pair per kind of change under tests/fixtures/diff, each
//! directory named `<change>--<verdict>` (`none` for no change), with the expected report
//! beside it in `expected.md`; and `regenerate` refusing an API change whose version bump is
//! too small, run on a temporary copy of the layout.
//!
//! To accept new reports: `UPDATE_SNAPSHOTS=1 cargo test -p cloudgen-tests --test api_diff`.

use std::path::{Path, PathBuf};

use cloudgen::diff::{diff, summarize, ApiChanges, Level, ModuleDiff};

fn fixture_dirs() -> Vec<PathBuf> {
    let dir = cloudgen_tests::repo_root().join("tests/fixtures/diff");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/diff exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn lower(path: &Path) -> cloudgen::diff::ApiSummary {
    let (api, _) = cloudgen::Generator::new()
        .module_name("pets")
        .lower_file(path)
        .unwrap_or_else(|d| panic!("{} lowers:\n{d}", path.display()));
    summarize(&api, "")
}

fn report(dir: &Path) -> ApiChanges {
    let changes = diff(&lower(&dir.join("old.yaml")), &lower(&dir.join("new.yaml")));
    let modules = if changes.is_empty() {
        Vec::new()
    } else {
        vec![ModuleDiff {
            module: "pets".to_string(),
            changes,
        }]
    };
    ApiChanges {
        old_version: None,
        new_version: String::new(),
        modules,
    }
}

#[test]
fn every_fixture_pair_gets_its_verdict_and_report() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut problems = Vec::new();
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 20, "only {} diff fixtures", dirs.len());
    for dir in dirs {
        let name = dir
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let (_, verdict) = name
            .rsplit_once("--")
            .unwrap_or_else(|| panic!("{name} is not named <change>--<verdict>"));
        let changes = report(&dir);
        let got = changes.level().map_or("none", Level::word);
        if got != verdict {
            problems.push(format!(
                "{name}: verdict {got}, expected {verdict}:\n{}",
                changes.render()
            ));
        }
        let expected_path = dir.join("expected.md");
        let text = changes.render();
        if update {
            std::fs::write(&expected_path, &text).expect("expected.md is writable");
        } else if std::fs::read_to_string(&expected_path).ok().as_deref() != Some(text.as_str()) {
            problems.push(format!("{name}: report differs from expected.md:\n{text}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\nIf the change is intended, run: UPDATE_SNAPSHOTS=1 cargo test -p cloudgen-tests --test api_diff",
        problems.join("\n\n")
    );
}

#[test]
fn every_level_has_a_fixture() {
    let names: Vec<String> = fixture_dirs()
        .iter()
        .map(|d| {
            d.file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for verdict in ["none", "patch", "additive", "breaking"] {
        assert!(
            names.iter().any(|n| n.ends_with(&format!("--{verdict}"))),
            "no fixture with the verdict {verdict}"
        );
    }
}

/// A temporary project layout: `specs/pets.yaml` only.
struct Layout(PathBuf);

impl Layout {
    fn new(tag: &str) -> Layout {
        let root =
            std::env::temp_dir().join(format!("cloudgen-api-diff-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("specs")).expect("a temporary folder");
        Layout(root)
    }

    fn spec(&self, fixture: &str, which: &str) {
        let from = cloudgen_tests::repo_root()
            .join("tests/fixtures/diff")
            .join(fixture)
            .join(which);
        std::fs::copy(from, self.0.join("specs/pets.yaml")).expect("the fixture copies");
    }

    fn regenerate(&self, check: bool, version: &str) -> Result<cloudgen::Regenerated, String> {
        let template = cloudgen::templates::CARGO_TOML.replacen(
            &format!("version = \"{}\"", current_version()),
            &format!("version = \"{version}\""),
            1,
        );
        assert!(template.contains(&format!("version = \"{version}\"")));
        cloudgen::regenerate_with(&self.0, check, &template).map_err(|e| e.to_string())
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.0.join(rel)).unwrap_or_default()
    }
}

impl Drop for Layout {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn current_version() -> String {
    cloudgen::diff::package_version(cloudgen::templates::CARGO_TOML)
        .expect("the template has a version")
}

#[test]
fn regenerate_refuses_an_unbumped_breaking_change_and_takes_a_bumped_one() {
    let layout = Layout::new("breaking");
    layout.spec("operation_removed--breaking", "old.yaml");
    let first = layout
        .regenerate(false, "0.4.2")
        .expect("the first regenerate writes");
    assert!(first.changes.modules.is_empty());
    assert!(layout
        .read("generated/api/pets.json")
        .contains("\"get_pet\""));
    let changelog = layout.read("generated/CHANGELOG.md");
    assert!(
        changelog.contains("## 0.4.2\n\nThe first generated version:\n\n- `pets`: 3 operations"),
        "{changelog}"
    );

    layout.spec("operation_removed--breaking", "new.yaml");
    for (check, version) in [
        (true, "0.4.2"),
        (false, "0.4.2"),
        (true, "0.4.3"),
        (false, "0.4.9"),
    ] {
        let err = layout.regenerate(check, version).err().unwrap_or_else(|| {
            panic!("an unbumped breaking change passes (check {check}, {version})")
        });
        assert!(
            err.contains("breaking: operation `get_pet` removed (GET /pets/{petId})"),
            "{err}"
        );
        assert!(err.contains("set it to 0.5.0 or later"), "{err}");
    }
    // Nothing was written by the refused runs.
    assert!(layout
        .read("generated/api/pets.json")
        .contains("\"get_pet\""));

    let bumped = layout
        .regenerate(false, "0.5.0")
        .expect("a minor bump allows a breaking change");
    assert_eq!(bumped.changes.level(), Some(Level::Breaking));
    let changelog = layout.read("generated/CHANGELOG.md");
    let new_section = changelog.find("## 0.5.0").expect("a 0.5.0 section");
    let old_section = changelog
        .find("## 0.4.2")
        .expect("the 0.4.2 section is kept");
    assert!(new_section < old_section, "newest first:\n{changelog}");
    assert!(changelog.contains("## 0.5.0\n\nVerdict: breaking.\n\n### `pets`\n\n- breaking: operation `get_pet` removed"), "{changelog}");

    // Regenerating again changes nothing and the check is clean.
    let again = layout
        .regenerate(false, "0.5.0")
        .expect("regenerate runs again");
    assert!(
        again.report.changed.is_empty(),
        "{:?}",
        again.report.changed
    );
    assert!(again.changes.modules.is_empty());
    let check = layout.regenerate(true, "0.5.0").expect("the check runs");
    assert!(check.report.is_fresh());
}

#[test]
fn an_additive_change_needs_a_patch_bump() {
    let layout = Layout::new("additive");
    layout.spec("operation_added--additive", "old.yaml");
    layout
        .regenerate(false, "0.4.2")
        .expect("the first regenerate writes");
    layout.spec("operation_added--additive", "new.yaml");
    let err = layout
        .regenerate(true, "0.4.2")
        .expect_err("an unbumped additive change fails");
    assert!(err.contains("set it to 0.4.3 or later"), "{err}");
    let ok = layout
        .regenerate(false, "0.4.3")
        .expect("a patch bump allows it");
    assert_eq!(ok.changes.level(), Some(Level::Additive));
    assert!(layout
        .read("generated/CHANGELOG.md")
        .contains("- additive: operation `get_pet_photo` added (GET /pets/{petId}/photo)"));
}

#[test]
fn a_version_bump_without_an_api_change_gets_a_section_too() {
    let layout = Layout::new("bump");
    layout.spec("no_change--none", "old.yaml");
    layout
        .regenerate(false, "0.4.2")
        .expect("the first regenerate writes");
    let lowered = layout
        .regenerate(false, "0.4.1")
        .expect_err("a lower version fails");
    assert!(lowered.contains("lower than 0.4.2"), "{lowered}");
    layout
        .regenerate(false, "0.4.3")
        .expect("a bump without changes runs");
    assert!(layout
        .read("generated/CHANGELOG.md")
        .contains("## 0.4.3\n\nNo change to the generated API.\n"));
}

#[test]
fn the_committed_changelog_and_summaries_are_the_tools_output() {
    let root = cloudgen_tests::repo_root();
    let changelog = std::fs::read_to_string(root.join("generated/CHANGELOG.md"))
        .expect("generated/CHANGELOG.md exists");
    assert!(
        changelog.contains(&format!("\n## {}\n", current_version())),
        "{changelog}"
    );
    for spec in cloudgen::generator::spec_files(&root).expect("specs/ lists") {
        let (api, _) = cloudgen::Generator::new()
            .lower_file(&spec)
            .expect("the spec lowers");
        let committed =
            std::fs::read_to_string(root.join(format!("generated/api/{}.json", api.module)))
                .expect("each module has a committed summary");
        assert_eq!(
            committed,
            cloudgen::diff::summary::to_json(&summarize(&api, &current_version()))
        );
    }
}
