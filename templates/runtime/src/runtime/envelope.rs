//! Response envelopes that wrap per-object results, as Unikraft Cloud's do:
//!
//! ```json
//! {"status": "partial_success", "message": "Failed to perform all operations",
//!  "data": {"instances": [
//!     {"status": "error", "uuid": "...", "message": "No instance with UUID ...", "error": 8},
//!     {"status": "success", "uuid": "...", "name": "nginx-1a747"}]}}
//! ```
//!
//! A batch call acts on many objects, and each may succeed or fail on its own, so a success
//! status does not mean every object succeeded: [`Batch`] keeps one [`ItemResult`] per object.

use std::fmt;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::decode::{decode_json, decode_value, pointer_to_path, DecodeError, Decoded};

/// Where the parts of an envelope are, as JSON pointers (from the spec's
/// `x-cloudgen-envelope`). For `status`, `message` and `errors`, `""` means the envelope has no
/// such member; for `items`, `""` means the whole body is the array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnvelopeSpec {
    /// The overall status: `"success"`, `"partial_success"` or `"error"`.
    pub status: &'static str,
    /// The overall message.
    pub message: &'static str,
    /// The array of per-object results.
    pub items: &'static str,
    /// The array of errors of the request as a whole.
    pub errors: &'static str,
}

/// How a batch call went overall, as the envelope's status says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BatchStatus {
    /// Every object succeeded (`"success"`).
    Success,
    /// Some objects failed (`"partial_success"`).
    PartialSuccess,
    /// The call failed (`"error"`).
    Error,
    /// A status this client does not know, as sent.
    Unknown(String),
}

impl BatchStatus {
    fn parse(status: &str) -> Self {
        match status {
            "success" => BatchStatus::Success,
            "partial_success" => BatchStatus::PartialSuccess,
            "error" => BatchStatus::Error,
            other => BatchStatus::Unknown(other.to_owned()),
        }
    }
}

/// The failure of one object in a batch, or one entry of an envelope's `errors`.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemError {
    /// The entry's `status` (a number, such as `401`, is given as its text).
    pub status: Option<String>,
    /// The entry's `message`.
    pub message: Option<String>,
    /// The entry's numeric `error` code.
    pub code: Option<i64>,
    /// The whole entry as sent, including the fields identifying the object (`uuid`, `name`).
    pub raw: Value,
}

impl ItemError {
    fn from_value(raw: Value) -> Self {
        let status = match raw.get("status") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let message = match &raw {
            Value::String(s) => Some(s.clone()),
            _ => raw
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_owned),
        };
        let code = raw.get("error").and_then(Value::as_i64);
        ItemError {
            status,
            message,
            code,
            raw,
        }
    }

    /// A string field of the entry, such as `uuid` or `name`, to tell which object failed.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.raw.get(name).and_then(Value::as_str)
    }
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the object failed")?;
        if let Some(code) = self.code {
            write!(f, " with error {code}")?;
        } else if let Some(status) = &self.status {
            write!(f, " with status {status}")?;
        }
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ItemError {}

/// The result for one object of a batch.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemResult<T> {
    /// The object succeeded.
    Ok(T),
    /// The object failed.
    Err(ItemError),
}

impl<T> ItemResult<T> {
    /// The value, if the object succeeded.
    pub fn ok(&self) -> Option<&T> {
        match self {
            ItemResult::Ok(value) => Some(value),
            ItemResult::Err(_) => None,
        }
    }

    /// The error, if the object failed.
    pub fn err(&self) -> Option<&ItemError> {
        match self {
            ItemResult::Ok(_) => None,
            ItemResult::Err(error) => Some(error),
        }
    }

    /// As a `Result`.
    // The error is per-object data the caller asked for (with the raw entry), not a failure
    // passed up through many frames, so its size does not matter.
    #[allow(clippy::result_large_err)]
    pub fn into_result(self) -> Result<T, ItemError> {
        match self {
            ItemResult::Ok(value) => Ok(value),
            ItemResult::Err(error) => Err(error),
        }
    }
}

/// A decoded envelope: the overall status and message, and one result per object in the
/// server's order.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch<T> {
    /// The overall status.
    pub status: BatchStatus,
    /// The overall message.
    pub message: Option<String>,
    /// One result per object.
    pub items: Vec<ItemResult<T>>,
    /// The envelope's errors of the request as a whole (usually empty unless `status` is
    /// [`BatchStatus::Error`]).
    pub errors: Vec<ItemError>,
}

impl<T> Batch<T> {
    /// Whether some objects failed while others succeeded (or the status says
    /// `partial_success`).
    pub fn is_partial(&self) -> bool {
        self.status == BatchStatus::PartialSuccess
            || (self.oks().next().is_some() && self.errors().next().is_some())
    }

    /// Whether the envelope's status is `"error"`.
    pub fn is_error(&self) -> bool {
        self.status == BatchStatus::Error
    }

    /// The values of the objects that succeeded.
    pub fn oks(&self) -> impl Iterator<Item = &T> {
        self.items.iter().filter_map(ItemResult::ok)
    }

    /// The errors of the objects that failed (not the envelope's own `errors`).
    pub fn errors(&self) -> impl Iterator<Item = &ItemError> {
        self.items.iter().filter_map(ItemResult::err)
    }

    /// One `Result` per object.
    pub fn into_results(self) -> Vec<Result<T, ItemError>> {
        self.items
            .into_iter()
            .map(ItemResult::into_result)
            .collect()
    }

    /// The envelope as an error: its message, its own errors, then the failed objects.
    pub fn into_error(self) -> BatchError {
        let mut errors = self.errors;
        errors.extend(self.items.into_iter().filter_map(|item| match item {
            ItemResult::Ok(_) => None,
            ItemResult::Err(error) => Some(error),
        }));
        BatchError {
            message: self.message,
            errors,
        }
    }
}

/// An envelope that reports failure of the whole call: its message and per-object errors.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchError {
    /// The overall message.
    pub message: Option<String>,
    /// The envelope's `errors`, then the failed objects among its items.
    pub errors: Vec<ItemError>,
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.message {
            Some(message) => write!(f, "the request failed: {message}")?,
            None => f.write_str("the request failed")?,
        }
        match self.errors.len() {
            0 => Ok(()),
            1 => f.write_str(" (1 error)"),
            n => write!(f, " ({n} errors)"),
        }
    }
}

impl std::error::Error for BatchError {}

/// Decodes an envelope into one result per object.
///
/// An item is a failure when its `status` is `"error"` or it has a non-zero `error` code;
/// otherwise it is decoded as `T` (an item that does not decode fails the whole body, with the
/// item's path). A missing or `null` items array is no items. A missing status is inferred:
/// [`BatchStatus::Error`] when every item failed (and there is at least one),
/// [`BatchStatus::PartialSuccess`] when some did, [`BatchStatus::Success`] otherwise.
///
/// A body whose status is `"error"` decodes to a batch with status [`BatchStatus::Error`]; use
/// [`decode_envelope_response`] to turn that into an error, or [`Batch::into_error`].
pub fn decode_envelope<T: DeserializeOwned + serde::Serialize>(
    body: &[u8],
    spec: &EnvelopeSpec,
) -> Result<Batch<T>, DecodeError> {
    let mut root: Value = decode_json(body)?;
    let status = text_at(&root, spec.status);
    let message = text_at(&root, spec.message);
    let errors = errors_at(&mut root, spec.errors)?;
    let items_path = pointer_to_path(spec.items);
    let mut items = Vec::new();
    for (index, item) in array_at(&mut root, spec.items)?.into_iter().enumerate() {
        if is_failure(&item) {
            items.push(ItemResult::Err(ItemError::from_value(item)));
        } else {
            let path = format!("{items_path}[{index}]");
            items.push(ItemResult::Ok(decode_value(item, &path)?));
        }
    }
    let status = match status {
        Some(status) => BatchStatus::parse(&status),
        None => {
            let failed = items.iter().filter(|i| i.err().is_some()).count();
            if failed == 0 {
                BatchStatus::Success
            } else if failed == items.len() {
                BatchStatus::Error
            } else {
                BatchStatus::PartialSuccess
            }
        }
    };
    Ok(Batch {
        status,
        message,
        items,
        errors,
    })
}

/// Decodes the envelope of an error status: its message, its `errors`, and the items that
/// failed (items that succeeded are ignored, undecoded).
pub fn decode_envelope_error(body: &[u8], spec: &EnvelopeSpec) -> Result<BatchError, DecodeError> {
    let mut root: Value = decode_json(body)?;
    let message = text_at(&root, spec.message);
    let mut errors = errors_at(&mut root, spec.errors)?;
    errors.extend(
        array_at(&mut root, spec.items)?
            .into_iter()
            .filter(is_failure)
            .map(ItemError::from_value),
    );
    Ok(BatchError { message, errors })
}

/// Decodes an enveloped response for a [`DecodeFn`](super::decode::DecodeFn): a success status
/// with an envelope that is not `"error"` gives the batch; an error status, or a success status
/// whose envelope says `"error"`, gives a [`BatchError`].
pub fn decode_envelope_response<T: DeserializeOwned + serde::Serialize>(
    status: StatusCode,
    body: &[u8],
    spec: &EnvelopeSpec,
) -> Result<Decoded<Batch<T>, BatchError>, DecodeError> {
    if !status.is_success() {
        return decode_envelope_error(body, spec).map(Decoded::Err);
    }
    let batch = decode_envelope(body, spec)?;
    Ok(if batch.is_error() {
        Decoded::Err(batch.into_error())
    } else {
        Decoded::Ok(batch)
    })
}

/// Whether an item reports a failure: `"status": "error"`, or an `error` code that is set and
/// not zero.
fn is_failure(item: &Value) -> bool {
    if item.get("status").and_then(Value::as_str) == Some("error") {
        return true;
    }
    match item.get("error") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// The string at `pointer`; `None` for `""`, a missing member or a non-string.
fn text_at(root: &Value, pointer: &str) -> Option<String> {
    if pointer.is_empty() {
        return None;
    }
    root.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The envelope's errors at `pointer` (`""`, missing or `null`: none).
fn errors_at(root: &mut Value, pointer: &str) -> Result<Vec<ItemError>, DecodeError> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    Ok(array_at(root, pointer)?
        .into_iter()
        .map(ItemError::from_value)
        .collect())
}

/// Takes the array at `pointer` out of `root`; missing or `null` is an empty array, anything
/// else not an array is an error.
fn array_at(root: &mut Value, pointer: &str) -> Result<Vec<Value>, DecodeError> {
    match root.pointer_mut(pointer).map(Value::take) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(DecodeError::at(
            pointer_to_path(pointer),
            "expected an array",
        )),
    }
}
