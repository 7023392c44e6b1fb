//! Phase 3: IR to tokens, with `quote!` only.

mod auth;
mod client;
mod client_struct;
mod docs;
pub mod non_exhaustive;
mod operation_table;
mod polling;
mod responses;
mod types;

use proc_macro2::TokenStream;

use crate::ir::Api;

pub use client::{client_parts, emit_client_part};
pub use docs::sanitize;
pub use types::{constructor_args, derives_default, emit_types, rust_type_text};

/// The token streams of one API.
#[derive(Debug, Clone)]
pub struct EmittedApi {
    /// The client module body: `Client`, request builders, response and error enums.
    pub client: TokenStream,
    /// The types module body.
    pub types: TokenStream,
}

/// Emits one API.
pub fn emit(api: &Api) -> EmittedApi {
    EmittedApi {
        client: client::emit_client(api),
        types: types::emit_types(api),
    }
}
