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
    /// What one item is, for messages: `"instance"`, `"service group"` (`""`: "object").
    pub object: &'static str,
    /// The numeric item error codes the API documents, with what each means, for messages.
    pub codes: &'static [(i64, &'static str)],
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
    /// What the object is (`"instance"`), from the envelope; `""` when unknown.
    pub object: &'static str,
    /// What `code` means, when the API documents it (`"object not found"` for Unikraft's 8).
    pub meaning: Option<&'static str>,
}

impl ItemError {
    fn from_value(raw: Value, spec: &EnvelopeSpec) -> Self {
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
        let meaning = code.and_then(|code| {
            spec.codes
                .iter()
                .find(|(known, _)| *known == code)
                .map(|(_, meaning)| *meaning)
        });
        ItemError {
            status,
            message,
            code,
            raw,
            object: spec.object,
            meaning,
        }
    }

    /// A string field of the entry, such as `uuid` or `name`, to tell which object failed.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.raw.get(name).and_then(Value::as_str)
    }
}

impl fmt::Display for ItemError {
    /// One line naming the object, then what went wrong:
    /// ``instance `my-app` (uuid 7bece402-...) failed with error 8 (object not found): No
    /// instance with UUID ...``.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.object.is_empty() {
            "object"
        } else {
            self.object
        })?;
        match (self.field("name"), self.field("uuid")) {
            (Some(name), Some(uuid)) => write!(f, " `{name}` (uuid {uuid})")?,
            (Some(name), None) => write!(f, " `{name}`")?,
            (None, Some(uuid)) => write!(f, " {uuid}")?,
            (None, None) => {}
        }
        f.write_str(" failed")?;
        if let Some(code) = self.code {
            write!(f, " with error {code}")?;
            if let Some(meaning) = self.meaning {
                write!(f, " ({meaning})")?;
            }
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
    /// The envelope's `errors`: failures of the request as a whole, not of one object
    /// (usually empty unless `status` is [`BatchStatus::Error`]). The objects that failed are
    /// [`Batch::failed`].
    pub request_errors: Vec<ItemError>,
}

impl<T> Batch<T> {
    /// Whether some objects failed while others succeeded (or the status says
    /// `partial_success`).
    pub fn is_partial(&self) -> bool {
        self.status == BatchStatus::PartialSuccess
            || (self.oks().next().is_some() && self.failed().next().is_some())
    }

    /// Whether the envelope's status is `"error"`.
    pub fn is_error(&self) -> bool {
        self.status == BatchStatus::Error
    }

    /// The values of the objects that succeeded.
    pub fn oks(&self) -> impl Iterator<Item = &T> {
        self.items.iter().filter_map(ItemResult::ok)
    }

    /// The errors of the objects that failed (not [`Batch::request_errors`]).
    pub fn failed(&self) -> impl Iterator<Item = &ItemError> {
        self.items.iter().filter_map(ItemResult::err)
    }

    /// One `Result` per object.
    pub fn into_results(self) -> Vec<Result<T, ItemError>> {
        self.items
            .into_iter()
            .map(ItemResult::into_result)
            .collect()
    }

    /// The first object's value, or the failure: for a call that creates one object and may
    /// add copies after it (Unikraft's `create_instance` with `replicas`), the object asked
    /// for comes first. When the first object failed, or the envelope names none, the error
    /// holds the envelope's message, its own errors and the first object's error; the other
    /// objects are dropped, so use [`Batch::items`] when copies matter.
    #[allow(clippy::result_large_err)] // per-call data the caller asked for, see `into_result`
    pub fn into_first(self) -> Result<T, BatchError> {
        let mut errors = self.request_errors;
        let mut message = self.message;
        match self.items.into_iter().next() {
            Some(ItemResult::Ok(value)) => return Ok(value),
            Some(ItemResult::Err(error)) => errors.push(error),
            None => {
                let none = "the answer named no object";
                message = Some(match message {
                    Some(message) => format!("{message} ({none})"),
                    None => none.to_owned(),
                });
            }
        }
        Err(BatchError { message, errors })
    }

    /// The envelope as an error: its message, its own errors, then the failed objects.
    pub fn into_error(self) -> BatchError {
        let mut errors = self.request_errors;
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
    /// One line: the envelope's message, then the first error (with the object it names) and
    /// how many more there are.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.message.as_deref().unwrap_or("the request failed");
        match self.errors.as_slice() {
            [] => f.write_str(message),
            [one] => write!(f, "{message}: {one}"),
            [first, rest @ ..] => write!(f, "{message}: {first} (and {} more)", rest.len()),
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
    let request_errors = errors_at(&mut root, spec)?;
    let items_path = pointer_to_path(spec.items);
    let mut items = Vec::new();
    for (index, item) in array_at(&mut root, spec.items)?.into_iter().enumerate() {
        if is_failure(&item) {
            items.push(ItemResult::Err(ItemError::from_value(item, spec)));
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
        request_errors,
    })
}

/// Decodes the envelope of an error status: its message, its `errors`, and the items that
/// failed (items that succeeded are ignored, undecoded).
pub fn decode_envelope_error(body: &[u8], spec: &EnvelopeSpec) -> Result<BatchError, DecodeError> {
    let mut root: Value = decode_json(body)?;
    let message = text_at(&root, spec.message);
    let mut errors = errors_at(&mut root, spec)?;
    errors.extend(
        array_at(&mut root, spec.items)?
            .into_iter()
            .filter(is_failure)
            .map(|item| ItemError::from_value(item, spec)),
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

/// Decodes the envelope of a single-object operation (`single: true` in the operation's
/// `x-cloudgen-envelope`): the one item's value, or its failure as a [`BatchError`] holding the
/// envelope's message, its own errors and the item's error. An envelope without exactly one
/// item is a decode error, since the call named one object.
pub fn decode_single_response<T: DeserializeOwned + serde::Serialize>(
    status: StatusCode,
    body: &[u8],
    spec: &EnvelopeSpec,
) -> Result<Decoded<T, BatchError>, DecodeError> {
    let batch = match decode_envelope_response(status, body, spec)? {
        Decoded::Ok(batch) => batch,
        Decoded::Err(error) => return Ok(Decoded::Err(error)),
        Decoded::Unexpected => return Ok(Decoded::Unexpected),
    };
    let count = batch.items.len();
    let mut items = batch.items.into_iter();
    match (items.next(), count) {
        (Some(ItemResult::Ok(value)), 1) => Ok(Decoded::Ok(value)),
        (Some(ItemResult::Err(item)), 1) => {
            let mut errors = batch.request_errors;
            errors.push(item);
            Ok(Decoded::Err(BatchError {
                message: batch.message,
                errors,
            }))
        }
        _ => Err(DecodeError::at(
            pointer_to_path(spec.items),
            format!("expected the one object the call named, found {count}"),
        )),
    }
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

/// The envelope's own errors (`""`, missing or `null`: none). They concern the request, not
/// one object, so they name no object.
fn errors_at(root: &mut Value, spec: &EnvelopeSpec) -> Result<Vec<ItemError>, DecodeError> {
    if spec.errors.is_empty() {
        return Ok(Vec::new());
    }
    let request = EnvelopeSpec {
        object: "request",
        ..*spec
    };
    Ok(array_at(root, spec.errors)?
        .into_iter()
        .map(|entry| ItemError::from_value(entry, &request))
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
