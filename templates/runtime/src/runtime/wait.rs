//! Waiting for a resource to reach a state (a server `started`, an instance `running`) by
//! polling it with growing intervals until a deadline.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

use super::error::Error;

/// How long a text of the last polled value may be in [`WaitError::Deadline`], in bytes.
const LAST_VALUE_BYTES: usize = 1024;

/// How often to poll and for how long.
///
/// The default polls after 1 s, then each wait is 1.5 times the one before, up to 15 s apart,
/// and gives up after 10 minutes.
///
/// ```
/// use std::time::Duration;
/// use cloudgen_runtime::WaitPolicy;
///
/// let policy = WaitPolicy::new()
///     .interval(Duration::from_secs(2))
///     .deadline(Duration::from_secs(300));
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct WaitPolicy {
    interval: Duration,
    multiplier: f64,
    max_interval: Duration,
    deadline: Duration,
}

impl Default for WaitPolicy {
    fn default() -> Self {
        WaitPolicy {
            interval: Duration::from_secs(1),
            multiplier: 1.5,
            max_interval: Duration::from_secs(15),
            deadline: Duration::from_secs(10 * 60),
        }
    }
}

impl WaitPolicy {
    /// The default policy.
    pub fn new() -> Self {
        WaitPolicy::default()
    }

    /// The wait between the first and second poll (default 1 s).
    pub fn interval(mut self, d: Duration) -> Self {
        self.interval = d;
        self
    }

    /// How much each wait grows over the one before (default 1.5; values below 1, and NaN,
    /// count as 1: constant waits).
    pub fn multiplier(mut self, factor: f64) -> Self {
        self.multiplier = if factor >= 1.0 { factor } else { 1.0 };
        self
    }

    /// The longest wait between two polls (default 15 s).
    pub fn max_interval(mut self, d: Duration) -> Self {
        self.max_interval = d;
        self
    }

    /// The time allowed from the first poll until giving up (default 10 minutes). A poll still
    /// running at the deadline is abandoned, and no poll starts after it.
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = d;
        self
    }

    /// The wait after `current`.
    fn next_interval(&self, current: Duration) -> Duration {
        let grown = current.as_secs_f64() * self.multiplier;
        // `min` before converting, so that no factor can overflow `Duration`.
        Duration::from_secs_f64(grown.min(self.max_interval.as_secs_f64()))
    }
}

/// Why [`wait_until`] stopped without reaching the state.
#[non_exhaustive]
pub enum WaitError<E> {
    /// A poll failed.
    Request(Error<E>),
    /// The deadline passed first.
    Deadline {
        /// Time from the first poll until giving up.
        elapsed: Duration,
        /// Polls that completed.
        polls: u32,
        /// The last polled value (its `Debug` text, shortened), if any poll completed.
        last: Option<String>,
    },
}

impl<E> WaitError<E> {
    /// Whether the deadline passed before the state was reached.
    pub fn is_deadline(&self) -> bool {
        matches!(self, WaitError::Deadline { .. })
    }
}

impl<E> From<Error<E>> for WaitError<E> {
    fn from(error: Error<E>) -> Self {
        WaitError::Request(error)
    }
}

impl<E: fmt::Debug> fmt::Debug for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Request(error) => f.debug_tuple("Request").field(error).finish(),
            WaitError::Deadline {
                elapsed,
                polls,
                last,
            } => f
                .debug_struct("Deadline")
                .field("elapsed", elapsed)
                .field("polls", polls)
                .field("last", last)
                .finish(),
        }
    }
}

impl<E: fmt::Debug> fmt::Display for WaitError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitError::Request(error) => write!(f, "polling failed: {error}"),
            WaitError::Deadline {
                elapsed,
                polls,
                last,
            } => {
                write!(
                    f,
                    "gave up waiting after {} ms and {polls} poll{}",
                    elapsed.as_millis(),
                    if *polls == 1 { "" } else { "s" }
                )?;
                match last {
                    Some(last) => write!(f, "; last value: {last}"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl<E: fmt::Debug + 'static> std::error::Error for WaitError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WaitError::Request(error) => Some(error),
            WaitError::Deadline { .. } => None,
        }
    }
}

/// Polls `poll()` until `done(&value)` is true and returns that value, waiting between polls as
/// `policy` says. The first poll is made at once.
///
/// Fails with [`WaitError::Request`] as soon as a poll fails, and with
/// [`WaitError::Deadline`] when the deadline passes during a poll or the next poll would start
/// after it.
///
/// ```no_run
/// # use std::convert::Infallible;
/// use cloudgen_runtime::{wait_until, Error, WaitPolicy};
/// # #[derive(Debug)]
/// # struct Server { state: &'static str }
/// # async fn get_server(_uuid: &str) -> Result<Server, Error<Infallible>> { todo!() }
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// let uuid = "00798b85-efdc-41ca-8021-f6ef457b8531";
/// let server = wait_until(&WaitPolicy::new(), || get_server(uuid), |s| s.state == "started")
///     .await?;
/// # Ok(()) }
/// ```
pub async fn wait_until<T, E, F, Fut, P>(
    policy: &WaitPolicy,
    mut poll: F,
    mut done: P,
) -> Result<T, WaitError<E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error<E>>>,
    P: FnMut(&T) -> bool,
    T: fmt::Debug,
{
    let started = Instant::now();
    let mut interval = policy.interval.min(policy.max_interval);
    let mut polls = 0u32;
    let mut last = None;
    loop {
        let remaining = policy.deadline.saturating_sub(started.elapsed());
        let value = match tokio::time::timeout(remaining, poll()).await {
            Ok(result) => result?,
            Err(_) => {
                return Err(WaitError::Deadline {
                    elapsed: started.elapsed(),
                    polls,
                    last,
                })
            }
        };
        polls = polls.saturating_add(1);
        if done(&value) {
            return Ok(value);
        }
        let elapsed = started.elapsed();
        last = Some(shorten(format!("{value:?}")));
        if elapsed.saturating_add(interval) >= policy.deadline {
            return Err(WaitError::Deadline {
                elapsed,
                polls,
                last,
            });
        }
        tracing::debug!(
            polls,
            wait_ms = u64::try_from(interval.as_millis()).unwrap_or(u64::MAX),
            "not there yet; polling again"
        );
        tokio::time::sleep(interval).await;
        interval = policy.next_interval(interval);
    }
}

/// `text` cut to about [`LAST_VALUE_BYTES`] on a character boundary.
fn shorten(mut text: String) -> String {
    if text.len() > LAST_VALUE_BYTES {
        let mut end = LAST_VALUE_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}
