//! The client runtime shared by every generated API module: HTTP transport, authentication,
//! retries, timeouts, errors, response decoding and tracing.
//!
//! Generated operations build a [`Request`], hand it to [`Client::execute`] with a decode
//! function, and get back a [`Response`] or an [`Error`].
//!
//! Provider semantics built on top: rate-limit headers ([`RateLimit`]), page-numbered lists
//! ([`paginate()`]), tokens fetched at run time ([`CachedToken`]), waiting for a state
//! ([`wait_until`]), object-name rules ([`validate_rfc1035_name`]) and envelopes with
//! per-object results ([`decode_envelope`]).

pub mod auth;
pub mod client;
pub mod codec;
pub mod decode;
pub mod drift;
pub mod envelope;
pub mod error;
pub mod execute;
pub mod hooks;
pub mod multipart;
pub mod names;
pub mod nullable;
pub mod paginate;
pub mod rate_limit;
pub mod request;
pub mod response;
pub mod retry;
pub mod secret;
pub mod stream;
pub mod token;
pub mod wait;

pub use self::auth::Auth;
pub use self::client::{Client, ClientBuilder};
pub use self::decode::{
    decode_bytes, decode_empty, decode_json, decode_json_pointer, decode_raw, decode_text,
    DecodeError,
    DecodeFn, Decoded,
};
pub use self::envelope::{
    decode_envelope, decode_envelope_error, decode_envelope_response, decode_single_response,
    Batch, BatchError,
    BatchStatus, EnvelopeSpec, ItemError, ItemResult,
};
pub use self::error::{ApiError, BuildError, Error};
pub use self::hooks::{BoxFuture, Hook, ResponseInfo};
pub use self::names::{
    is_hyphenated_uuid, normalize_rfc1035_name, validate_rfc1035_name,
    validate_uuid_or_rfc1035_name, NameError,
};
pub use self::multipart::Multipart;
pub use self::nullable::Nullable;
pub use self::paginate::{decode_page, paginate, paginate_at_most, Page};
pub use self::rate_limit::RateLimit;
pub use self::request::{encode_path_segment, QueryValues, Request, RequestOptions};
pub use self::response::Response;
pub use self::retry::RetryPolicy;
pub use self::secret::Secret;
pub use self::stream::ByteStream;
pub use self::token::{CachedToken, TokenSource};
pub use self::wait::{wait_until, WaitError, WaitPolicy};
