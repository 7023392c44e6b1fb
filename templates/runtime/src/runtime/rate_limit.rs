//! Rate-limit headers as a value, e.g. TransIP's `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining`
//! and `X-Rate-Limit-Reset`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::HeaderMap;

/// What a response says about the caller's rate limit. Each field is `None` when its header is
/// missing or not a number.
///
/// ```
/// use cloudgen_runtime::reqwest::header::HeaderMap;
/// use cloudgen_runtime::RateLimit;
///
/// let mut headers = HeaderMap::new();
/// headers.insert("X-Rate-Limit-Limit", "100".parse().unwrap());
/// headers.insert("X-Rate-Limit-Remaining", "0".parse().unwrap());
/// headers.insert("X-Rate-Limit-Reset", "1700000000".parse().unwrap());
/// // `headers` is usually `response.headers()`.
/// let limit = RateLimit::from_headers(
///     &headers,
///     "X-Rate-Limit-Limit",
///     "X-Rate-Limit-Remaining",
///     "X-Rate-Limit-Reset",
/// );
/// assert!(limit.is_exhausted()); // wait until `limit.reset`
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub limit: Option<u64>,
    /// Requests left in the current window.
    pub remaining: Option<u64>,
    /// When the window resets.
    pub reset: Option<SystemTime>,
}

impl RateLimit {
    /// Reads the three headers by name (`reset` holds Unix seconds, possibly fractional).
    /// Missing or invalid headers, and invalid header names, give `None` fields.
    pub fn from_headers(headers: &HeaderMap, limit: &str, remaining: &str, reset: &str) -> Self {
        RateLimit {
            limit: header_u64(headers, limit),
            remaining: header_u64(headers, remaining),
            reset: header_unix_time(headers, reset),
        }
    }

    /// Whether the server said no requests are left in this window.
    pub fn is_exhausted(&self) -> bool {
        self.remaining == Some(0)
    }

    /// How long from `now` until the window resets; `None` when the reset time is unknown,
    /// `Some(Duration::ZERO)` when it has passed.
    pub fn reset_after(&self, now: SystemTime) -> Option<Duration> {
        self.reset
            .map(|reset| reset.duration_since(now).unwrap_or(Duration::ZERO))
    }
}

/// The header's value as text, trimmed; `None` when absent, repeated oddly or not ASCII.
fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    // `HeaderMap::get` with a `&str` that is not a valid header name simply finds nothing.
    headers.get(name)?.to_str().ok().map(str::trim)
}

fn header_u64(headers: &HeaderMap, name: &str) -> Option<u64> {
    header_text(headers, name)?.parse().ok()
}

fn header_unix_time(headers: &HeaderMap, name: &str) -> Option<SystemTime> {
    let text = header_text(headers, name)?;
    let since_epoch = match text.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => {
            let seconds = text
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s >= 0.0)?;
            // Bounded so that an absurd value cannot overflow `Duration`.
            Duration::from_secs_f64(seconds.min(1.0e12))
        }
    };
    UNIX_EPOCH.checked_add(since_epoch)
}
