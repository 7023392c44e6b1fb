//! A response body read as it arrives, for downloads too large to hold in memory.

use std::convert::Infallible;
use std::fmt;

use bytes::Bytes;
use futures_util::Stream;

use super::error::Error;

/// The body of a successful response, not read yet: chunks come as the server sends them.
///
/// Returned by the `send_stream()` of operations that download raw bytes. Unlike `send()`, the
/// client's body-size limit does not apply, and the request timeout covers the wait for the
/// response headers only: bound the reading yourself (`tokio::time::timeout`) if you need to.
/// Read it with [`ByteStream::chunk`], turn it into a [`Stream`] with
/// [`ByteStream::into_stream`], or collect it with [`ByteStream::collect`].
pub struct ByteStream {
    body: Body,
    /// The call it answers, for transport errors: the operation, its method and the URL
    /// without secrets.
    call: Box<str>,
    attempts: u32,
}

enum Body {
    /// Still being received.
    Live(reqwest::Response),
    /// Already in memory (a body that was read to decide what the response was).
    Whole(Option<Bytes>),
}

impl ByteStream {
    pub(super) fn live(response: reqwest::Response, call: Box<str>, attempts: u32) -> Self {
        ByteStream {
            body: Body::Live(response),
            call,
            attempts,
        }
    }

    /// A stream of one chunk, for a body that was read already.
    pub fn from_bytes(bytes: Bytes) -> Self {
        ByteStream {
            body: Body::Whole(Some(bytes).filter(|b| !b.is_empty())),
            call: Box::default(),
            attempts: 1,
        }
    }

    /// The next chunk of the body, or `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error<Infallible>> {
        match &mut self.body {
            Body::Whole(rest) => Ok(rest.take()),
            Body::Live(response) => response.chunk().await.map_err(|error| Error::Transport {
                // The call names the URL (without secrets), so the error need not repeat it.
                source: error.without_url(),
                call: self.call.clone(),
                attempts: self.attempts,
            }),
        }
    }

    /// The chunks as a [`Stream`] (`futures::StreamExt` and `tokio_util::io::StreamReader`
    /// read it), ending after the first error.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, Error<Infallible>>> + Send {
        futures_util::stream::unfold(Some(self), |state| async move {
            let mut body = state?;
            match body.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(body))),
                Ok(None) => None,
                Err(error) => Some((Err(error), None)),
            }
        })
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Bytes, Error<Infallible>> {
        let mut all = bytes::BytesMut::new();
        while let Some(chunk) = self.chunk().await? {
            all.extend_from_slice(&chunk);
        }
        Ok(all.freeze())
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.body {
            Body::Live(_) => "live",
            Body::Whole(_) => "in memory",
        };
        f.debug_struct("ByteStream")
            .field("body", &state)
            .field("call", &self.call)
            .finish()
    }
}
