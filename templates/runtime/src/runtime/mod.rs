// The runtime's modules and what they export. The `cloudgen-runtime` crate compiles this module
// and re-exports all of it; cloudgen's inline mode copies it into a generated module as
// `pub mod runtime`, keeping an item marked `#[cfg(feature = "...")]` only when the API needs
// that feature. Such a marker stands on a line of its own, before the item and its docs, and
// the item ends at the first line at the marker's indentation that ends with `;` or is `}`.

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
#[cfg(feature = "envelope")]
pub mod envelope;
pub mod error;
pub mod execute;
pub mod hooks;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "multipart")]
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
pub use self::client::{reqwest_client_builder, Client, ClientBuilder};
pub use self::decode::{
    decode_bytes, decode_empty, decode_json, decode_json_pointer, decode_raw, decode_text,
    DecodeError,
    DecodeFn, Decoded,
};
#[cfg(feature = "envelope")]
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
#[cfg(feature = "multipart")]
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

// The crates that generated code names, through this module only (`rt::serde::Serialize`), so
// that a crate using generated code needs no dependency but the runtime.
#[doc(no_inline)]
pub use ::base64;
#[doc(no_inline)]
pub use ::bytes;
#[doc(no_inline)]
pub use ::chrono;
#[doc(no_inline)]
pub use ::futures_util;
#[doc(no_inline)]
pub use ::reqwest;
#[cfg(feature = "token-exchange")]
#[doc(no_inline)]
pub use ::rsa;
#[doc(no_inline)]
pub use ::serde;
#[doc(no_inline)]
pub use ::serde_json;
#[cfg(feature = "token-exchange")]
#[doc(no_inline)]
pub use ::sha2;
#[cfg(feature = "mock")]
#[doc(no_inline)]
pub use ::wiremock;
#[doc(no_inline)]
pub use ::uuid;
