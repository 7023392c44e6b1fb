//! Tokens obtained at run time (for example by a signed token exchange), cached and renewed
//! before they expire, optionally shared between processes through a file.
//!
//! A client built with `ClientBuilder::token_source` asks its [`CachedToken`] for a token before
//! each attempt and sends it as `Authorization: Bearer <token>`. The token request itself goes
//! through the same client, marked with `Request::no_auth` so that it does not wait for itself.
//!
//! A token that is a JSON Web Token is used until its own `exp` claim says it expires (or the
//! lifetime its source gives, if that is earlier). [`FileTokenCache`] keeps tokens in private
//! files so that several processes using the same credentials share one token.

use std::convert::Infallible;
use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;

use super::client::Client;
use super::error::Error;
use super::hooks::BoxFuture;
use super::secret::Secret;

/// How long before expiry a token is renewed unless [`CachedToken::renew_before`] says otherwise.
const DEFAULT_RENEW_BEFORE: Duration = Duration::from_secs(60);

/// Fetches fresh tokens.
///
/// The request for a token must be sent with `Request::no_auth`: the client would otherwise
/// try to authenticate it with the very token being fetched and wait for itself for ever.
///
/// ```
/// use std::convert::Infallible;
/// use std::time::Duration;
/// use cloudgen_runtime::reqwest::{header::HeaderMap, Method, StatusCode};
/// use cloudgen_runtime::{decode_json_pointer, BoxFuture, Client, DecodeError, Decoded};
/// use cloudgen_runtime::{Error, Request, Secret, TokenSource};
///
/// /// `{"token": "..."}` on success; any other status is an error with the raw body.
/// fn decode_token(
///     status: StatusCode,
///     _: &HeaderMap,
///     body: &[u8],
/// ) -> Result<Decoded<String, Infallible>, DecodeError> {
///     Ok(match status.as_u16() {
///         201 => Decoded::Ok(decode_json_pointer(body, "/token")?),
///         _ => Decoded::Unexpected,
///     })
/// }
///
/// struct Exchange {
///     login: String,
///     key: Secret,
/// }
///
/// impl TokenSource for Exchange {
///     fn fetch<'a>(
///         &'a self,
///         http: &'a Client,
///     ) -> BoxFuture<'a, Result<(Secret, Duration), Error<Infallible>>> {
///         Box::pin(async move {
///             # let sign = |login: &str, _key: &Secret| (login.to_owned(), "signature");
///             let (body, signature) = sign(&self.login, &self.key);
///             let request = Request::new(Method::POST, "/auth", "/auth".into())
///                 .bytes(body, "application/json")
///                 .header("Signature", signature)
///                 .no_auth();
///             let token = http.execute(request, decode_token).await?.into_inner();
///             Ok((Secret::new(token), Duration::from_secs(30 * 60)))
///         })
///     }
/// }
/// # let _ = Client::builder("http://127.0.0.1:1").token_source(Exchange {
/// #     login: "me".into(),
/// #     key: Secret::new("k"),
/// # });
/// ```
pub trait TokenSource: Send + Sync + 'static {
    /// Fetches a fresh token and how long it is valid. When the token is a JSON Web Token with
    /// an `exp` claim, [`CachedToken`] stops using it at that time if it comes first.
    fn fetch<'a>(
        &'a self,
        http: &'a Client,
    ) -> BoxFuture<'a, Result<(Secret, Duration), Error<Infallible>>>;

    /// Names the credentials this source fetches tokens for, so that a cache shared between
    /// processes ([`FileTokenCache`]) never hands a token to a source with other credentials.
    /// It must not contain the credentials themselves (a hash of them is fine) and must be
    /// made of ASCII letters, digits, `-` and `_`, at most 128 of them, since it names a file.
    ///
    /// `None`, the default, means the tokens of this source are not shared.
    fn cache_key(&self) -> Option<String> {
        None
    }

    /// Tells the source that the server refused `token`, so that a source keeping tokens
    /// somewhere ([`FileTokenCache`]) does not hand it out again. The default does nothing.
    fn forget(&self, token: &Secret) {
        let _ = token;
    }
}

/// The error a [`TokenSource`] returns when it cannot build its token request, for example
/// because the operating system's random number generator failed; nothing was sent. The
/// message must not contain a credential.
pub fn token_request_failed(message: impl Into<String>) -> Error<Infallible> {
    Error::request(message)
}

/// When a JSON Web Token expires, from the `exp` claim of its payload.
///
/// The signature is not checked: the client does not trust the claim for anything but knowing
/// when to fetch a new token. `None` when `token` is not a JWT or has no numeric `exp`.
pub fn jwt_expiry(token: &str) -> Option<SystemTime> {
    let mut parts = token.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    // RFC 7515 base64url leaves the padding out; tolerate it anyway.
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&payload).ok()?;
    let exp = claims.get("exp")?;
    let seconds = exp
        .as_u64()
        .or_else(|| exp.as_f64().filter(|s| *s >= 0.0).map(|s| s as u64))?;
    UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

/// How long a fetched token can be used: what its source says, cut short by the token's own
/// `exp` claim.
fn usable_for(token: &Secret, stated: Duration) -> Duration {
    match jwt_expiry(token.expose()) {
        Some(expiry) => stated.min(
            expiry
                .duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO),
        ),
        None => stated,
    }
}

/// A token from a [`TokenSource`], fetched when first needed and renewed when it is about to
/// expire.
///
/// Concurrent callers share one fetch: while a token is being fetched, others wait for it
/// instead of fetching their own. `Debug` never shows the token.
pub struct CachedToken {
    source: Box<dyn TokenSource>,
    renew_before: Duration,
    /// The current token; a plain mutex, never held across an `.await`.
    current: Mutex<Option<Current>>,
    /// Held by the one caller fetching a token, so that others wait instead of fetching too.
    fetching: tokio::sync::Mutex<()>,
}

/// A cached token and when to stop using it.
struct Current {
    token: Secret,
    renew_at: Instant,
}

impl CachedToken {
    /// A cache with nothing in it yet, renewing tokens 60 s before they expire.
    pub fn new(source: impl TokenSource) -> Self {
        CachedToken {
            source: Box::new(source),
            renew_before: DEFAULT_RENEW_BEFORE,
            current: Mutex::new(None),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// Renew a token when less than `margin` of its lifetime is left (default 60 s). For a
    /// token valid for less than twice the margin, half its lifetime is used instead, so that
    /// a short-lived token is still reused.
    #[must_use]
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.renew_before = margin;
        self
    }

    /// The cached token, fetching or renewing it first when needed. Only one fetch runs at a
    /// time; concurrent callers wait for it and share its token.
    ///
    /// A failed fetch is returned to the caller that made it; the next caller tries again.
    pub async fn get(&self, http: &Client) -> Result<Secret, Error<Infallible>> {
        if let Some(token) = self.valid() {
            return Ok(token);
        }
        let _fetching = self.fetching.lock().await;
        // Whoever held the lock before may have just fetched a token.
        if let Some(token) = self.valid() {
            return Ok(token);
        }
        let (token, stated) = self.source.fetch(http).await?;
        let valid_for = usable_for(&token, stated);
        let margin = self.renew_before.min(valid_for / 2);
        let renew_at = Instant::now() + valid_for.saturating_sub(margin);
        *self.lock_current() = Some(Current {
            token: token.clone(),
            renew_at,
        });
        Ok(token)
    }

    /// Forgets the token, so that the next [`CachedToken::get`] fetches a new one; a source
    /// that keeps tokens ([`FileTokenCache`]) forgets it too.
    pub fn invalidate(&self) {
        let forgotten = self.lock_current().take();
        if let Some(current) = forgotten {
            self.source.forget(&current.token);
        }
    }

    /// Forgets the token only if it is still `rejected`: a request that failed with an old
    /// token must not throw away the new one another request already fetched. The source is
    /// told either way, so that it never hands out `rejected` again.
    pub(super) fn invalidate_if_current(&self, rejected: &Secret) {
        {
            let mut current = self.lock_current();
            if current.as_ref().is_some_and(|c| c.token == *rejected) {
                *current = None;
            }
        }
        self.source.forget(rejected);
    }

    /// The cached token if it is not due for renewal.
    fn valid(&self) -> Option<Secret> {
        let current = self.lock_current();
        current
            .as_ref()
            .filter(|c| Instant::now() < c.renew_at)
            .map(|c| c.token.clone())
    }

    fn lock_current(&self) -> std::sync::MutexGuard<'_, Option<Current>> {
        // The guarded value is a plain replaceable token, always consistent, so a panic in
        // another holder leaves nothing to repair.
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.lock_current().as_ref().map(|c| c.renew_at);
        f.debug_struct("CachedToken")
            .field("token", &cached.map(|_| "<redacted>"))
            .field(
                "renew_in",
                &cached.map(|at| at.saturating_duration_since(Instant::now())),
            )
            .field("renew_before", &self.renew_before)
            .finish_non_exhaustive()
    }
}

// ---------------------------------------------------------------------------------------------
// Sharing tokens between processes

/// What every cache file says it is, so that no other file is taken for one.
const CACHE_FORMAT: &str = "cloudgen-token-cache/1";

/// A lock file older than this belongs to a process that died while fetching; it is removed.
const STALE_LOCK: Duration = Duration::from_secs(15);

/// How long to wait for another process's fetch before fetching without the cache.
const LOCK_WAIT: Duration = Duration::from_secs(20);

/// A [`TokenSource`] that keeps the tokens of `source` in a directory, one private file per
/// set of credentials, so that several processes (or clients) with the same credentials share
/// one token instead of each fetching their own.
///
/// Opt-in: wrap a source whose [`TokenSource::cache_key`] names its credentials and give the
/// wrapper to the client builder. A source without a cache key is used as if there were no
/// cache.
///
/// - A file is `<dir>/<cache key>.json`, created with permissions `0600` (the directory `0700`
///   when it is created) and replaced atomically, so a reader never sees half a file.
/// - A token is used until its own `exp` claim (for a JSON Web Token) or the recorded expiry
///   says it expires, less [`FileTokenCache::renew_before`]; then a new one is fetched.
/// - Fetches are serialised between processes with a lock file next to the cache file, so
///   that processes starting together fetch one token, not one each.
/// - A file that is corrupt, written for other credentials, not a regular file, owned by
///   another user, or readable or writable by others (on Unix) is never trusted: it is ignored
///   with a warning (`tracing`) and replaced by the next token fetched.
/// - When the server refuses a token, its file is removed.
///
/// Problems with the directory never fail a request: the token is then fetched as if there
/// were no cache, with a warning. Neither `Debug`, warnings nor errors ever show a token.
///
/// ```no_run
/// # use cloudgen_runtime::{BoxFuture, Error, Secret};
/// use cloudgen_runtime::token::FileTokenCache;
/// use cloudgen_runtime::{Client, TokenSource};
/// # struct Exchange;
/// # impl TokenSource for Exchange {
/// #     fn fetch<'a>(&'a self, _: &'a Client) -> BoxFuture<'a,
/// #         Result<(Secret, std::time::Duration), Error<std::convert::Infallible>>> { todo!() }
/// # }
/// # fn example(url: &str, source: Exchange) -> Result<(), Box<dyn std::error::Error>> {
///
/// let dir = std::env::temp_dir().join("my-app"); // better: the user's cache directory
/// let source = FileTokenCache::new(source, dir);
/// let client = Client::builder(url).token_source(source).build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct FileTokenCache<S> {
    source: S,
    dir: PathBuf,
    renew_before: Duration,
}

impl<S: TokenSource> FileTokenCache<S> {
    /// Keeps the tokens of `source` in files under `dir`, created when needed.
    pub fn new(source: S, dir: impl Into<PathBuf>) -> Self {
        FileTokenCache {
            source,
            dir: dir.into(),
            renew_before: DEFAULT_RENEW_BEFORE,
        }
    }

    /// A cached token with less than `margin` of its life left is not used; a new one is
    /// fetched instead (default 60 s).
    #[must_use]
    pub fn renew_before(mut self, margin: Duration) -> Self {
        self.renew_before = margin;
        self
    }

    /// The directory the cache files are in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The cache file for `key`, or `None` (with a warning) when the key cannot name a file.
    fn file_for(&self, key: &str) -> Option<PathBuf> {
        let safe = !key.is_empty()
            && key.len() <= 128
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !safe {
            tracing::warn!(
                "the token source's cache key cannot name a file; tokens are not cached"
            );
            return None;
        }
        Some(self.dir.join(format!("{key}.json")))
    }

    /// Fetches from the source, through the cache file when there is one.
    async fn fetch_cached(&self, http: &Client) -> Result<(Secret, Duration), Error<Infallible>> {
        let Some(key) = self.source.cache_key() else {
            return self.source.fetch(http).await;
        };
        let Some(path) = self.file_for(&key) else {
            return self.source.fetch(http).await;
        };
        if let Err(e) = create_private_dir(&self.dir) {
            tracing::warn!(dir = %self.dir.display(), error = %e, "cannot create the token cache directory; tokens are not cached");
            return self.source.fetch(http).await;
        }
        let Some(lock) = FileLock::acquire(path.with_extension("lock")).await else {
            return self.source.fetch(http).await;
        };
        if let Some(cached) = read_entry(&path, &key, lock.owner()) {
            let left = cached
                .expiry
                .duration_since(SystemTime::now())
                .unwrap_or(Duration::ZERO);
            if left > self.renew_before {
                tracing::debug!(path = %path.display(), "using the token from the cache file");
                return Ok((cached.token, left));
            }
        }
        let (token, stated) = self.source.fetch(http).await?;
        let expiry = SystemTime::now() + usable_for(&token, stated);
        if let Err(e) = write_entry(&path, &key, &token, expiry) {
            tracing::warn!(path = %path.display(), error = %e, "cannot write the token cache file");
        }
        drop(lock);
        Ok((token, stated))
    }
}

impl<S: TokenSource> TokenSource for FileTokenCache<S> {
    fn fetch<'a>(
        &'a self,
        http: &'a Client,
    ) -> BoxFuture<'a, Result<(Secret, Duration), Error<Infallible>>> {
        Box::pin(self.fetch_cached(http))
    }

    fn cache_key(&self) -> Option<String> {
        self.source.cache_key()
    }

    fn forget(&self, token: &Secret) {
        self.source.forget(token);
        let Some(path) = self.source.cache_key().and_then(|key| self.file_for(&key)) else {
            return;
        };
        // Only the file holding this very token goes: another process may have replaced it.
        let holds_it = fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .is_some_and(|file| file.token == token.expose());
        if holds_it {
            match fs::remove_file(&path) {
                Ok(()) => tracing::debug!(path = %path.display(), "removed the refused token from the cache"),
                Err(e) => tracing::warn!(path = %path.display(), error = %e, "cannot remove the refused token from the cache"),
            }
        }
    }
}

impl<S> fmt::Debug for FileTokenCache<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileTokenCache")
            .field("dir", &self.dir)
            .field("renew_before", &self.renew_before)
            .finish_non_exhaustive()
    }
}

/// The contents of a cache file.
#[derive(serde::Serialize, serde::Deserialize)]
struct CacheFile {
    format: String,
    key: String,
    token: String,
    /// Unix seconds; for a JWT, its own `exp` claim is used when it is earlier.
    expires: u64,
}

/// A token read from a cache file that can be trusted.
struct CachedEntry {
    token: Secret,
    expiry: SystemTime,
}

/// The token in the cache file at `path`, if there is a trustworthy one for `key`. `owner` is
/// the user id that files of this process are created with (Unix; `None` elsewhere).
fn read_entry(path: &Path, key: &str, owner: Option<u32>) -> Option<CachedEntry> {
    let ignore = |reason: &str| {
        tracing::warn!(path = %path.display(), "ignoring the token cache file: {reason}");
    };
    let meta = match fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read the token cache file");
            return None;
        }
    };
    if !meta.file_type().is_file() {
        ignore("it is not a regular file");
        return None;
    }
    if let Some(reason) = not_private(&meta, owner) {
        ignore(reason);
        return None;
    }
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "cannot read the token cache file");
            return None;
        }
    };
    // serde's messages may quote the values that failed, which could be a token: say no more
    // than where the file went wrong.
    let file: CacheFile = match serde_json::from_slice(&bytes) {
        Ok(file) => file,
        Err(e) => {
            ignore(&format!(
                "it is not a token cache file (line {}, column {})",
                e.line(),
                e.column()
            ));
            return None;
        }
    };
    if file.format != CACHE_FORMAT {
        ignore("it is not a token cache file of this version");
        return None;
    }
    if file.key != key {
        ignore("it holds a token for other credentials");
        return None;
    }
    if file.token.is_empty() {
        ignore("it holds no token");
        return None;
    }
    let recorded = UNIX_EPOCH.checked_add(Duration::from_secs(file.expires))?;
    let expiry = match jwt_expiry(&file.token) {
        Some(exp) => exp.min(recorded),
        None => recorded,
    };
    Some(CachedEntry {
        token: Secret::new(file.token),
        expiry,
    })
}

/// Writes the cache file for `key` atomically: a private temporary file renamed over it.
fn write_entry(path: &Path, key: &str, token: &Secret, expiry: SystemTime) -> std::io::Result<()> {
    let expires = expiry
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let file = CacheFile {
        format: CACHE_FORMAT.to_owned(),
        key: key.to_owned(),
        token: token.expose().to_owned(),
        expires,
    };
    let bytes = serde_json::to_vec(&file).map_err(std::io::Error::other)?;
    let temporary = path.with_extension(format!(
        "{}-{:016x}.tmp",
        std::process::id(),
        fastrand::u64(..)
    ));
    let written = create_private_file(&temporary).and_then(|mut out| {
        out.write_all(&bytes)?;
        out.sync_all()
    });
    let renamed = written.and_then(|()| fs::rename(&temporary, path));
    if renamed.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    renamed
}

/// A lock file held while one process reads the cache and, if need be, fetches a new token.
/// Removed when dropped.
struct FileLock {
    path: PathBuf,
    owner: Option<u32>,
}

impl FileLock {
    /// Creates the lock file, waiting while another process holds it. `None` (with a warning)
    /// when it cannot be had in time.
    async fn acquire(path: PathBuf) -> Option<FileLock> {
        let started = Instant::now();
        loop {
            match create_private_file(&path) {
                Ok(file) => {
                    let owner = file.metadata().ok().and_then(|meta| file_owner(&meta));
                    return Some(FileLock { path, owner });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let age = fs::metadata(&path)
                        .and_then(|meta| meta.modified())
                        .ok()
                        .and_then(|modified| SystemTime::now().duration_since(modified).ok());
                    if age.is_some_and(|age| age > STALE_LOCK) {
                        tracing::debug!(path = %path.display(), "removing a stale token cache lock");
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    if started.elapsed() > LOCK_WAIT {
                        tracing::warn!(path = %path.display(), "the token cache stayed locked; fetching a token without it");
                        return None;
                    }
                    tokio::time::sleep(Duration::from_millis(25 + fastrand::u64(..50))).await;
                }
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "cannot lock the token cache; fetching a token without it");
                    return None;
                }
            }
        }
    }

    /// The user id of the lock file, which is the id this process creates files with.
    fn owner(&self) -> Option<u32> {
        self.owner
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// A new file only this user can read and write; fails if it exists.
fn create_private_file(path: &Path) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates `dir` and its parents if missing; a directory created here is private (`0700`).
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Why a cache file with this metadata must not be trusted, if it must not.
#[cfg(unix)]
fn not_private(meta: &fs::Metadata, owner: Option<u32>) -> Option<&'static str> {
    use std::os::unix::fs::MetadataExt as _;
    if owner.is_some_and(|owner| meta.uid() != owner) {
        return Some("it belongs to another user");
    }
    if meta.mode() & 0o077 != 0 {
        return Some("other users may read or write it (permissions must be 0600)");
    }
    None
}

/// Why a cache file with this metadata must not be trusted, if it must not.
#[cfg(not(unix))]
fn not_private(_meta: &fs::Metadata, _owner: Option<u32>) -> Option<&'static str> {
    None
}

/// The user id owning a file (Unix).
#[cfg(unix)]
fn file_owner(meta: &fs::Metadata) -> Option<u32> {
    use std::os::unix::fs::MetadataExt as _;
    Some(meta.uid())
}

/// The user id owning a file (Unix).
#[cfg(not(unix))]
fn file_owner(_meta: &fs::Metadata) -> Option<u32> {
    None
}
