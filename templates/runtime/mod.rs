//! The client runtime shared by every generated API module: HTTP transport, authentication,
//! retries, timeouts, errors, response decoding and tracing.
//!
//! Generated operations build a [`Request`], hand it to [`Client::execute`] with a decode
//! function, and get back a [`Response`] or an [`Error`].

pub mod auth;
pub mod client;
pub mod codec;
pub mod decode;
pub mod error;
pub mod execute;
pub mod hooks;
pub mod request;
pub mod response;
pub mod retry;
pub mod secret;

pub use self::auth::Auth;
pub use self::client::{Client, ClientBuilder};
pub use self::decode::{
    decode_bytes, decode_empty, decode_json, decode_json_pointer, decode_text, DecodeError,
    DecodeFn, Decoded,
};
pub use self::error::{ApiError, BuildError, Error};
pub use self::hooks::{BoxFuture, Hook, ResponseInfo};
pub use self::request::{encode_path_segment, Request, RequestOptions};
pub use self::response::Response;
pub use self::retry::RetryPolicy;
pub use self::secret::Secret;
