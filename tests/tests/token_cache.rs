//! Tokens fetched at run time: their lifetime comes from their own `exp` claim, and
//! `runtime::token::FileTokenCache` shares them between clients and processes through private
//! files, trusting no file it did not write for the same credentials. Exercised with the TransIP
//! token exchange (`cloudapi::transip::SignedTokenSource`) against the loopback server.
//!
//! Every test installs its capturing tracing subscriber before its first request (see the note
//! in `secrets.rs`): a call site first reached with no subscriber may be cached as silent.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use cloudapi::runtime::token::{jwt_expiry, FileTokenCache};
use cloudapi::runtime::{RetryPolicy, TokenSource};
use cloudapi::transip::{types, Client, SignedTokenSource};
use cloudgen_tests::loopback::{Reply, Seen, Server};
use rsa::pkcs8::{EncodePrivateKey as _, LineEnding};
use serde_json::{json, Value};
use tracing::subscriber::DefaultGuard;

// ---------------------------------------------------------------------------------------------
// Keys, tokens, servers and clients

/// RSA keys in PKCS#8 PEM, made once per test binary (1024 bits: quick in a debug build).
fn pem(which: usize) -> &'static str {
    static KEYS: OnceLock<[String; 2]> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        [0, 1].map(|_| {
            rsa::RsaPrivateKey::new(&mut rand::thread_rng(), 1024)
                .expect("generate an RSA key")
                .to_pkcs8_pem(LineEnding::LF)
                .expect("PEM-encode the key")
                .to_string()
        })
    });
    &keys[which]
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_secs()
}

/// A JSON Web Token expiring at `exp`; its signature part carries a marker that must never
/// show up anywhere but on the wire and in the cache file.
fn jwt(exp: u64, n: u32) -> String {
    let part = |v: Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
    format!(
        "{}.{}.SECRETSIG{n}",
        part(json!({ "typ": "JWT", "alg": "RS256" })),
        part(json!({ "iss": "api.transip.nl", "exp": exp, "n": n }))
    )
}

/// A TransIP-like server: `/auth` hands out JWTs numbered 1, 2, ... that expire `valid_for`
/// seconds after they are issued; `/api-test` answers `pong` unless the token is refused.
struct TokenServer {
    server: Server,
    /// Whether the token numbered 1 is refused (revoked) from now on.
    revoke_first: Arc<AtomicBool>,
}

impl TokenServer {
    async fn start(valid_for: u64) -> TokenServer {
        let issued = AtomicU32::new(0);
        let revoke_first = Arc::new(AtomicBool::new(false));
        let revoked = Arc::clone(&revoke_first);
        let server = Server::start("", move |seen| {
            if seen.path() == "/auth" {
                let n = issued.fetch_add(1, Ordering::SeqCst) + 1;
                Reply::json(201, &json!({ "token": jwt(unix_now() + valid_for, n) }))
            } else if revoked.load(Ordering::SeqCst)
                && seen.bearer().is_some_and(|t| t.ends_with(".SECRETSIG1"))
            {
                Reply::json(
                    401,
                    &json!({ "error": "Your access token has been revoked." }),
                )
            } else {
                Reply::json(200, &json!({ "ping": "pong" }))
            }
        })
        .await;
        TokenServer {
            server,
            revoke_first,
        }
    }

    fn auth_requests(&self) -> usize {
        self.server
            .seen()
            .iter()
            .filter(|s| s.path() == "/auth")
            .count()
    }

    /// The bearer tokens of the API requests, in order.
    fn bearers(&self) -> Vec<String> {
        self.server
            .seen()
            .iter()
            .filter(|s| s.path() != "/auth")
            .filter_map(Seen::bearer)
            .map(str::to_owned)
            .collect()
    }
}

fn source(login: &str, key: usize) -> SignedTokenSource {
    let request = types::AuthTokenRequest {
        login: login.to_owned(),
        nonce: String::new(),
        read_only: false,
        expiration_time: None,
        label: Some("cloudgen cache test".to_owned()),
        global_key: true,
    };
    SignedTokenSource::new(request, pem(key), Duration::from_secs(1800)).expect("a valid key")
}

/// A fresh, empty directory for one test, under cargo's scratch directory for tests.
fn scratch_dir(name: &str) -> PathBuf {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("after 1970")
        .as_nanos();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("token-cache-{name}-{}-{nanos}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// A client of `server` (no retries) whose tokens come from `source`.
fn client(server: &TokenServer, source: impl TokenSource) -> Client {
    let runtime = Client::builder()
        .base_url(&server.server.base_url)
        .token_source(source)
        .retry(RetryPolicy::none())
        .build()
        .expect("build the client");
    Client::from_runtime(runtime)
}

/// Calls `api-test` once with a new client, as a new process would.
async fn one_call(server: &TokenServer, source: impl TokenSource) {
    let pong = client(server, source)
        .api_test()
        .send()
        .await
        .expect("api test");
    assert_eq!(pong, "pong");
}

/// The cache files (`*.json`) in `dir`.
fn cache_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The one cache file in `dir`.
fn only_cache_file(dir: &Path) -> PathBuf {
    let files = cache_files(dir);
    assert_eq!(files.len(), 1, "one cache file: {files:?}");
    files.into_iter().next().expect("one file")
}

fn cached_token(file: &Path) -> String {
    let text = std::fs::read_to_string(file).expect("read the cache file");
    let value: Value = serde_json::from_str(&text).expect("a JSON cache file");
    value["token"].as_str().expect("a token").to_owned()
}

// ---------------------------------------------------------------------------------------------
// Captured logs

/// A `MakeWriter` collecting everything a tracing subscriber prints.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("capture lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("capture lock").clone()).expect("UTF-8 logs")
    }

    /// The warnings printed so far, one per line.
    fn warnings(&self) -> Vec<String> {
        self.text()
            .lines()
            .filter(|l| l.contains("WARN"))
            .map(str::to_owned)
            .collect()
    }
}

/// Installs a TRACE-level subscriber for this thread; keep the guard for the whole test.
fn capture_logs() -> (Captured, DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

// ---------------------------------------------------------------------------------------------
// The lifetime of a token

#[test]
fn the_expiry_of_a_jwt_is_its_exp_claim() {
    assert_eq!(
        jwt_expiry(&jwt(2_118_745_550, 1)),
        Some(UNIX_EPOCH + Duration::from_secs(2_118_745_550))
    );
    // TransIP's documented demo token expires in 2037.
    assert_eq!(
        jwt_expiry(Client::DEMO_TOKEN),
        Some(UNIX_EPOCH + Duration::from_secs(2_118_745_550))
    );
    for not_a_jwt in ["t1", "a.b", "a.b.c.d", "x.!!!.y", "x.e30.y"] {
        assert_eq!(jwt_expiry(not_a_jwt), None, "{not_a_jwt}");
    }
}

#[tokio::test]
async fn a_token_is_renewed_before_its_own_exp_claim() {
    let (_logs, _guard) = capture_logs();
    // The client asks for 30 minutes, the server grants 4 seconds: the token's claim wins.
    let server = TokenServer::start(4).await;
    let client = client(&server, source("test-user", 0));
    client.api_test().send().await.expect("first call");
    client.api_test().send().await.expect("second call");
    assert_eq!(server.auth_requests(), 1, "the token is reused while valid");
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    client.api_test().send().await.expect("call near expiry");
    assert_eq!(server.auth_requests(), 2, "renewed before its exp claim");
    let bearers = server.bearers();
    assert!(
        bearers[0] == bearers[1] && bearers[1] != bearers[2],
        "{bearers:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Sharing tokens through files

#[tokio::test]
async fn clients_with_the_same_credentials_share_one_token_through_the_cache() {
    let (_logs, _guard) = capture_logs();
    let server = TokenServer::start(1800).await;
    let dir = scratch_dir("share");
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    assert_eq!(
        server.auth_requests(),
        1,
        "the second client used the cached token"
    );
    let bearers = server.bearers();
    assert_eq!(bearers[0], bearers[1]);
    let file = only_cache_file(&dir);
    assert_eq!(cached_token(&file), bearers[0]);
    // The file is named by a hash, not by the login.
    let name = file
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a file name");
    assert!(
        name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()),
        "{name}"
    );
}

#[tokio::test]
async fn clients_starting_together_fetch_one_token() {
    let (_logs, _guard) = capture_logs();
    let server = TokenServer::start(1800).await;
    let dir = scratch_dir("together");
    let calls = (0..6).map(|_| one_call(&server, source("test-user", 0).with_file_cache(&dir)));
    futures_util::future::join_all(calls).await;
    assert_eq!(
        server.auth_requests(),
        1,
        "the lock file let one client fetch"
    );
    let bearers = server.bearers();
    assert!(bearers.iter().all(|b| *b == bearers[0]), "{bearers:?}");
    // Nothing but the cache file is left behind: no lock, no temporary file.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("the cache directory")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

#[tokio::test]
async fn other_logins_and_other_keys_get_their_own_tokens() {
    let (_logs, _guard) = capture_logs();
    let server = TokenServer::start(1800).await;
    let dir = scratch_dir("keyed");
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    one_call(&server, source("other-user", 0).with_file_cache(&dir)).await;
    one_call(&server, source("test-user", 1).with_file_cache(&dir)).await;
    assert_eq!(server.auth_requests(), 3);
    assert_eq!(cache_files(&dir).len(), 3);
    // Each still finds its own.
    one_call(&server, source("other-user", 0).with_file_cache(&dir)).await;
    one_call(&server, source("test-user", 1).with_file_cache(&dir)).await;
    assert_eq!(server.auth_requests(), 3);
    let bearers = server.bearers();
    assert_eq!((&bearers[3], &bearers[4]), (&bearers[1], &bearers[2]));
}

#[cfg(unix)]
#[tokio::test]
async fn the_cache_file_and_directory_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let (_logs, _guard) = capture_logs();
    let server = TokenServer::start(1800).await;
    let dir = scratch_dir("private").join("nested");
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&only_cache_file(&dir)), 0o600);
    assert_eq!(mode(&dir), 0o700);
}

#[tokio::test]
async fn a_cached_token_close_to_expiry_is_not_used() {
    let (_logs, _guard) = capture_logs();
    // 30 s left is inside the default 60 s margin.
    let server = TokenServer::start(30).await;
    let dir = scratch_dir("expiring");
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    assert_eq!(server.auth_requests(), 2);
    let bearers = server.bearers();
    assert_ne!(bearers[0], bearers[1]);
    assert_eq!(cached_token(&only_cache_file(&dir)), bearers[1]);
}

#[tokio::test]
async fn a_corrupt_cache_file_is_ignored_with_a_warning() {
    let (logs, _guard) = capture_logs();
    let server = TokenServer::start(1800).await;
    let dir = scratch_dir("corrupt");
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    let file = only_cache_file(&dir);
    std::fs::write(&file, b"{\"token\": \"half a fi").expect("corrupt the file");
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    assert_eq!(server.auth_requests(), 2, "a fresh token instead");
    let warnings = logs.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("ignoring the token cache file")
                && w.contains("not a token cache file")),
        "{warnings:#?}"
    );
    // The next token replaced the broken file.
    assert_eq!(cached_token(&file), server.bearers()[1]);
}

#[tokio::test]
async fn a_cache_file_for_other_credentials_is_never_trusted() {
    let (logs, _guard) = capture_logs();
    let server = TokenServer::start(1800).await;
    let dir = scratch_dir("foreign");
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    one_call(&server, source("other-user", 0).with_file_cache(&dir)).await;
    let files = cache_files(&dir);
    assert_eq!(files.len(), 2);
    let test_user_token = server.bearers()[0].clone();
    // Put test-user's file in the place of other-user's (whichever that is) and the reverse.
    let (a, b) = (&files[0], &files[1]);
    let (a_text, b_text) = (
        std::fs::read(a).expect("read"),
        std::fs::read(b).expect("read"),
    );
    std::fs::write(a, b_text).expect("swap");
    std::fs::write(b, a_text).expect("swap");
    one_call(&server, source("other-user", 0).with_file_cache(&dir)).await;
    assert_eq!(
        server.auth_requests(),
        3,
        "the swapped file was not trusted"
    );
    assert_ne!(server.bearers()[2], test_user_token);
    let warnings = logs.warnings();
    assert!(
        warnings.iter().any(|w| w.contains("other credentials")),
        "{warnings:#?}"
    );
}

#[cfg(unix)]
#[tokio::test]
async fn a_cache_file_others_can_read_is_never_trusted() {
    use std::os::unix::fs::PermissionsExt as _;
    let (logs, _guard) = capture_logs();
    let server = TokenServer::start(1800).await;
    let dir = scratch_dir("readable");
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    let file = only_cache_file(&dir);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    assert_eq!(server.auth_requests(), 2);
    assert!(
        logs.warnings()
            .iter()
            .any(|w| w.contains("permissions must be 0600")),
        "{:#?}",
        logs.warnings()
    );
    // The replacement is private again.
    let mode = std::fs::metadata(&file)
        .expect("metadata")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[tokio::test]
async fn a_refused_cached_token_is_dropped_from_the_cache() {
    let (_logs, _guard) = capture_logs();
    let server = TokenServer::start(1800).await;
    let dir = scratch_dir("refused");
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    // The server revokes the cached token; the next process finds it, is refused once,
    // fetches a new one and leaves that in the cache.
    server.revoke_first.store(true, Ordering::SeqCst);
    one_call(&server, source("test-user", 0).with_file_cache(&dir)).await;
    assert_eq!(server.auth_requests(), 2);
    let bearers = server.bearers();
    assert_eq!(bearers.len(), 3, "{bearers:?}");
    assert_eq!(bearers[0], bearers[1], "the cached token was tried");
    assert_eq!(cached_token(&only_cache_file(&dir)), bearers[2]);
}

#[tokio::test]
async fn tokens_never_show_in_logs_debug_output_or_file_names() {
    let (logs, _guard) = capture_logs();
    let server = TokenServer::start(1800).await;
    let dir = scratch_dir("secrets");
    let cache = source("secret-login", 0).with_file_cache(&dir);
    one_call(&server, cache.clone()).await;
    // A refused token and a corrupt file produce debug lines and warnings too.
    server.revoke_first.store(true, Ordering::SeqCst);
    one_call(&server, cache.clone()).await;
    std::fs::write(only_cache_file(&dir), b"{\"token\": 5}").expect("corrupt the file");
    one_call(&server, cache.clone()).await;
    assert_eq!(server.auth_requests(), 3);
    let bearers = server.bearers();
    assert!(
        bearers.iter().all(|b| b.contains("SECRETSIG")),
        "{bearers:?}"
    );

    let texts = [
        logs.text(),
        format!("{cache:?}"),
        format!("{:?}", client(&server, cache.clone())),
        format!("{:?}", source("secret-login", 0)),
    ];
    assert!(
        texts[0].contains("ignoring the token cache file"),
        "{}",
        texts[0]
    );
    for text in &texts {
        assert!(!text.contains("SECRETSIG"), "a token shows: {text}");
        assert!(!text.contains("PRIVATE KEY"), "the key shows: {text}");
        assert!(!text.contains("secret-login"), "the login shows: {text}");
    }
    for file in cache_files(&dir) {
        assert!(!file.to_string_lossy().contains("secret-login"), "{file:?}");
    }
}

#[tokio::test]
async fn a_source_without_a_cache_key_is_used_as_if_uncached() {
    let (_logs, _guard) = capture_logs();
    /// A source that does not say whose tokens it fetches.
    struct Anonymous(SignedTokenSource);
    impl TokenSource for Anonymous {
        fn fetch<'a>(
            &'a self,
            http: &'a cloudapi::runtime::Client,
        ) -> cloudapi::runtime::BoxFuture<
            'a,
            Result<
                (cloudapi::runtime::Secret, Duration),
                cloudapi::runtime::Error<std::convert::Infallible>,
            >,
        > {
            self.0.fetch(http)
        }
    }
    let server = TokenServer::start(1800).await;
    let dir = scratch_dir("anonymous");
    one_call(
        &server,
        FileTokenCache::new(Anonymous(source("test-user", 0)), &dir),
    )
    .await;
    one_call(
        &server,
        FileTokenCache::new(Anonymous(source("test-user", 0)), &dir),
    )
    .await;
    assert_eq!(server.auth_requests(), 2);
    assert!(cache_files(&dir).is_empty());
}
