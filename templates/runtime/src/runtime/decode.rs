//! Turning a response body into a typed value.
//!
//! Emitted code supplies one [`DecodeFn`] per operation: it looks at the status and picks the
//! documented success or error type, using the `decode_*` helpers here for the body.

use std::fmt;

use reqwest::header::HeaderMap;

use super::drift;
use super::secret::is_sensitive_header;
use reqwest::StatusCode;

/// What an operation's decode function made of a response.
#[derive(Debug)]
pub enum Decoded<T, E> {
    /// A documented success response.
    Ok(T),
    /// A documented error response, with its typed body.
    Err(E),
    /// A status the operation does not document; the caller gets the raw body.
    Unexpected,
}

impl<T, E> Decoded<T, E> {
    /// A documented error status: its typed body when the body decodes, otherwise
    /// [`Decoded::Unexpected`], so that the caller still gets the status and the raw body.
    /// One call per error status keeps the emitted decode functions short.
    pub fn error<B>(body: Result<B, DecodeError>, variant: impl FnOnce(B) -> E) -> Self {
        match body {
            Ok(body) => Decoded::Err(variant(body)),
            Err(_) => Decoded::Unexpected,
        }
    }
}

/// Decodes a complete response (status, headers, body) for one operation.
pub type DecodeFn<T, E> = fn(StatusCode, &HeaderMap, &[u8]) -> Result<Decoded<T, E>, DecodeError>;

/// Why a body could not be decoded: a message and the serde path of the failing field.
pub struct DecodeError {
    message: String,
    path: String,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl DecodeError {
    /// A decode error with a message and no field path (e.g. an unexpected content type).
    pub fn new(message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
            path: String::new(),
            source: None,
        }
    }

    /// A decode error at a field path such as `servers.server[0].uuid`.
    pub fn at(path: impl Into<String>, message: impl Into<String>) -> Self {
        DecodeError {
            message: message.into(),
            path: path.into(),
            source: None,
        }
    }

    /// What went wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// What went wrong, with quoted values left out (serde quotes the value it could not read,
    /// which may be a secret): `invalid type: string …, expected u32`.
    pub fn redacted_message(&self) -> String {
        let mut out = String::with_capacity(self.message.len());
        let mut quoted = false;
        for c in self.message.chars() {
            match c {
                '"' if quoted => quoted = false,
                '"' => {
                    quoted = true;
                    out.push('…');
                }
                _ if quoted => {}
                c => out.push(c),
            }
        }
        out
    }

    /// The serde path of the failing field (`a.b[2].c`); empty when the failure is not at a
    /// field (or at the top level).
    pub fn path(&self) -> &str {
        &self.path
    }

    pub(super) fn from_json(
        error: serde_path_to_error::Error<serde_json::Error>,
        prefix: &str,
    ) -> Self {
        let inner = error.path().to_string();
        let path = match (prefix.is_empty(), inner == ".") {
            (_, true) => prefix.to_owned(),
            (true, false) => inner,
            (false, false) if inner.starts_with('[') => format!("{prefix}{inner}"),
            (false, false) => format!("{prefix}.{inner}"),
        };
        let json = error.into_inner();
        DecodeError {
            message: json.to_string(),
            path,
            source: Some(Box::new(json)),
        }
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("message", &self.message)
            .field("path", &self.path)
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Decodes a JSON body, reporting the path of the failing field.
pub fn decode_json<T: serde::de::DeserializeOwned + serde::Serialize>(
    body: &[u8],
) -> Result<T, DecodeError> {
    // Plain serde_json first: tracking the field path slows every decode by about 40%, so only
    // a body that fails is decoded a second time to find where.
    let value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) => decode_json_traced(body)?,
    };
    if drift::is_watching() {
        if let Ok(sent) = serde_json::from_slice::<serde_json::Value>(body) {
            drift::check_decoded(&sent, &value, "");
        }
    }
    Ok(value)
}

/// [`decode_json`] with the path of the failing field tracked.
fn decode_json_traced<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer)
        .map_err(|e| DecodeError::from_json(e, ""))?;
    deserializer
        .end()
        .map_err(|e| DecodeError::new(e.to_string()))?;
    Ok(value)
}

/// Decodes the part of a JSON body at a JSON pointer (RFC 6901, e.g. `/servers/server`), for
/// responses wrapped in envelopes. Paths in errors start at the pointer (`servers.server[0].id`).
pub fn decode_json_pointer<T: serde::de::DeserializeOwned + serde::Serialize>(
    body: &[u8],
    pointer: &str,
) -> Result<T, DecodeError> {
    let value = decode_at_pointer(body, pointer)?;
    if drift::is_watching() {
        if let Ok(sent) = serde_json::from_slice::<serde_json::Value>(body) {
            if let Some(sent) = sent.pointer(pointer) {
                drift::check_decoded(sent, &value, &pointer_to_path(pointer));
            }
        }
    }
    Ok(value)
}

fn decode_at_pointer<T: serde::de::DeserializeOwned>(
    body: &[u8],
    pointer: &str,
) -> Result<T, DecodeError> {
    // Fast path: walk to the pointer while parsing, skipping everything else, and decode the
    // value in place. Any failure (or a pointer that matches nothing) takes the slow path
    // below, through a `serde_json::Value`, which reports the error exactly.
    if pointer.starts_with('/') {
        // Tokens without `~` need no unescaping, and are borrowed (no allocation each).
        let tokens: Vec<std::borrow::Cow<'_, str>> = pointer
            .split('/')
            .skip(1)
            .map(|t| match t.contains('~') {
                true => t.replace("~1", "/").replace("~0", "~").into(),
                false => t.into(),
            })
            .collect();
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let seed = PointerSeed::<T> {
            tokens: &tokens,
            target: std::marker::PhantomData,
        };
        if let Ok(Some(value)) = serde::de::DeserializeSeed::deserialize(seed, &mut deserializer) {
            if deserializer.end().is_ok() {
                return Ok(value);
            }
        }
    }
    let mut root: serde_json::Value = decode_json(body)?;
    let prefix = pointer_to_path(pointer);
    let value = root
        .pointer_mut(pointer)
        .map(serde_json::Value::take)
        .ok_or_else(|| DecodeError::at(prefix.clone(), "missing field"))?;
    serde_path_to_error::deserialize(value).map_err(|e| DecodeError::from_json(e, &prefix))
}

/// Decodes the value at `tokens` (a JSON pointer's unescaped tokens) below the current one:
/// `Some` when found, `None` when the pointer matches nothing.
struct PointerSeed<'a, T> {
    tokens: &'a [std::borrow::Cow<'a, str>],
    target: std::marker::PhantomData<T>,
}

impl<'de, T: serde::de::DeserializeOwned> serde::de::DeserializeSeed<'de> for PointerSeed<'_, T> {
    type Value = Option<T>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        if self.tokens.is_empty() {
            T::deserialize(d).map(Some)
        } else {
            d.deserialize_any(self)
        }
    }
}

impl<'de, T: serde::de::DeserializeOwned> serde::de::Visitor<'de> for PointerSeed<'_, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object or array on the pointer's path")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Option<T>, A::Error> {
        let (token, rest) = (&self.tokens[0], &self.tokens[1..]);
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == token.as_ref() {
                // A repeated key: the last one wins, as in `serde_json::Value`.
                found = map.next_value_seed(PointerSeed {
                    tokens: rest,
                    target: std::marker::PhantomData,
                })?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Option<T>, A::Error> {
        let (token, rest) = (&self.tokens[0], &self.tokens[1..]);
        // RFC 6901 indexes: digits without a leading zero.
        let index = match token.parse::<usize>() {
            Ok(i) if !token.starts_with('+') && (token == "0" || !token.starts_with('0')) => i,
            _ => return Ok(None),
        };
        let mut found = None;
        let mut i = 0;
        loop {
            if i == index {
                match seq.next_element_seed(PointerSeed {
                    tokens: rest,
                    target: std::marker::PhantomData,
                })? {
                    Some(value) => found = value,
                    None => break,
                }
            } else if seq.next_element::<serde::de::IgnoredAny>()?.is_none() {
                break;
            }
            i += 1;
        }
        Ok(found)
    }
}

/// Decodes a JSON value taken out of a larger body; error paths start with `prefix` (the
/// value's own path in the body, as made by [`pointer_to_path`]).
pub(super) fn decode_value<T: serde::de::DeserializeOwned + serde::Serialize>(
    value: serde_json::Value,
    prefix: &str,
) -> Result<T, DecodeError> {
    let sent = drift::is_watching().then(|| value.clone());
    let decoded =
        serde_path_to_error::deserialize(value).map_err(|e| DecodeError::from_json(e, prefix))?;
    if let Some(sent) = sent {
        drift::check_decoded(&sent, &decoded, prefix);
    }
    Ok(decoded)
}

/// Any status and body as they came: the decode function of `send_raw()`, which never fails
/// on a body.
pub fn decode_raw(
    _status: StatusCode,
    _headers: &HeaderMap,
    body: &[u8],
) -> Result<Decoded<Vec<u8>, std::convert::Infallible>, DecodeError> {
    Ok(Decoded::Ok(body.to_vec()))
}

/// Decodes a UTF-8 text body.
pub fn decode_text(body: &[u8]) -> Result<String, DecodeError> {
    String::from_utf8(body.to_vec())
        .map_err(|e| DecodeError::new(format!("body is not UTF-8: {e}")))
}

/// Returns the body's bytes unchanged, whatever they are (never decoded as text).
pub fn decode_bytes(body: &[u8]) -> Result<bytes::Bytes, DecodeError> {
    Ok(bytes::Bytes::copy_from_slice(body))
}

/// Accepts any body and returns `()`, for responses documented without content.
pub fn decode_empty(_body: &[u8]) -> Result<(), DecodeError> {
    Ok(())
}

/// `/servers/server/0` -> `servers.server[0]`, matching the notation of `serde_path_to_error`.
pub(super) fn pointer_to_path(pointer: &str) -> String {
    let mut path = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            path.push('[');
            path.push_str(&token);
            path.push(']');
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&token);
        }
    }
    path
}

/// The first bytes of a body as text, for error messages; about `max` bytes, cut on a character
/// boundary. In a JSON body, the values of members whose names look like credentials
/// (`password`, `token`, `secretKey`, `authCode`, ...) are replaced by `<redacted>` first: a
/// response the types could not read may echo a secret (UpCloud's one-time server password).
pub(super) fn excerpt(body: &[u8], max: usize) -> String {
    match redacted_json(body) {
        Some(redacted) => cut(redacted.as_bytes(), max),
        None => cut(body, max),
    }
}

/// The body written again with credential-looking members redacted, when it is JSON and has
/// any; `None` otherwise, so that the excerpt keeps the server's own text.
fn redacted_json(body: &[u8]) -> Option<String> {
    fn redact(value: &mut serde_json::Value) -> bool {
        let mut changed = false;
        match value {
            serde_json::Value::Object(members) => {
                for (name, member) in members.iter_mut() {
                    let secret = is_sensitive_header(&name.to_ascii_lowercase());
                    if secret && !member.is_object() && !member.is_null() {
                        *member = serde_json::Value::String("<redacted>".to_owned());
                        changed = true;
                    } else {
                        changed |= redact(member);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for item in items {
                    changed |= redact(item);
                }
            }
            _ => {}
        }
        changed
    }
    let mut json: serde_json::Value = serde_json::from_slice(body).ok()?;
    if redact(&mut json) {
        serde_json::to_string(&json).ok()
    } else {
        None
    }
}

/// The first `max` bytes of `body` as text, cut on a character boundary.
fn cut(body: &[u8], max: usize) -> String {
    if body.len() <= max {
        return String::from_utf8_lossy(body).into_owned();
    }
    let mut text = String::from_utf8_lossy(&body[..max]).into_owned();
    // A multi-byte character cut in half decodes as one trailing replacement character.
    if text.ends_with('\u{FFFD}') && std::str::from_utf8(&body[..max]).is_err() {
        text.pop();
    }
    text.push('…');
    text
}
