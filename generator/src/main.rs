//! The `cloudgen` command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// OpenAPI 3.0 and 3.1 to typed async Rust clients.
#[derive(Parser)]
#[command(name = "cloudgen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerates generated/ from every spec in specs/.
    Regenerate {
        /// Write nothing; exit 1 and list the stale files if generated/ is out of date.
        #[arg(long)]
        check: bool,
        /// The project root (default: the nearest folder upwards holding specs/ and Cargo.toml).
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Generates one Rust module from a spec; it uses the cloudgen-runtime crate unless
    /// --inline-runtime copies the runtime into it.
    Generate {
        /// The spec (YAML or JSON).
        spec: PathBuf,
        /// The output file.
        #[arg(short, long)]
        out: PathBuf,
        /// The module name (default: x-cloudgen-module or the file stem).
        #[arg(long)]
        module: Option<String>,
        /// Copy the runtime into the module (its dependencies are then the crate's own:
        /// reqwest, serde, ...) instead of using the cloudgen-runtime crate.
        #[arg(long)]
        inline_runtime: bool,
    },
    /// Prints what changes for users of the generated module from one spec to another,
    /// each change classified (breaking, additive, patch), and the verdict. Given two
    /// directories of API summaries (`generated/api/` of two commits), it compares every
    /// module in them.
    Diff {
        /// The old spec (YAML or JSON), or a directory of API summaries.
        old: PathBuf,
        /// The new spec, or a directory of API summaries.
        new: PathBuf,
        /// The module name (default: x-cloudgen-module or the file stem of each).
        #[arg(long)]
        module: Option<String>,
    },
    /// Checks a spec and prints its diagnostics without generating.
    Check {
        /// The spec (YAML or JSON).
        spec: PathBuf,
    },
}

fn find_root() -> Option<PathBuf> {
    let mut dir = std::env::current_dir().ok()?;
    loop {
        if dir.join("specs").is_dir() && dir.join("Cargo.toml").is_file() {
            return Some(dir);
        }
        if !dir.pop() {
            return None;
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Regenerate { check, root } => {
            let Some(root) = root.or_else(find_root) else {
                eprintln!("error: no project root found (a folder with specs/ and Cargo.toml); pass --root");
                return ExitCode::from(2);
            };
            match cloudgen::regenerate_with(&root, check, None) {
                Ok(cloudgen::Regenerated {
                    report,
                    warnings,
                    changes,
                }) => {
                    if !warnings.is_empty() {
                        eprintln!("{warnings}");
                    }
                    if changes.level().is_some() {
                        println!("{}", changes.render());
                    }
                    if check {
                        if report.is_fresh() {
                            println!("generated/ is up to date ({} files)", report.unchanged);
                            ExitCode::SUCCESS
                        } else {
                            eprintln!("generated/ is stale; run `cargo run -p cloudgen -- regenerate`. Stale files:");
                            for f in report.changed.iter().chain(report.extra.iter()) {
                                eprintln!("  {}", f.display());
                            }
                            ExitCode::from(1)
                        }
                    } else {
                        println!(
                            "wrote {} file(s), removed {}, {} unchanged",
                            report.changed.len(),
                            report.extra.len(),
                            report.unchanged
                        );
                        ExitCode::SUCCESS
                    }
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Generate {
            spec,
            out,
            module,
            inline_runtime,
        } => {
            let mut g = cloudgen::Generator::new()
                .inline_runtime(inline_runtime)
                .generated_by(format!("cloudgen generate {}", spec.display()));
            if let Some(m) = module {
                g = g.module_name(m);
            }
            match g.generate_full(&spec) {
                Ok(generated) => {
                    if !generated.warnings.is_empty() {
                        eprintln!("{}", generated.warnings);
                    }
                    if let Err(e) = write_if_changed(&out, &generated.code) {
                        eprintln!("error: cannot write {}: {e}", out.display());
                        return ExitCode::from(1);
                    }
                    ExitCode::SUCCESS
                }
                Err(d) => {
                    eprintln!("{d}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Diff { old, new, module } => diff(&old, &new, module),
        Command::Check { spec } => match cloudgen::Generator::new().lower_file(&spec) {
            Ok((api, warnings)) => {
                if !warnings.is_empty() {
                    eprintln!("{warnings}");
                }
                println!(
                    "{}: {} operations, {} types, no errors",
                    spec.display(),
                    api.operations.len(),
                    api.types.len()
                );
                ExitCode::SUCCESS
            }
            Err(d) => {
                eprintln!("{d}");
                ExitCode::from(1)
            }
        },
    }
}

/// `cloudgen diff OLD NEW`: exit 0 after printing the changes, 1 when a spec has errors.
fn diff(old: &Path, new: &Path, module: Option<String>) -> ExitCode {
    if old.is_dir() && new.is_dir() {
        return diff_summaries(old, new);
    }
    let mut g = cloudgen::Generator::new();
    if let Some(m) = module {
        g = g.module_name(m);
    }
    let mut summaries = Vec::new();
    for spec in [old, new] {
        match g.lower_file(spec) {
            Ok((api, _)) => summaries.push(cloudgen::diff::summarize(&api, "")),
            Err(d) => {
                eprintln!("{d}");
                return ExitCode::from(1);
            }
        }
    }
    // The two specs are one module, whatever their file names.
    let name = summaries[1].module.clone();
    summaries[0].module.clone_from(&name);
    let changes = cloudgen::diff::ApiChanges {
        old_version: None,
        new_version: String::new(),
        modules: cloudgen::diff::diff_modules(&summaries[..1], &summaries[1..]),
    };
    print!("{}", changes.render());
    ExitCode::SUCCESS
}

/// `cloudgen diff OLD_DIR NEW_DIR`: the API summaries of two commits, every module.
fn diff_summaries(old: &Path, new: &Path) -> ExitCode {
    let read = |dir: &Path| cloudgen::diff::read_summary_dir(dir);
    let (old, new) = match (read(old), read(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    let changes = cloudgen::diff::ApiChanges {
        old_version: old.first().map(|s| s.crate_version.clone()),
        new_version: new
            .first()
            .map(|s| s.crate_version.clone())
            .unwrap_or_default(),
        modules: cloudgen::diff::diff_modules(&old, &new),
    };
    print!("{}", changes.render());
    ExitCode::SUCCESS
}

fn write_if_changed(path: &Path, text: &str) -> std::io::Result<()> {
    // Compare only with a regular file: reading `/dev/stdout` or a pipe would block.
    let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
    if regular && std::fs::read(path).is_ok_and(|b| b == text.as_bytes()) {
        return Ok(());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, text)
}
