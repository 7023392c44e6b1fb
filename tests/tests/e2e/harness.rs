//! The end-to-end harness: one Prism mock server per spec, the operation list of each spec, and
//! a [`Suite`] that checks every call, records which operations were exercised and collects
//! failures so that one run reports all of them.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsStr;
use std::fmt::Debug;
use std::fs::File;
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use cloudapi::runtime::{Error, RetryPolicy};
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

/// The pinned Prism release; the same in CI and on every machine.
pub const PRISM: &str = "@stoplight/prism-cli@5.16.0";

/// How long Prism may take to answer, including the first `npx` download.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(180);

/// The token every authenticated client sends (Prism only checks that one is present).
pub const TOKEN: &str = "e2e-test-token";

/// `specs/<name>.yaml` of the workspace.
pub fn spec_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../specs")
        .join(format!("{name}.yaml"))
}

/// The base URL to test `spec` against: `$env` when set, otherwise a Prism started here. Keep the
/// returned value alive for the whole test: dropping it stops Prism.
pub fn server(spec: &str, env: &str) -> Server {
    match std::env::var(env) {
        Ok(url) if !url.trim().is_empty() => {
            eprintln!("e2e {spec}: {env} is set, testing against {url}");
            Server::External(url.trim().trim_end_matches('/').to_owned())
        }
        _ => Server::Prism(Prism::start(spec)),
    }
}

/// Where the calls of one spec go.
pub enum Server {
    /// A Prism mock server started (and stopped) by the harness.
    Prism(Prism),
    /// A server named by an environment variable.
    External(String),
}

impl Server {
    pub fn url(&self) -> &str {
        match self {
            Server::Prism(p) => &p.url,
            Server::External(url) => url,
        }
    }
}

/// A running Prism; dropping it kills its whole process group (`npx`, `sh` and `node`).
pub struct Prism {
    child: Child,
    pub url: String,
    log: PathBuf,
}

fn missing_node(what: &str, err: &std::io::Error) -> ! {
    panic!(
        "the end-to-end tests need Node.js and npx to run the Prism mock server ({PRISM}), but \
         `{what}` could not be run: {err}.\n\
         Install Node.js 18 or newer, which brings npm and npx: e.g. `apt-get install nodejs npm` \
         (Debian/Ubuntu), `brew install node` (macOS), or an installer from https://nodejs.org.\n\
         Alternatively point CLOUDAPI_E2E_UPCLOUD_URL, CLOUDAPI_E2E_UPCLOUD_METADATA_URL, \
         CLOUDAPI_E2E_TRANSIP_URL and CLOUDAPI_E2E_UNIKRAFT_URL at running servers."
    )
}

/// Checks node and npx once and makes npx fetch Prism once, so that parallel tests do not race
/// each other in the npx cache.
fn install_prism() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        for tool in ["node", "npx"] {
            match Command::new(tool).arg("--version").output() {
                Ok(out) if out.status.success() => {}
                Ok(out) => missing_node(
                    &format!("{tool} --version"),
                    &std::io::Error::other(format!(
                        "{}: {}",
                        out.status,
                        String::from_utf8_lossy(&out.stderr)
                    )),
                ),
                Err(err) => missing_node(&format!("{tool} --version"), &err),
            }
        }
        let started = Instant::now();
        let out = Command::new("npx")
            .args(["--yes", PRISM, "--version"])
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|err| missing_node(&format!("npx --yes {PRISM} --version"), &err));
        assert!(
            out.status.success(),
            "`npx --yes {PRISM} --version` failed ({}); is the npm registry reachable?\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("e2e: {PRISM} ready via npx in {:.1?}", started.elapsed());
    });
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free loopback port");
    listener.local_addr().expect("local address").port()
}

impl Prism {
    /// Starts `prism mock --errors specs/<spec>.yaml` on a free loopback port and waits until it
    /// accepts connections.
    pub fn start(spec: &str) -> Prism {
        install_prism();
        let path = spec_path(spec);
        let started = Instant::now();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let port = free_port();
            let log = std::env::temp_dir().join(format!(
                "cloudapi-e2e-prism-{spec}-{}-{port}.log",
                std::process::id()
            ));
            let out = File::create(&log).expect("create the Prism log file");
            let err = out.try_clone().expect("clone the Prism log file");
            let port_text = port.to_string();
            let prism_args = [OsStr::new("--yes"), OsStr::new(PRISM), OsStr::new("mock")];
            let prism_args = prism_args.into_iter().chain([
                OsStr::new("--errors"),
                path.as_os_str(),
                OsStr::new("-p"),
                OsStr::new(&port_text),
                OsStr::new("-h"),
                OsStr::new("127.0.0.1"),
            ]);
            // On Unix a small shell runs Prism in its own process group and stops the whole group
            // when its stdin (a pipe held by this process) closes: Prism cannot outlive the tests,
            // even when they abort or are killed.
            #[cfg(unix)]
            let mut command = {
                let mut command = Command::new("sh");
                command
                    .args(["-c", r#""$@" & read -r _; kill -TERM 0"#, "sh", "npx"])
                    .args(prism_args)
                    .stdin(Stdio::piped());
                std::os::unix::process::CommandExt::process_group(&mut command, 0);
                command
            };
            #[cfg(not(unix))]
            let mut command = {
                let mut command = Command::new("npx");
                command.args(prism_args).stdin(Stdio::null());
                command
            };
            command.stdout(out).stderr(err);
            let child = command
                .spawn()
                .unwrap_or_else(|err| missing_node(&format!("npx --yes {PRISM} mock"), &err));
            let mut prism = Prism {
                child,
                url: format!("http://127.0.0.1:{port}"),
                log,
            };
            match prism.wait_ready(port, started) {
                Ok(()) => {
                    eprintln!(
                        "e2e {spec}: Prism listening at {} after {:.1?}",
                        prism.url,
                        started.elapsed()
                    );
                    return prism;
                }
                // Another process may have taken the port between picking and binding it.
                Err(log) if attempt < 3 && log.contains("EADDRINUSE") => drop(prism),
                Err(log) => {
                    drop(prism);
                    panic!("Prism for specs/{spec}.yaml did not start:\n{log}")
                }
            }
        }
    }

    fn log_text(&self) -> String {
        let mut text = String::new();
        if let Ok(mut f) = File::open(&self.log) {
            let _ = f.read_to_string(&mut text);
        }
        text
    }

    fn wait_ready(&mut self, port: u16, started: Instant) -> Result<(), String> {
        loop {
            if TcpStream::connect_timeout(
                &([127, 0, 0, 1], port).into(),
                Duration::from_millis(500),
            )
            .is_ok()
            {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "Prism exited with {status}; its output:\n{}",
                    self.log_text()
                ));
            }
            if started.elapsed() > STARTUP_TIMEOUT {
                return Err(format!(
                    "Prism did not answer on port {port} within {STARTUP_TIMEOUT:?}; its output:\n{}",
                    self.log_text()
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let group = format!("-{}", self.child.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            // Whatever is left of the group (node outlives npx when npx dies first).
            let _ = Command::new("kill")
                .args(["-KILL", "--", &group])
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.log);
        } else {
            eprintln!("Prism log kept at {}", self.log.display());
        }
    }
}

/// A runtime client builder at `url` that never retries (Prism answers `Prefer: code=429` and
/// `500` every time) and authenticates with [`TOKEN`].
pub fn builder(url: &str) -> cloudapi::runtime::ClientBuilder {
    cloudapi::runtime::Client::builder(url)
        .bearer_token(TOKEN)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(30))
}

/// What a spec says about one client method.
#[derive(Debug, Clone)]
pub struct OpInfo {
    /// The operationId (or a split variant's `x-cloudgen-operation-id`).
    pub id: String,
    /// `METHOD /path`.
    pub route: String,
    /// Documented error statuses, with whether the response has a body.
    pub errors: Vec<(u16, bool)>,
    /// The request body example, when the spec gives one.
    pub example: Option<Json>,
}

/// The client method name of an operationId (`listVpss` → `list_vpss`).
pub fn snake(id: &str) -> String {
    let mut out = String::new();
    for (i, c) in id.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn resolve<'a>(root: &'a Yaml, mut node: &'a Yaml) -> &'a Yaml {
    for _ in 0..16 {
        let Some(reference) = node.get("$ref").and_then(Yaml::as_str) else {
            break;
        };
        let mut target = root;
        for part in reference.trim_start_matches("#/").split('/') {
            let part = part.replace("~1", "/").replace("~0", "~");
            target = &target[part.as_str()];
        }
        node = target;
    }
    node
}

fn to_json(value: &Yaml) -> Json {
    serde_json::to_value(value).expect("a YAML example converts to JSON")
}

/// The request body example as the client method takes it: the wire example, inside the wrapper
/// objects that `x-cloudgen-wrap` names (the client adds them back, and Prism checks the wire
/// body against the spec).
fn body_example(root: &Yaml, op: &Yaml) -> Option<Json> {
    let body = resolve(root, op.get("requestBody")?);
    let media = resolve(root, body.get("content")?.get("application/json")?);
    let wire = wire_body_example(root, media)?;
    let wrap = media
        .get("x-cloudgen-wrap")
        .or_else(|| body.get("x-cloudgen-wrap"))
        .and_then(Yaml::as_str);
    match wrap {
        Some(pointer) => Some(wire.pointer(pointer)?.clone()),
        None => Some(wire),
    }
}

fn wire_body_example(root: &Yaml, media: &Yaml) -> Option<Json> {
    if let Some(example) = media.get("example") {
        return Some(to_json(example));
    }
    if let Some(Yaml::Mapping(examples)) = media.get("examples") {
        let first = resolve(root, examples.values().next()?);
        return first.get("value").map(to_json);
    }
    resolve(root, media.get("schema")?)
        .get("example")
        .map(to_json)
}

/// Every client method of a spec, keyed by method name, in spec order of operationIds.
pub fn operations(spec: &str) -> BTreeMap<String, OpInfo> {
    let path = spec_path(spec);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let root: Yaml =
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
    let mut ops = BTreeMap::new();
    let Some(Yaml::Mapping(paths)) = root.get("paths") else {
        return ops;
    };
    for (route, item) in paths {
        let route = route.as_str().unwrap_or_default();
        let Yaml::Mapping(item) = resolve(&root, item) else {
            continue;
        };
        for (method, op) in item {
            let method = method.as_str().unwrap_or_default();
            if ![
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method)
            {
                continue;
            }
            let Some(id) = op.get("operationId").and_then(Yaml::as_str) else {
                continue;
            };
            let mut errors = Vec::new();
            if let Some(Yaml::Mapping(responses)) = op.get("responses") {
                for (code, response) in responses {
                    let code = match code {
                        Yaml::Number(n) => n.as_u64().map(|n| n as u16),
                        Yaml::String(s) => s.parse().ok(),
                        _ => None,
                    };
                    let Some(code) = code.filter(|c| *c >= 400) else {
                        continue;
                    };
                    let has_body = resolve(&root, response)
                        .get("content")
                        .and_then(Yaml::as_mapping)
                        .is_some_and(|c| !c.is_empty());
                    errors.push((code, has_body));
                }
            }
            let route = format!("{} {route}", method.to_uppercase());
            let split = op.get("x-cloudgen-split-by").is_some()
                || op.get("x-cloudgen-split-untagged").and_then(Yaml::as_bool) == Some(true);
            if split {
                let schema = op
                    .get("requestBody")
                    .map(|b| resolve(&root, b))
                    .and_then(|b| b.get("content"))
                    .and_then(|c| c.get("application/json"))
                    .and_then(|m| m.get("schema"))
                    .map(|s| resolve(&root, s));
                let variants = schema
                    .and_then(|s| s.get("oneOf"))
                    .and_then(Yaml::as_sequence)
                    .unwrap_or_else(|| panic!("{spec}: split operation {id} has no oneOf body"));
                for variant in variants {
                    let variant = resolve(&root, variant);
                    let vid = variant
                        .get("x-cloudgen-operation-id")
                        .and_then(Yaml::as_str)
                        .unwrap_or_else(|| {
                            panic!("{spec}: a variant of {id} has no x-cloudgen-operation-id")
                        });
                    ops.insert(
                        snake(vid),
                        OpInfo {
                            id: vid.to_owned(),
                            route: format!("{route} ({id})"),
                            errors: errors.clone(),
                            example: variant.get("example").map(to_json),
                        },
                    );
                }
            } else {
                ops.insert(
                    snake(id),
                    OpInfo {
                        id: id.to_owned(),
                        route,
                        errors,
                        example: body_example(&root, op),
                    },
                );
            }
        }
    }
    ops
}

/// The header value asking Prism for the documented response with this status.
pub fn prefer_code(code: u16) -> (HeaderName, HeaderValue) {
    (
        HeaderName::from_static("prefer"),
        HeaderValue::from_str(&format!("code={code}")).expect("a valid header value"),
    )
}

fn body_text(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut end = text.len().min(2000);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    if end < text.len() {
        format!("{}...", &text[..end])
    } else {
        text.into_owned()
    }
}

/// The calls of one spec: checks results, records exercised operations, collects failures.
pub struct Suite {
    pub spec: &'static str,
    ops: BTreeMap<String, OpInfo>,
    called: Mutex<BTreeSet<String>>,
    failures: Mutex<Vec<String>>,
    calls: AtomicUsize,
    error_calls: AtomicUsize,
    started: Instant,
}

impl Suite {
    pub fn new(spec: &'static str) -> Suite {
        let ops = operations(spec);
        assert!(!ops.is_empty(), "specs/{spec}.yaml lists no operations");
        Suite {
            spec,
            ops,
            called: Mutex::new(BTreeSet::new()),
            failures: Mutex::new(Vec::new()),
            calls: AtomicUsize::new(0),
            error_calls: AtomicUsize::new(0),
            started: Instant::now(),
        }
    }

    fn op(&self, method: &str) -> &OpInfo {
        self.ops.get(method).unwrap_or_else(|| {
            panic!(
                "{}: the client method `{method}` matches no operation of the spec",
                self.spec
            )
        })
    }

    fn fail(&self, message: String) {
        eprintln!("FAIL {message}");
        self.failures.lock().unwrap().push(message);
    }

    /// The spec's request body example of `method`, as the typed body.
    pub fn example<T: DeserializeOwned>(&self, method: &str) -> T {
        let op = self.op(method);
        let example = op.example.clone().unwrap_or_else(|| {
            panic!(
                "{}: {} ({}) has no request body example",
                self.spec, op.id, op.route
            )
        });
        self.typed(&format!("the request body example of {}", op.id), example)
    }

    /// `value` as a typed value; a mismatch is a bug in the spec or in the generated types.
    pub fn typed<T: DeserializeOwned>(&self, what: &str, value: Json) -> T {
        let text = value.to_string();
        serde_json::from_value(value).unwrap_or_else(|e| {
            panic!(
                "{}: {what} does not fit {}: {e}\n{text}",
                self.spec,
                std::any::type_name::<T>()
            )
        })
    }

    /// The documented error statuses of `method`.
    pub fn errors_of(&self, method: &str) -> Vec<(u16, bool)> {
        self.op(method).errors.clone()
    }

    /// Checks a success call; returns the value.
    pub fn ok<T, E: Debug>(&self, method: &str, result: Result<T, Error<E>>) -> Option<T> {
        self.calls.fetch_add(1, Ordering::Relaxed);
        let op = self.op(method);
        self.called.lock().unwrap().insert(method.to_owned());
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                let detail = match err.api() {
                    Some(api) => {
                        format!("status {}, body: {}", api.status(), body_text(api.body()))
                    }
                    None => String::new(),
                };
                let prism = if detail.contains("stoplight.io/prism/errors") {
                    "Prism rejected the request: "
                } else {
                    ""
                };
                self.fail(format!(
                    "{} {} ({}): {prism}{err}\n    {detail}",
                    self.spec, op.id, op.route
                ));
                None
            }
        }
    }

    /// Checks a call made with `Prefer: code=<code>`: it must give the typed API error.
    pub fn err<T, E: Debug>(
        &self,
        method: &str,
        code: u16,
        has_body: bool,
        result: Result<T, Error<E>>,
    ) {
        self.error_calls.fetch_add(1, Ordering::Relaxed);
        let op = self.op(method);
        let what = format!(
            "{} {} ({}) with Prefer: code={code}",
            self.spec, op.id, op.route
        );
        let err = match result {
            Ok(_) => return self.fail(format!("{what}: succeeded, expected an API error")),
            Err(err) => err,
        };
        let Some(api) = err.api() else {
            return self.fail(format!("{what}: not an API error: {err}"));
        };
        let body = body_text(api.body());
        if body.contains("stoplight.io/prism/errors") {
            return self.fail(format!(
                "{what}: Prism rejected the request: status {}, body: {body}",
                api.status()
            ));
        }
        if api.status().as_u16() != code {
            return self.fail(format!("{what}: status {}, body: {body}", api.status()));
        }
        if has_body && api.error().is_none() {
            self.fail(format!(
                "{what}: the documented error body did not decode into the typed error ({:?}); body: {body}",
                api.decode_error()
            ));
        }
    }

    /// Records a call made outside [`call!`] (e.g. a `.stream()`).
    pub fn record(&self, method: &str) {
        self.op(method);
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.called.lock().unwrap().insert(method.to_owned());
    }

    /// Fails naming every operation of the spec that no call exercised, and every failed call.
    pub fn finish(self) {
        let called = self.called.into_inner().unwrap();
        let missing: Vec<String> = self
            .ops
            .iter()
            .filter(|(method, _)| !called.contains(*method))
            .map(|(method, op)| format!("{} ({}, client method `{method}`)", op.id, op.route))
            .collect();
        let failures = self.failures.into_inner().unwrap();
        eprintln!(
            "e2e {}: {} of {} operations exercised, {} success calls, {} error-path calls, {} failures, {:.1?}",
            self.spec,
            called.len(),
            self.ops.len(),
            self.calls.load(Ordering::Relaxed),
            self.error_calls.load(Ordering::Relaxed),
            failures.len(),
            self.started.elapsed()
        );
        let mut report = String::new();
        if !missing.is_empty() {
            report.push_str(&format!(
                "specs/{}.yaml: {} operation(s) not exercised by the end-to-end test:\n  {}\n",
                self.spec,
                missing.len(),
                missing.join("\n  ")
            ));
        }
        if !failures.is_empty() {
            report.push_str(&format!(
                "specs/{}.yaml: {} failed call(s):\n  {}\n",
                self.spec,
                failures.len(),
                failures.join("\n  ")
            ));
        }
        assert!(report.is_empty(), "{report}");
    }
}

/// Calls a client method, checks the success response, then repeats the same request once per
/// documented error status with `Prefer: code=<status>` and checks the typed API error:
/// `call!(suite, client.get_server(uuid).setter(x))`.
#[macro_export]
macro_rules! call {
    ($suite:expr, $client:ident . $method:ident ( $($arg:expr),* $(,)? ) $( . $setter:ident ( $($sarg:expr),* $(,)? ) )* ) => {{
        let suite: &$crate::harness::Suite = &$suite;
        let method = stringify!($method);
        let request = $client.$method($($arg),*) $( .$setter($($sarg),*) )*;
        let value = suite.ok(method, ::std::boxed::Box::pin(request.clone().send()).await);
        for (code, has_body) in suite.errors_of(method) {
            let (name, value) = $crate::harness::prefer_code(code);
            let result = ::std::boxed::Box::pin(request.clone().header(name, value).send()).await;
            suite.err(method, code, has_body, result);
        }
        value
    }};
}

/// Not-an-error helper for the rare `Result` that must hold.
pub fn expect<T, E: Debug>(what: &str, result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e:?}"))
}

/// Runs a spec's whole end-to-end body on a thread of its own with a 16 MiB stack and a
/// two-worker runtime. A body that awaits a few hundred calls in one `async fn` has a large
/// poll frame in debug builds; nested call groups on top of it outgrow the 2 MiB a test thread
/// gets. A panic in the body (a failed check) fails the test as usual.
pub fn run_on_large_stack<F, Fut>(body: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()>,
{
    let thread = std::thread::Builder::new()
        .name("e2e-body".into())
        .stack_size(16 << 20)
        .spawn(move || {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a tokio runtime builds on a fresh thread")
                .block_on(body())
        })
        .expect("the OS gives a thread with a 16 MiB stack");
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}
