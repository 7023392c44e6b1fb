//! Sending a request: attempts, retries, timeouts, body limits, decoding and tracing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::{Method, StatusCode, Url};
use tracing::field::Empty;
use tracing::Instrument as _;

use super::auth::{bearer, Auth};
use super::client::Client;
use super::decode::{DecodeFn, Decoded};
use super::drift;
use super::error::{ApiError, Error};
use super::hooks::ResponseInfo;
use super::request::{has_dot_segment, Request};
use super::response::Response;
use super::retry::{is_idempotent, is_retryable_status, RetryPolicy, ServerWait};
use super::secret::is_sensitive_header;
use super::stream::ByteStream;
use super::token::CachedToken;

/// A request turned into everything an attempt needs, checked once.
struct Prepared {
    method: Method,
    path_template: &'static str,
    operation: &'static str,
    error_fields: (&'static str, &'static str),
    url: Url,
    /// Query parameters whose values are secrets (`Request::secret_query`), by encoded name.
    secret_query: Vec<String>,
    /// For a path that holds a secret (`Request::secret_path`): the rendered path and its
    /// template, which error messages show instead.
    secret_path: Option<(String, &'static str)>,
    headers: HeaderMap,
    body: Option<Bytes>,
    policy: RetryPolicy,
    timeout: Duration,
    /// Whether sending twice is harmless: an idempotent method, or marked `retry_safe`.
    repeatable: bool,
    /// The token cache, when each attempt carries a fetched token.
    token: Option<Arc<CachedToken>>,
}

impl Prepared {
    /// What the call was, for error messages: `` `get_server` (GET
    /// https://api.upcloud.com/1.3/server/0079…) ``, or the method and URL when the request
    /// names no operation. The URL is shown without secrets (see [`shown_url`]). Built only
    /// when an error needs it, so a successful request never pays for it.
    fn call(&self, default_query: &[(String, String)]) -> Box<str> {
        call_text(
            self.operation,
            &self.method,
            &shown_url(
                &self.url,
                default_query,
                &self.secret_query,
                self.secret_path.as_ref(),
            ),
        )
    }

    /// Whether a retryable response with `status` may be retried after this attempt.
    ///
    /// A 429 is retried whatever the method: the server refused the request without acting
    /// on it, so sending it again cannot do anything twice. Other statuses (502, 503, 504)
    /// may come after the server did act, so only repeatable requests are retried on them.
    fn may_retry(&self, status: StatusCode, attempt: u32) -> bool {
        (self.repeatable || status == StatusCode::TOO_MANY_REQUESTS)
            && attempt < self.policy.max_attempts()
    }
}

/// What one attempt came to.
enum Step<T, E> {
    Done(Result<Response<T>, Error<E>>),
    /// The server refused the fetched token: fetch a new one and send again at once.
    Unauthorized,
    Retry {
        delay: Duration,
        reason: RetryReason,
    },
}

/// Why an attempt is retried, for the trace.
#[derive(Clone, Copy)]
enum RetryReason {
    Status(StatusCode),
    Connection,
}

/// Hands a success response over unread: the response, the call it answers, the attempt.
type UnreadFn<O> = fn(reqwest::Response, Box<str>, u32) -> O;

/// What an attempt does with a response that is not retried: `execute` reads and decodes every
/// body; `execute_stream` hands a success body over unread and decodes only the others.
struct Finish<T, E, O> {
    decode: DecodeFn<T, E>,
    /// Hands a success response over unread, given the call it answers and the attempt
    /// number; `None` reads and decodes every response.
    unread: Option<UnreadFn<O>>,
    /// The output for a decoded success value.
    value: fn(T) -> O,
}

impl<T, E, O> Clone for Finish<T, E, O> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, E, O> Copy for Finish<T, E, O> {}

/// Why a body could not be read.
enum BodyError {
    TooLarge,
    Transport(reqwest::Error),
}

impl Client {
    /// Sends `request`, retrying as the retry policy allows, and decodes the final response
    /// with `decode`.
    ///
    /// Records one `cloudapi.request` tracing span with the method, the path *template*, the
    /// final status, the attempt number and the duration; never the query or header values.
    pub async fn execute<T, E: 'static>(
        &self,
        request: Request,
        decode: DecodeFn<T, E>,
    ) -> Result<Response<T>, Error<E>> {
        let finish = Finish {
            decode,
            unread: None,
            value: |value| value,
        };
        self.execute_with(request, finish).await
    }

    /// Sends `request` like [`Client::execute`], but hands the body of a success response over
    /// unread, as a [`ByteStream`]: for downloads too large to hold in memory. The body-size
    /// limit does not apply to it, and the request timeout ends once the headers are in. Error
    /// responses are read and decoded with `decode` as usual.
    pub async fn execute_stream<E: 'static>(
        &self,
        request: Request,
        decode: DecodeFn<Bytes, E>,
    ) -> Result<Response<ByteStream>, Error<E>> {
        let finish = Finish {
            decode,
            unread: Some(ByteStream::live),
            value: ByteStream::from_bytes,
        };
        self.execute_with(request, finish).await
    }

    async fn execute_with<T, E: 'static, O>(
        &self,
        request: Request,
        finish: Finish<T, E, O>,
    ) -> Result<Response<O>, Error<E>> {
        let span = tracing::info_span!(
            "cloudapi.request",
            method = %request.method,
            path = request.path_template,
            status = Empty,
            attempt = Empty,
            duration_ms = Empty,
        );
        let started = Instant::now();
        let result = self
            .run(request, finish, started)
            .instrument(span.clone())
            .await;
        // Recorded once, at the end, so that every subscriber shows one value per field.
        let (status, attempts) = match &result {
            Ok(response) => (Some(response.status()), response.attempts()),
            Err(error) => (error.status(), error.attempts()),
        };
        if let Some(status) = status {
            span.record("status", status.as_u16());
        }
        span.record("attempt", attempts);
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        span.record("duration_ms", duration_ms);
        result
    }

    async fn run<T, E: 'static, O>(
        &self,
        request: Request,
        finish: Finish<T, E, O>,
        started: Instant,
    ) -> Result<Response<O>, Error<E>> {
        // Before there is a URL, a refused request is named by its path template.
        let (operation, method, template) = (
            request.operation,
            request.method.clone(),
            request.path_template,
        );
        let prepared = self.prepare(request).map_err(|message| Error::Request {
            message,
            call: call_text(operation, &method, template),
        })?;
        let default_query = self.inner.default_query.as_slice();
        let mut attempt = 0;
        let mut token_refused = false;
        loop {
            // A fresh look at the cache each time: a token may expire during retries.
            let token = match &prepared.token {
                None => None,
                Some(cache) => {
                    let token = cache
                        .get(self)
                        .await
                        .map_err(|e| Error::auth(e, prepared.call(default_query), attempt))?;
                    let header = bearer(&token).map_err(|message| Error::Auth {
                        message,
                        call: prepared.call(default_query),
                        attempts: attempt,
                    })?;
                    Some((token, header))
                }
            };
            attempt += 1;
            // Each attempt gets the request timeout, cut short by the total deadline.
            let mut budget = prepared.timeout;
            if let Some(deadline) = prepared.policy.total_deadline() {
                budget = budget.min(deadline.saturating_sub(started.elapsed()));
            }
            // Only the first `401` gets a new token; a second means the credentials are bad.
            let may_renew = token.is_some() && !token_refused;
            let header = token.as_ref().map(|(_, header)| header);
            let step = tokio::time::timeout(
                budget,
                self.attempt(&prepared, attempt, started, finish, header, may_renew),
            )
            .await;
            match step {
                Err(_) => {
                    return Err(Error::Timeout {
                        call: prepared.call(default_query),
                        attempts: attempt,
                        elapsed: started.elapsed(),
                    })
                }
                Ok(Step::Done(result)) => return result,
                Ok(Step::Unauthorized) => {
                    token_refused = true;
                    if let (Some(cache), Some((token, _))) = (&prepared.token, &token) {
                        cache.invalidate_if_current(token);
                    }
                    tracing::debug!(attempt, "the token was refused; retrying with a new one");
                }
                Ok(Step::Retry { delay, reason }) => {
                    let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                    match reason {
                        RetryReason::Status(status) => tracing::debug!(
                            attempt,
                            delay_ms,
                            status = status.as_u16(),
                            "retrying after a retryable status"
                        ),
                        RetryReason::Connection => {
                            tracing::debug!(attempt, delay_ms, "retrying after a connection error");
                        }
                    }
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    /// Checks the request and merges it with the client's configuration.
    fn prepare(&self, request: Request) -> Result<Prepared, String> {
        let inner = &*self.inner;
        if let Some(problem) = request.problem {
            return Err(problem);
        }
        let template = request.path_template;
        if !request.path.starts_with('/') || request.path.contains(['?', '#']) {
            return Err(format!(
                "the path for `{template}` must start with `/` and be percent-encoded"
            ));
        }
        if has_dot_segment(&request.path) {
            return Err(format!(
                "the path for `{template}` has a `.` or `..` segment"
            ));
        }

        let mut url = format!("{}{}", inner.base_url, request.path);
        let secret_path = request
            .secret_path
            .then(|| (request.path.clone(), template));
        let mut separator = '?';
        for (name, value) in request.query.iter().chain(&inner.default_query) {
            url.push(separator);
            url.push_str(name);
            url.push('=');
            url.push_str(value);
            separator = '&';
        }
        let url =
            Url::parse(&url).map_err(|e| format!("could not form a URL for `{template}`: {e}"))?;

        // Later sources win: client defaults, then credentials, then the request's own headers,
        // then the caller's per-request options.
        let mut headers = HeaderMap::new();
        headers.insert(USER_AGENT, inner.user_agent.clone());
        for (name, value) in &inner.default_headers {
            headers.insert(name.clone(), value.clone());
        }
        if !request.no_auth {
            if let Some((name, value)) = &inner.auth_header {
                headers.insert(name.clone(), value.clone());
            }
        }
        // A caller's own `Authorization` header replaces a fetched token, as it replaces a
        // static credential.
        let explicit_authorization = request
            .headers
            .iter()
            .chain(&request.options.headers)
            .any(|(name, _)| *name == AUTHORIZATION);
        let token = match &inner.auth {
            Auth::Token(cache) if !request.no_auth && !explicit_authorization => {
                Some(Arc::clone(cache))
            }
            _ => None,
        };
        for (name, value) in request.headers {
            headers.insert(name, value);
        }
        let body = request
            .body
            .map(|(body, content_type): (Bytes, HeaderValue)| {
                headers.insert(CONTENT_TYPE, content_type);
                body
            });
        for (name, value) in request.options.headers {
            headers.insert(name, value);
        }

        let repeatable = request.retry_safe || is_idempotent(&request.method);
        Ok(Prepared {
            method: request.method,
            path_template: template,
            operation: request.operation,
            error_fields: request.error_fields,
            url,
            secret_query: request.secret_query,
            secret_path,
            headers,
            body,
            policy: request.options.retry.unwrap_or_else(|| inner.retry.clone()),
            timeout: request.options.timeout.unwrap_or(inner.timeout),
            repeatable,
            token,
        })
    }

    /// Sends one attempt and reads its response, or says how long to wait before the next.
    async fn attempt<T, E: 'static, O>(
        &self,
        prepared: &Prepared,
        attempt: u32,
        started: Instant,
        finish: Finish<T, E, O>,
        token: Option<&HeaderValue>,
        may_renew_token: bool,
    ) -> Step<O, E> {
        let inner = &*self.inner;
        let mut request = reqwest::Request::new(prepared.method.clone(), prepared.url.clone());
        *request.headers_mut() = prepared.headers.clone();
        if let Some(token) = token {
            request.headers_mut().insert(AUTHORIZATION, token.clone());
        }
        if let Some(body) = &prepared.body {
            *request.body_mut() = Some(body.clone().into());
        }
        for hook in &inner.hooks {
            hook.before_send(&mut request).await;
        }

        // The clock is read only for hooks, the one reader of the attempt's own duration.
        let sent = (!inner.hooks.is_empty()).then(Instant::now);
        let mut response = match inner.http.execute(request).await {
            Ok(response) => response,
            Err(error) => {
                return transport_failure(prepared, &inner.default_query, attempt, started, error)
            }
        };
        let status = response.status();

        if !inner.hooks.is_empty() {
            let info = ResponseInfo {
                method: prepared.method.clone(),
                path_template: prepared.path_template,
                status,
                headers: response.headers().clone(),
                attempt,
                elapsed: sent.map_or(Duration::ZERO, |sent| sent.elapsed()),
            };
            for hook in &inner.hooks {
                hook.after_receive(&info).await;
            }
        }

        // A refused token was most likely revoked or expired early; the server did not act on
        // the request, so even a POST may be sent again. The unread body is dropped.
        if status == StatusCode::UNAUTHORIZED && may_renew_token {
            return Step::Unauthorized;
        }

        if is_retryable_status(status) && prepared.may_retry(status, attempt) {
            let delay = match prepared.policy.server_wait(
                status,
                response.headers(),
                inner.rate_limit_reset.as_ref(),
            ) {
                ServerWait::Unspecified => Some(prepared.policy.backoff(attempt)),
                ServerWait::Wait(wait) => Some(wait),
                ServerWait::TooLong => None,
            };
            if let Some(delay) = delay.filter(|d| fits_deadline(&prepared.policy, started, *d)) {
                // The unread body is dropped with the response.
                return Step::Retry {
                    delay,
                    reason: RetryReason::Status(status),
                };
            }
        }

        let headers = std::mem::take(response.headers_mut());
        if let (Some(unread), true) = (finish.unread, status.is_success()) {
            let taken = unread(response, prepared.call(&inner.default_query), attempt);
            return Step::Done(Ok(Response::new(taken, status, headers, attempt)));
        }
        let decode = finish.decode;
        let body = match read_body(response, inner.max_body_bytes).await {
            Ok(body) => body,
            Err(BodyError::TooLarge) => {
                return Step::Done(Err(Error::BodyTooLarge {
                    call: prepared.call(&inner.default_query),
                    status,
                    limit: inner.max_body_bytes,
                    attempts: attempt,
                }))
            }
            Err(BodyError::Transport(error)) => {
                return transport_failure(prepared, &inner.default_query, attempt, started, error)
            }
        };

        let decoded = if inner.report_drift {
            let (decoded, found) = drift::watch(|| decode(status, &headers, &body));
            for d in &found {
                tracing::warn!(
                    operation = prepared.operation,
                    path = prepared.path_template,
                    status = status.as_u16(),
                    field = %d.path,
                    "spec drift: {d}"
                );
            }
            decoded
        } else {
            decode(status, &headers, &body)
        };
        Step::Done(match decoded {
            Ok(Decoded::Ok(value)) => Ok(Response::new(
                (finish.value)(value),
                status,
                headers,
                attempt,
            )),
            Ok(Decoded::Err(error)) => Err(Error::Api(
                ApiError::new(status, headers, body, Some(error), None, attempt)
                    .about(prepared.call(&inner.default_query).into(), prepared.error_fields),
            )),
            Ok(Decoded::Unexpected) => Err(Error::Api(
                ApiError::new(status, headers, body, None, None, attempt)
                    .about(prepared.call(&inner.default_query).into(), prepared.error_fields),
            )),
            Err(error) if status.is_success() => Err(Error::Decode {
                status,
                operation: prepared.operation,
                call: prepared.call(&inner.default_query),
                body,
                error,
                attempts: attempt,
            }),
            // An error status whose body is not the documented one is still an API error:
            // the status is what the caller needs first.
            Err(error) => Err(Error::Api(
                ApiError::new(status, headers, body, None, Some(error), attempt)
                    .about(prepared.call(&inner.default_query).into(), prepared.error_fields),
            )),
        })
    }
}

/// Decides between retrying and failing after a transport error.
fn transport_failure<T, E>(
    prepared: &Prepared,
    default_query: &[(String, String)],
    attempt: u32,
    started: Instant,
    error: reqwest::Error,
) -> Step<T, E> {
    // The call names the URL (without secrets), so the error need not repeat it.
    let error = error.without_url();
    // A failed connect sent nothing, so even a POST can be sent again.
    let retryable = error.is_connect()
        || (prepared.repeatable && (error.is_request() || error.is_body() || error.is_decode()));
    if retryable && attempt < prepared.policy.max_attempts() {
        let delay = prepared.policy.backoff(attempt);
        if fits_deadline(&prepared.policy, started, delay) {
            return Step::Retry {
                delay,
                reason: RetryReason::Connection,
            };
        }
    }
    if error.is_timeout() {
        return Step::Done(Err(Error::Timeout {
            call: prepared.call(default_query),
            attempts: attempt,
            elapsed: started.elapsed(),
        }));
    }
    Step::Done(Err(Error::Transport {
        source: error,
        call: prepared.call(default_query),
        attempts: attempt,
    }))
}

/// Whether waiting `delay` still leaves the next attempt inside the total deadline.
fn fits_deadline(policy: &RetryPolicy, started: Instant, delay: Duration) -> bool {
    match policy.total_deadline() {
        Some(deadline) => started.elapsed().saturating_add(delay) < deadline,
        None => true,
    }
}

/// Reads the body chunk by chunk, never holding more than `limit` bytes.
async fn read_body(mut response: reqwest::Response, limit: usize) -> Result<Vec<u8>, BodyError> {
    let declared = response.content_length();
    if declared.is_some_and(|len| len > limit as u64) {
        return Err(BodyError::TooLarge);
    }
    // Trust the declared length only up to a modest size for the initial allocation.
    let capacity = declared.map_or(0, |len| usize::try_from(len).unwrap_or(0).min(64 * 1024));
    let mut body = Vec::with_capacity(capacity);
    while let Some(chunk) = response.chunk().await.map_err(BodyError::Transport)? {
        if chunk.len() > limit - body.len() {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `` `operation` (METHOD target) ``, or `METHOD target` for a request that names no operation.
fn call_text(operation: &str, method: &Method, target: &str) -> Box<str> {
    let text = if operation.is_empty() {
        format!("{method} {target}")
    } else {
        format!("`{operation}` ({method} {target})")
    };
    text.into_boxed_str()
}

/// The URL as error messages show it: without user info or fragment, and with the value of
/// every query parameter that may be a credential replaced by `<redacted>`: those whose name
/// looks like one (`api_key`, `token`, `signature`, ...), the client's default parameters,
/// which is where a query-string API key is configured, and those the spec marks secret
/// (`secret_query`). A path holding a secret is shown as its template (`secret_path`). Other parameters (filters, labels,
/// pages) stay, because they are often what a user needs to see.
fn shown_url(
    url: &Url,
    default_query: &[(String, String)],
    secret_query: &[String],
    secret_path: Option<&(String, &'static str)>,
) -> String {
    let mut shown = url.clone();
    shown.set_fragment(None);
    // These fail only for URLs that cannot have user info, which then have none.
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    shown.set_query(None);
    let mut shown = shown.to_string();
    if let Some((rendered, template)) = secret_path {
        // The URL ends in the rendered path, which was percent-encoded already and free of dot
        // segments, so parsing kept it as it was.
        match shown.strip_suffix(rendered.as_str()) {
            Some(base) => shown = format!("{base}{template}"),
            None => shown = format!("<a URL of {template}>"),
        }
    }
    if let Some(query) = url.query() {
        let redacted: Vec<String> = query
            .split('&')
            .map(|pair| {
                let name = pair.split_once('=').map_or(pair, |(name, _)| name);
                let secret = is_sensitive_header(&name.to_ascii_lowercase())
                    || default_query.iter().any(|(n, _)| n == name)
                    || secret_query.iter().any(|n| n == name);
                if secret && pair.contains('=') {
                    format!("{name}=<redacted>")
                } else {
                    pair.to_owned()
                }
            })
            .collect();
        // Appended as text: `Url::set_query` would percent-encode the marker.
        shown.push('?');
        shown.push_str(&redacted.join("&"));
    }
    shown
}
