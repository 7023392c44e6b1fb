//! Spec drift: what a response carries that the generated types do not keep.
//!
//! A decoded value is written back to JSON and compared with what the server sent. A member
//! that the types dropped, a value that came back different, and an enum value that the types
//! do not know are each a [`Drift`], with the JSON path where it was found. The comparison runs
//! only inside [`watch`]; anywhere else the decode helpers skip it at the cost of one
//! thread-local read. A client switches it on with
//! [`ClientBuilder::report_drift`](super::ClientBuilder::report_drift), which logs every finding
//! at warn level; the conformance test uses the same comparison on recorded traffic.
//!
//! Findings name paths and types, never values of fields that were dropped or changed, so
//! that a secret in a body never reaches a log.

use std::cell::RefCell;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use super::decode::{DecodeError, Decoded};

/// One difference between what was sent and what the types kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// Where, as a path such as `data.instances[0].fqdn` (empty for the whole value).
    pub path: String,
    /// What.
    pub kind: DriftKind,
}

/// The kinds of [`Drift`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DriftKind {
    /// The member was sent, and the types have no field for it.
    Dropped,
    /// The value reads back different (a number out of range, a type the codec changed).
    Changed,
    /// An enum value the types do not know; kept as `Unknown`.
    UnknownValue {
        /// The Rust enum type.
        type_name: &'static str,
        /// The value as sent.
        value: String,
    },
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.path.is_empty() {
            "the body"
        } else {
            &self.path
        };
        match &self.kind {
            DriftKind::Dropped => write!(f, "`{at}` was sent but the types have no field for it"),
            DriftKind::Changed => write!(f, "`{at}` reads back different from what was sent"),
            DriftKind::UnknownValue { type_name, value } => {
                write!(f, "`{at}` holds `{value}`, which {type_name} does not know")
            }
        }
    }
}

/// How strictly [`compare`] treats `null`, `""` and absence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// A response: `null`, `""` and a missing member all mean "no value" to the types
    /// (`Option` reads them as `None`), so one may come back as another.
    Response,
    /// A request body: what is sent is what the API reads; `null` and absence differ.
    Request,
}

thread_local! {
    static FINDINGS: RefCell<Option<Vec<Drift>>> = const { RefCell::new(None) };
}

/// Runs `f` with drift detection on, and returns its result with what it found. Decoding is
/// synchronous, so everything `f` decodes on this thread is checked.
pub fn watch<R>(f: impl FnOnce() -> R) -> (R, Vec<Drift>) {
    let outer = FINDINGS.with(|cell| cell.borrow_mut().replace(Vec::new()));
    let result = f();
    let found = FINDINGS.with(|cell| std::mem::replace(&mut *cell.borrow_mut(), outer));
    (result, found.unwrap_or_default())
}

/// Whether a [`watch`] is running on this thread.
pub fn is_watching() -> bool {
    FINDINGS.with(|cell| cell.borrow().is_some())
}

fn push(drift: Drift) {
    FINDINGS.with(|cell| {
        if let Some(found) = cell.borrow_mut().as_mut() {
            found.push(drift);
        }
    });
}

/// Notes an enum value that the types do not know. Generated enums call this when they keep
/// a value as `Unknown`; the path is filled in when the whole value is compared.
#[doc(hidden)]
pub fn note_unknown(type_name: &'static str, value: &str) {
    if is_watching() {
        push(Drift {
            path: String::new(),
            kind: DriftKind::UnknownValue {
                type_name,
                value: value.to_owned(),
            },
        });
    }
}

/// Within a [`watch`]: compares `decoded`, written back to JSON, with `sent` (the JSON it was
/// read from, found at `path` in the body) and records the differences; also gives the
/// unknown enum values noted while decoding it their paths.
pub(super) fn check_decoded<T: Serialize>(sent: &Value, decoded: &T, path: &str) {
    if !is_watching() {
        return;
    }
    let mut found = Vec::new();
    match serde_json::to_value(decoded) {
        Ok(back) => compare(sent, &back, path, Strictness::Response, &mut found),
        Err(_) => found.push(Drift {
            path: path.to_owned(),
            kind: DriftKind::Changed,
        }),
    }
    FINDINGS.with(|cell| {
        if let Some(all) = cell.borrow_mut().as_mut() {
            for drift in all.iter_mut() {
                if let (DriftKind::UnknownValue { value, .. }, true) =
                    (&drift.kind, drift.path.is_empty())
                {
                    if let Some(at) = find_string(sent, value, path) {
                        drift.path = at;
                    }
                }
            }
            all.extend(found);
        }
    });
}

/// The path of the first string leaf equal to `needle`, depth first.
fn find_string(value: &Value, needle: &str, path: &str) -> Option<String> {
    match value {
        Value::String(s) if s == needle => Some(path.to_owned()),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| find_string(v, needle, &join_key(path, k))),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| find_string(v, needle, &format!("{path}[{i}]"))),
        _ => None,
    }
}

fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Whether a value means "nothing" to an optional field of a response.
fn is_nothing(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        _ => false,
    }
}

/// Compares what was sent with what came back from the types, recording each member that
/// was dropped or changed. Numbers compare by value (`1.0` equals `1`); member order does not
/// count.
pub fn compare(sent: &Value, back: &Value, path: &str, strictness: Strictness, out: &mut Vec<Drift>) {
    let lenient = strictness == Strictness::Response;
    match (sent, back) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let at = join_key(path, key);
                match b.get(key) {
                    Some(other) => compare(value, other, &at, strictness, out),
                    None if lenient && is_nothing(value) => {}
                    None => out.push(Drift {
                        path: at,
                        kind: DriftKind::Dropped,
                    }),
                }
            }
            if !lenient {
                for key in b.keys().filter(|k| !a.contains_key(*k)) {
                    out.push(Drift {
                        path: join_key(path, key),
                        kind: DriftKind::Changed,
                    });
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{path}[{i}]"), strictness, out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a == b || a.as_f64() == b.as_f64() => {}
        (a, b) if a == b => {}
        (a, b) if lenient && is_nothing(a) && is_nothing(b) => {}
        _ => out.push(Drift {
            path: path.to_owned(),
            kind: DriftKind::Changed,
        }),
    }
}

/// What an operation's decode function made of a response, with the drift it found: the
/// conformance test's view of `send()`.
#[doc(hidden)]
#[derive(Debug)]
pub struct Checked {
    /// `"ok"` for a documented success, `"error"` for a documented error, `"unexpected"` for a
    /// status the operation does not document.
    pub outcome: &'static str,
    /// Differences between the body and its decoded value.
    pub drift: Vec<Drift>,
}

/// Runs an operation's decode function on a status and body, as `send()` does, and reports
/// what it made of them.
#[doc(hidden)]
pub fn check_response<T, E>(
    decode: super::decode::DecodeFn<T, E>,
    status: u16,
    body: &[u8],
) -> Result<Checked, DecodeError> {
    let status = reqwest::StatusCode::from_u16(status)
        .map_err(|_| DecodeError::new(format!("{status} is not an HTTP status")))?;
    let headers = reqwest::header::HeaderMap::new();
    let (decoded, drift) = watch(|| decode(status, &headers, body));
    let outcome = match decoded? {
        Decoded::Ok(_) => "ok",
        Decoded::Err(_) => "error",
        Decoded::Unexpected => "unexpected",
    };
    Ok(Checked { outcome, drift })
}

/// Reads a request body as `T` and writes it back: the differences, or why it does not read.
#[doc(hidden)]
pub fn check_request<T: DeserializeOwned + Serialize>(body: &Value) -> Result<Vec<Drift>, DecodeError> {
    let value: T = super::decode::decode_value(body.clone(), "")?;
    let back = serde_json::to_value(&value).map_err(|e| DecodeError::new(e.to_string()))?;
    let mut found = Vec::new();
    compare(body, &back, "", Strictness::Request, &mut found);
    Ok(found)
}

/// One operation of a generated module, for tools that check the module against recorded
/// traffic.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct OperationInfo {
    /// The method name.
    pub name: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// Reads and writes back a JSON request body, when the operation sends one.
    pub request: Option<RequestCheck>,
    /// Decodes a response as `send()` does.
    pub response: ResponseCheck,
}

/// [`check_request`] for one body type.
#[doc(hidden)]
pub type RequestCheck = fn(&Value) -> Result<Vec<Drift>, DecodeError>;

/// [`check_response`] for one operation.
#[doc(hidden)]
pub type ResponseCheck = fn(u16, &[u8]) -> Result<Checked, DecodeError>;
