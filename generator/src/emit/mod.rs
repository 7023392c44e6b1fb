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
pub use types::{emit_types, rust_type_text};

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

/// The features of `cloudgen-runtime` that the code generated for `api` needs, in name order:
/// `envelope` for batch results, `multipart` for `multipart/form-data` bodies,
/// `token-exchange` for signed token requests.
pub fn runtime_features(api: &Api) -> Vec<&'static str> {
    use crate::ir::{AuthIr, BodyEncoding};
    let mut features = Vec::new();
    if api.operations.iter().any(|op| op.envelope.is_some()) {
        features.push("envelope");
    }
    let multipart = |op: &crate::ir::OperationIr| {
        op.body
            .as_ref()
            .is_some_and(|b| b.encoding == BodyEncoding::Multipart)
    };
    if api.operations.iter().any(multipart) {
        features.push("multipart");
    }
    let signs = |a: &AuthIr| {
        matches!(
            a,
            AuthIr::Bearer {
                exchange: Some(_),
                ..
            }
        )
    };
    if api.auth.iter().any(signs) {
        features.push("token-exchange");
    }
    features
}

/// The items that check, at compile time, that the runtime `rt` is the version this generator
/// writes for and has the features `api` needs; each failure names the version or feature.
pub fn runtime_checks(api: &Api) -> TokenStream {
    let version = crate::templates::RUNTIME_VERSION;
    let mut parts = version
        .split('.')
        .map(|p| p.parse::<u64>().unwrap_or_default());
    let major = proc_macro2::Literal::u64_unsuffixed(parts.next().unwrap_or_default());
    let minor = proc_macro2::Literal::u64_unsuffixed(parts.next().unwrap_or_default());
    let generator = env!("CARGO_PKG_VERSION");
    let features = std::iter::once("client")
        .chain(runtime_features(api))
        .map(|f| quote::format_ident!("__require_{}", f.replace('-', "_")));
    quote::quote! {
        rt::__check_version!(#major, #minor, #generator);
        #( rt::#features!(); )*
    }
}
