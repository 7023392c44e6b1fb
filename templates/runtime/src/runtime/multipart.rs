//! `multipart/form-data` bodies (RFC 7578), encoded into bytes before sending so that a retry
//! or a signing hook sees exactly what goes on the wire.

use std::fmt;

use bytes::{BufMut as _, Bytes, BytesMut};

/// The parts of a `multipart/form-data` request body: text fields and files, in order.
///
/// ```
/// # let jpeg_bytes = vec![0xff_u8, 0xd8, 0xff];
/// let form = cloudgen_runtime::Multipart::new()
///     .text("description", "holiday")
///     .file("photo", "beach.jpg", "image/jpeg", jpeg_bytes);
/// let (body, content_type) = form.encode();
/// assert!(content_type.starts_with("multipart/form-data; boundary="));
/// # assert!(!body.is_empty());
/// ```
#[derive(Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Clone)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

impl Multipart {
    /// No parts yet.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: None,
            data: Bytes::from(value.into()),
        });
        self
    }

    /// Adds a file: its bytes, with a file name and a content type
    /// (`application/octet-stream` when unknown).
    pub fn file(
        mut self,
        name: impl Into<String>,
        filename: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.parts.push(Part {
            name: name.into(),
            filename: Some(filename.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        });
        self
    }

    /// Adds a field sent as JSON (`application/json`), for structured values.
    pub fn json<T: serde::Serialize + ?Sized>(
        mut self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<Self, serde_json::Error> {
        let data = serde_json::to_vec(value)?;
        self.parts.push(Part {
            name: name.into(),
            filename: None,
            content_type: Some("application/json".to_owned()),
            data: data.into(),
        });
        Ok(self)
    }

    /// The encoded body and its content type (`multipart/form-data; boundary=...`). The
    /// boundary is random and chosen so that no part contains it.
    pub fn encode(&self) -> (Bytes, String) {
        let boundary = loop {
            let candidate: String = std::iter::repeat_with(fastrand::alphanumeric)
                .take(32)
                .collect();
            let candidate = format!("cloudapi-{candidate}");
            if !self.parts.iter().any(|p| contains(&p.data, candidate.as_bytes())) {
                break candidate;
            }
        };
        let mut out = BytesMut::new();
        for part in &self.parts {
            out.put_slice(b"--");
            out.put_slice(boundary.as_bytes());
            out.put_slice(b"\r\nContent-Disposition: form-data; name=\"");
            out.put_slice(escape(&part.name).as_bytes());
            out.put_slice(b"\"");
            if let Some(filename) = &part.filename {
                out.put_slice(b"; filename=\"");
                out.put_slice(escape(filename).as_bytes());
                out.put_slice(b"\"");
            }
            out.put_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                out.put_slice(b"Content-Type: ");
                out.put_slice(single_line(content_type).as_bytes());
                out.put_slice(b"\r\n");
            }
            out.put_slice(b"\r\n");
            out.put_slice(&part.data);
            out.put_slice(b"\r\n");
        }
        out.put_slice(b"--");
        out.put_slice(boundary.as_bytes());
        out.put_slice(b"--\r\n");
        (
            out.freeze(),
            format!("multipart/form-data; boundary={boundary}"),
        )
    }
}

impl fmt::Debug for Multipart {
    /// Names, file names and sizes only: file contents and field values may be private.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for part in &self.parts {
            list.entry(&format_args!(
                "{:?}{} ({} bytes)",
                part.name,
                part.filename
                    .as_deref()
                    .map(|n| format!(" file {n:?}"))
                    .unwrap_or_default(),
                part.data.len()
            ));
        }
        list.finish()
    }
}

/// A name or file name inside a quoted header parameter: `"`, CR and LF percent-encoded, as
/// browsers send them.
fn escape(s: &str) -> String {
    s.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A header value without line breaks.
fn single_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}
