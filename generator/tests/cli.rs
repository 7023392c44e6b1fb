//! The `cloudgen` binary as a user runs it: exit codes and what it prints.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the generator crate lives one level below it).
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the generator crate lives one level below the repository root")
        .to_path_buf()
}

/// Runs `cloudgen ARGS` in the repository root.
fn cloudgen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cloudgen"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("the cloudgen binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A fresh, empty folder for one test under cargo's per-target temporary directory. The
/// process id keeps concurrent test runs sharing a target directory apart.
fn scratch_dir(name: &str) -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{name}-{}", std::process::id()));
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("the old scratch folder can be removed");
    }
    std::fs::create_dir_all(&dir).expect("the scratch folder can be created");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("the target folder can be created");
    for entry in std::fs::read_dir(from).expect("the source folder is readable") {
        let entry = entry.expect("a directory entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("the file can be copied");
        }
    }
}

#[test]
fn regenerate_check_succeeds_on_the_repository() {
    let out = cloudgen(&["regenerate", "--check"]);
    assert!(
        out.status.success(),
        "regenerate --check failed ({}):\nstdout:\n{}\nstderr:\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).starts_with("generated/ is up to date"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn regenerate_check_exits_1_and_names_the_stale_file_without_writing() {
    let root = scratch_dir("stale");
    copy_dir(&repo_root().join("specs"), &root.join("specs"));
    copy_dir(&repo_root().join("generated"), &root.join("generated"));
    copy_dir(&repo_root().join("templates"), &root.join("templates"));
    std::fs::copy(repo_root().join("Cargo.toml"), root.join("Cargo.toml"))
        .expect("Cargo.toml can be copied");
    let stale = root.join("generated/src/lib.rs");
    let edited = format!(
        "{}\n// edited by hand\n",
        std::fs::read_to_string(&stale).expect("generated/src/lib.rs exists")
    );
    std::fs::write(&stale, &edited).expect("the copy is writable");

    let root_arg = root.to_str().expect("the scratch path is UTF-8");
    let out = cloudgen(&["regenerate", "--check", "--root", root_arg]);

    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stderr:\n{stderr}");
    assert!(
        stderr.contains("generated/ is stale; run `cargo run -p cloudgen -- regenerate`"),
        "{stderr}"
    );
    assert!(
        stderr.lines().any(|l| l.trim() == "generated/src/lib.rs"),
        "the stale file is not named:\n{stderr}"
    );
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("  ")).count(),
        1,
        "only the edited file is stale:\n{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&stale).expect("the file is still there"),
        edited,
        "--check must not write"
    );
    std::fs::remove_dir_all(&root).expect("the scratch folder can be removed");
}

#[test]
fn check_on_a_broken_spec_exits_1_and_prints_the_located_diagnostic() {
    let out = cloudgen(&["check", "tests/fixtures/broken/ref_missing_schema.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "error[unresolved-ref]: `$ref: #/components/schemas/Servr` points at nothing\n  \
         --> tests/fixtures/broken/ref_missing_schema.yaml:19:17 at \
         /paths/~1servers/get/responses/200/content/application~1json/schema/$ref\n  \
         = hint: did you mean `Server`? Otherwise define `Servr` under components/schemas\n\
         1 error(s), 0 warning(s)\n"
    );
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn check_on_a_valid_spec_exits_0_and_summarises_it() {
    let out = cloudgen(&["check", "tests/fixtures/path_parameters.yaml"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("tests/fixtures/path_parameters.yaml: ") && stdout.contains("no errors"),
        "{stdout}"
    );
}

#[test]
fn generate_writes_a_module_that_starts_with_the_generated_line() {
    let dir = scratch_dir("generate");
    let out_file = dir.join("nested/petstore.rs");
    let out_arg = out_file.to_str().expect("the scratch path is UTF-8");
    let out = cloudgen(&[
        "generate",
        "tests/fixtures/path_parameters.yaml",
        "-o",
        out_arg,
        "--module",
        "petstore",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let code = std::fs::read_to_string(&out_file).expect("generate wrote the file");
    let first = code.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "// @generated by `cloudgen generate tests/fixtures/path_parameters.yaml` from \
         tests/fixtures/path_parameters.yaml. Do not edit by hand."
    );
    assert!(code.contains("pub mod petstore {"), "the module is named");
    assert!(
        code.contains("use ::cloudgen_runtime as rt;") && !code.contains("pub mod runtime {"),
        "the module uses the runtime crate"
    );

    let inline_file = dir.join("inline.rs");
    let inline_arg = inline_file.to_str().expect("the scratch path is UTF-8");
    let out = cloudgen(&[
        "generate",
        "tests/fixtures/path_parameters.yaml",
        "-o",
        inline_arg,
        "--inline-runtime",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let code = std::fs::read_to_string(&inline_file).expect("generate wrote the file");
    assert!(
        code.contains("use self::runtime as rt;") && code.contains("pub mod runtime {"),
        "the runtime is inlined"
    );
    assert!(
        !code.contains("cloudgen_runtime"),
        "and the crate is not named"
    );
    std::fs::remove_dir_all(&dir).expect("the scratch folder can be removed");
}

#[test]
fn generate_on_a_broken_spec_exits_1_and_writes_nothing() {
    let dir = scratch_dir("generate-broken");
    let out_file = dir.join("broken.rs");
    let out_arg = out_file.to_str().expect("the scratch path is UTF-8");
    let out = cloudgen(&[
        "generate",
        "tests/fixtures/broken/invalid_type.yaml",
        "-o",
        out_arg,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("error[unknown-type]: unknown schema type `strng`"),
        "{}",
        text(&out.stderr)
    );
    assert!(!out_file.exists(), "nothing is written for a broken spec");
    std::fs::remove_dir_all(&dir).expect("the scratch folder can be removed");
}

#[test]
fn diff_of_two_summary_folders_compares_every_module() {
    let dir = scratch_dir("diff-summaries");
    let (old, new) = (dir.join("old"), dir.join("new"));
    copy_dir(&repo_root().join("generated/api"), &old);
    copy_dir(&repo_root().join("generated/api"), &new);

    let same = cloudgen(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert!(same.status.success(), "{}", text(&same.stderr));
    assert_eq!(text(&same.stdout), "No change to the generated API.\n");

    // An operation gone from one module is a breaking change of that module.
    let path = new.join("upcloud.json");
    let mut summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let operations = summary["operations"].as_object_mut().unwrap();
    let first = operations.keys().next().unwrap().clone();
    operations.remove(&first);
    std::fs::write(&path, summary.to_string()).unwrap();
    let out = cloudgen(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(stdout.starts_with("Verdict: breaking.\n"), "{stdout}");
    assert!(stdout.contains("### `upcloud`"), "{stdout}");
    assert!(
        stdout.contains(&format!("operation `{first}` removed")),
        "{stdout}"
    );
    assert!(!stdout.contains("### `transip`"), "{stdout}");

    // A file that is not a summary is named.
    std::fs::write(new.join("upcloud.json"), "{}").unwrap();
    let bad = cloudgen(&["diff", old.to_str().unwrap(), new.to_str().unwrap()]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stderr).contains("upcloud.json is not an API summary"));
}
