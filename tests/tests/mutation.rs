//! Property-style robustness test (a bounded, deterministic stand-in for
//! fuzzing): every fixture spec, mutated with a seeded generator (lines deleted,
//! duplicated, swapped or re-indented, scalars replaced, the text truncated),
//! must go through load + lower + emit + format without a panic. The result
//! may be code or diagnostics; a crash is the only failure.
//!
//! A failing mutant is written to `target/mutants/` so it can be turned into a
//! fixture.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use cloudgen_tests::{fixture_specs, repo_root};

/// Total mutants across all fixture specs.
const MUTANTS: usize = 2000;
const SEED: u64 = 0x5eed_c10d_9e11;

/// splitmix64: the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Values a mutated scalar may take: wrong types, empty values, odd numbers,
/// references that point nowhere or somewhere surprising, YAML specials.
const SCALARS: &[&str] = &[
    "",
    "null",
    "~",
    "true",
    "-1",
    "0",
    "1e400",
    "99999999999999999999999",
    "[]",
    "{}",
    "[1, \"a\", null]",
    "\"\"",
    "'#/components/schemas/'",
    "'#/components/schemas/Nope'",
    "'#/'",
    "'#'",
    "'#/paths'",
    "'#/components/schemas/{name}'",
    "'other.yaml#/x'",
    "string",
    "object",
    "array",
    "integer",
    "\"{id}\"",
    "/{a}/{a}",
    "\"\\u0000\"",
    "\"日本語\"",
    "\"self\"",
    "\"type\"",
    "\"200\"",
    "default",
    "&a x",
    "*a",
    "!!binary aGVsbG8=",
    ".nan",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        if lines.is_empty() {
            break;
        }
        let i = rng.below(lines.len());
        match rng.below(8) {
            0 => {
                lines.remove(i);
            }
            1 => {
                let l = lines[i].clone();
                lines.insert(i, l);
            }
            2 => {
                let j = rng.below(lines.len());
                lines.swap(i, j);
            }
            3 | 4 => {
                // Replace the value after the first `: ` (or the whole line's item).
                let scalar = SCALARS[rng.below(SCALARS.len())];
                let l = &lines[i];
                if let Some(at) = l.find(": ") {
                    lines[i] = format!("{}: {scalar}", &l[..at]);
                } else if let Some(at) = l.find("- ") {
                    lines[i] = format!("{}- {scalar}", &l[..at]);
                } else {
                    lines[i] = format!("{l} {scalar}");
                }
            }
            5 => {
                // Re-indent by -2..=+2 spaces.
                let l = lines[i].trim_start().to_string();
                let indent = lines[i].len() - l.len();
                let new = (indent as isize + rng.below(5) as isize - 2).max(0) as usize;
                lines[i] = format!("{}{l}", " ".repeat(new));
            }
            6 => {
                // Copy a line from elsewhere (often a key into the wrong mapping).
                let j = rng.below(lines.len());
                let l = lines[j].clone();
                lines.insert(i, l);
            }
            _ => {
                // Truncate at a character boundary.
                let joined = lines.join("\n");
                let cut = rng.below(joined.len() + 1);
                let cut = (0..=cut)
                    .rev()
                    .find(|c| joined.is_char_boundary(*c))
                    .unwrap_or(0);
                return joined[..cut].to_string();
            }
        }
    }
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

fn specs() -> Vec<PathBuf> {
    let mut specs = fixture_specs();
    let broken = repo_root().join("tests/fixtures/broken");
    let mut more: Vec<PathBuf> = std::fs::read_dir(&broken)
        .expect("tests/fixtures/broken exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    more.sort();
    specs.extend(more);
    specs
}

fn run() -> (Vec<String>, usize) {
    let specs = specs();
    let texts: Vec<(String, String)> = specs
        .iter()
        .map(|p| {
            (
                p.file_name()
                    .expect("a file")
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read_to_string(p).expect("the fixture is readable"),
            )
        })
        .collect();
    let mut rng = Rng(SEED);
    let mut failures = Vec::new();
    let mut generated = 0;
    let out_dir = repo_root().join("target/mutants");
    for n in 0..MUTANTS {
        let (name, text) = &texts[n % texts.len()];
        let mutant = mutate(text, &mut rng);
        let file = format!("mutant-{n}-{name}");
        let result = catch_unwind(AssertUnwindSafe(|| {
            cloudgen::Generator::new()
                .module_name("mutant")
                .runtime_path("cloudapi::runtime")
                .generate_str(&file, &mutant)
        }));
        match result {
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let _ = std::fs::create_dir_all(&out_dir);
                let path = out_dir.join(&file);
                let _ = std::fs::write(&path, &mutant);
                failures.push(format!("{} panicked: {message}", path.display()));
            }
            Ok(Err(d)) if d.iter().any(|d| d.kind == "internal") => {
                let _ = std::fs::create_dir_all(&out_dir);
                let path = out_dir.join(&file);
                let _ = std::fs::write(&path, &mutant);
                failures.push(format!("{} hit an internal error:\n{d}", path.display()));
            }
            Ok(Ok(_)) => generated += 1,
            Ok(Err(_)) => {}
        }
    }
    (failures, generated)
}

#[test]
fn mutated_fixtures_never_panic() {
    // A quiet hook: the panics are collected and reported below.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    // The size of a main thread's stack, where build scripts run the generator.
    let (failures, generated) = std::thread::Builder::new()
        .stack_size(8 * 1024 * 1024)
        .spawn(run)
        .expect("the thread starts")
        .join()
        .expect("the mutation run itself does not panic");
    std::panic::set_hook(previous);
    println!(
        "{MUTANTS} mutants: {generated} generated, {} refused with diagnostics, {} crashed",
        MUTANTS - generated - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {MUTANTS} mutants crashed the generator:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
