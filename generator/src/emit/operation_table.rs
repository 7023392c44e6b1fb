//! The hidden operation table: every operation's method, path, request-body check and
//! response decoder, so that tools (the conformance test) can reach them generically.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::Ctx;
use crate::ir::{BodyEncoding, OperationIr};

/// `pub fn operations()` listing every operation of the module.
pub(super) fn emit_operation_table(ctx: Ctx<'_>) -> TokenStream {
    let entries = ctx.api.operations.iter().map(|op| entry(ctx, op));
    quote! {
        /// Every operation of this module with its request-body check and response decoder,
        /// for tools that compare the module with recorded traffic (see `runtime::drift`).
        #[doc(hidden)]
        pub fn operations() -> ::std::vec::Vec<rt::drift::OperationInfo> {
            ::std::vec![#(#entries),*]
        }
    }
}

fn entry(ctx: Ctx<'_>, op: &OperationIr) -> TokenStream {
    let name = op.name.trim_start_matches("r#");
    let decode_fn = format_ident!("decode_{}", name);
    let method = &op.method;
    let path = &op.path;
    let request = match op
        .body
        .as_ref()
        .filter(|b| b.encoding == BodyEncoding::Json)
    {
        Some(body) => {
            let ty = ctx.rust_type(&body.ty);
            let checked = match ctx.body_codec(body) {
                Some(c) => quote!(rt::codec::Decode<#c, #ty>),
                None => ty,
            };
            quote!(::std::option::Option::Some(rt::drift::check_request::<#checked>))
        }
        None => quote!(::std::option::Option::None),
    };
    quote! {
        rt::drift::OperationInfo {
            name: #name,
            method: #method,
            path: #path,
            request: #request,
            response: |status, body| rt::drift::check_response(#decode_fn, status, body),
        }
    }
}
