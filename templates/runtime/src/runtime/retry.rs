//! When and how long to wait before sending a request again.
//!
//! A request is retried on connection errors and on `429`, `502`, `503` and `504`, with
//! exponential backoff and jitter. A server's own wait (`Retry-After`, or a rate-limit reset
//! header on `429`) replaces the computed backoff, as long as it stays within
//! [`RetryPolicy::max_server_wait`] and the total deadline.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How many times a request is sent and how long to wait between attempts.
///
/// The default is 3 attempts, 200 ms initial backoff doubling up to 10 s, with jitter, no total
/// deadline, and server-requested waits honoured up to 60 s.
///
/// ```
/// use std::time::Duration;
/// use cloudgen_runtime::RetryPolicy;
///
/// let policy = RetryPolicy::new(5)
///     .initial_backoff(Duration::from_millis(100))
///     .deadline(Duration::from_secs(30));
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    deadline: Option<Duration>,
    jitter: bool,
    max_server_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            deadline: None,
            jitter: true,
            max_server_wait: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The default policy with at most `max_attempts` attempts in total (the first one included;
    /// `0` is treated as `1`).
    pub fn new(max_attempts: u32) -> Self {
        RetryPolicy {
            max_attempts: max_attempts.max(1),
            ..RetryPolicy::default()
        }
    }

    /// A policy that sends every request exactly once.
    pub fn none() -> Self {
        RetryPolicy::new(1)
    }

    /// The wait before the second attempt; it doubles for each later one.
    pub fn initial_backoff(mut self, d: Duration) -> Self {
        self.initial_backoff = d;
        self
    }

    /// The longest computed wait between two attempts.
    pub fn max_backoff(mut self, d: Duration) -> Self {
        self.max_backoff = d;
        self
    }

    /// The total time allowed for all attempts and the waits between them. An attempt that would
    /// start after it is not made, and an attempt still running when it passes times out.
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = Some(d);
        self
    }

    /// Whether computed waits are randomised (on by default) so that many clients do not retry
    /// in lock-step.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The longest wait a server may ask for (`Retry-After` or a rate-limit reset header).
    /// When a server asks for more, the request is not retried and its error is returned.
    pub fn max_server_wait(mut self, d: Duration) -> Self {
        self.max_server_wait = d;
        self
    }

    /// The total number of attempts allowed.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts.max(1)
    }

    /// The total deadline, if any.
    pub fn total_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The computed wait after attempt number `attempt` (1-based) failed.
    pub(super) fn backoff(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(30);
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff);
        if self.jitter {
            // "Equal jitter": at least half the backoff, so waits still grow, plus a random part.
            base.mul_f64(0.5 + fastrand::f64() * 0.5)
        } else {
            base
        }
    }

    /// The wait a server asked for, judged against [`RetryPolicy::max_server_wait`].
    pub(super) fn server_wait(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        rate_limit_reset: Option<&HeaderName>,
    ) -> ServerWait {
        let requested = retry_after(headers).or_else(|| {
            if status == StatusCode::TOO_MANY_REQUESTS {
                rate_limit_reset.and_then(|name| reset_wait(headers, name))
            } else {
                None
            }
        });
        match requested {
            None => ServerWait::Unspecified,
            Some(wait) if wait > self.max_server_wait => ServerWait::TooLong,
            Some(wait) => ServerWait::Wait(wait),
        }
    }
}

/// What a server said about when to try again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ServerWait {
    /// Nothing: the computed backoff applies.
    Unspecified,
    /// Wait this long.
    Wait(Duration),
    /// The server asked for a wait longer than the policy allows, so retrying is pointless.
    TooLong,
}

/// Whether a response with this status is worth sending again.
pub(super) fn is_retryable_status(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::TOO_MANY_REQUESTS
            | StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT
    )
}

/// Whether sending a request with this method twice has the same effect as sending it once.
pub(super) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// The `Retry-After` header as a wait: delta-seconds or an HTTP-date (a date in the past is no
/// wait at all).
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(
        date.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// The wait until the Unix time (seconds, possibly fractional) in header `name`. A reset time
/// already past gives no wait, so the computed backoff applies.
fn reset_wait(headers: &HeaderMap, name: &HeaderName) -> Option<Duration> {
    let value = headers.get(name)?.to_str().ok()?.trim();
    let reset = value
        .parse::<f64>()
        .ok()
        .filter(|t| t.is_finite() && *t >= 0.0)?;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .ok()?
        .as_secs_f64();
    let wait = reset - now;
    // Bounded so that an absurd header cannot overflow `Duration`; `max_server_wait` applies next.
    (wait > 0.0).then(|| Duration::from_secs_f64(wait.min(1.0e9)))
}
