//! Calling an operation repeatedly: page streams (`x-cloudgen-pagination`) and
//! waiters (`x-cloudgen-waiter`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::lines_to_attrs;
use super::responses::{error_type, success_type};
use super::types::{ident, Ctx};
use crate::ir::{OperationIr, ParamIr, Prim, TypeRef};

/// Whether a parameter of this type is a `Copy` number or flag, which the waiter passes on
/// each poll as is (`.clone()` on it is what clippy's `clone_on_copy` rejects).
fn is_copy(ty: &TypeRef) -> bool {
    matches!(
        ty,
        TypeRef::Prim(Prim::Bool | Prim::I32 | Prim::I64 | Prim::F32 | Prim::F64)
    )
}

/// `x-cloudgen-waiter`: a client method that polls an operation until a field
/// of its result has the wanted value, with backoff and a deadline.
pub(super) fn emit_waiter(ctx: Ctx<'_>, op: &OperationIr) -> Option<TokenStream> {
    let w = op.waiter.as_ref()?;
    let name = ident(&w.name);
    let method = ident(&op.name);
    let ok_ty = success_type(ctx, op);
    let err_ty = error_type(op);
    let target_ty = ctx.rust_type(&w.ty);
    let required: Vec<&ParamIr> = op.params.iter().filter(|p| p.required).collect();
    let args = required.iter().map(|p| {
        let n = ident(&p.rust_name);
        let t = ctx.rust_type(&p.ty);
        quote!(#n: impl ::std::convert::Into<#t>)
    });
    let converts = required.iter().map(|p| {
        let n = ident(&p.rust_name);
        let t = ctx.rust_type(&p.ty);
        quote!(let #n: #t = #n.into();)
    });
    let call_args = required.iter().map(|p| {
        let n = ident(&p.rust_name);
        if is_copy(&p.ty) {
            quote!(#n)
        } else {
            quote!(#n.clone())
        }
    });
    let field = &w.field;
    let doc = lines_to_attrs(&format!(
        "Polls [`Client::{}`] until `{field}` in its result equals `target`, waiting between polls as\n`policy` says (growing intervals up to a deadline). Returns the first result that matches,\nor [`rt::WaitError::Deadline`] with the last value seen.",
        op.name.trim_start_matches("r#")
    ));
    Some(quote! {
        impl Client {
            #doc
            pub async fn #name(&self, #(#args,)* target: #target_ty, policy: &rt::WaitPolicy) -> ::std::result::Result<#ok_ty, rt::WaitError<#err_ty>> {
                #(#converts)*
                let wanted = ::serde_json::to_value(&target).ok();
                rt::wait_until(
                    policy,
                    || self.#method(#(#call_args),*).send(),
                    |value| ::serde_json::to_value(value).ok().and_then(|v| v.pointer(#field).cloned()) == wanted,
                )
                .await
            }
        }
    })
}

/// `x-cloudgen-pagination`: `stream()` walks every page, reusing the request's
/// inputs with the page number replaced.
pub(super) fn emit_pagination(
    ctx: Ctx<'_>,
    op: &OperationIr,
    builder: &Ident,
    decode_fn: &Ident,
    err_ty: &TokenStream,
) -> TokenStream {
    let Some(p) = &op.pagination else {
        return TokenStream::new();
    };
    let item = ctx.rust_type(&p.item);
    let page_setter = ident(&p.page_param);
    let page_ty = ctx.rust_type(&p.page_ty);
    let page_decode = format_ident!("{}_page", decode_fn);
    let (items, links) = (&p.items, &p.links);
    quote! {
        impl #builder {
            /// Streams every item of every page, from page 1 until the API links no next page.
            /// Set the page size and filters on the request first; the page number is set here.
            pub fn stream(self) -> ::futures_util::stream::BoxStream<'static, ::std::result::Result<#item, rt::Error<#err_ty>>> {
                rt::paginate(move |page| {
                    let request = self.clone().#page_setter(<#page_ty as ::std::convert::TryFrom<u32>>::try_from(page).unwrap_or(<#page_ty>::MAX));
                    let (client, request) = request.into_parts();
                    async move { client.inner.execute(request, #page_decode).await }
                })
            }
        }

        fn #page_decode(
            status: ::reqwest::StatusCode,
            headers: &::reqwest::header::HeaderMap,
            body: &[u8],
        ) -> ::std::result::Result<rt::Decoded<rt::Page<#item>, #err_ty>, rt::DecodeError> {
            if status.is_success() {
                return Ok(rt::Decoded::Ok(rt::decode_page(body, #items, #links)?));
            }
            Ok(match #decode_fn(status, headers, body)? {
                rt::Decoded::Err(error) => rt::Decoded::Err(error),
                _ => rt::Decoded::Unexpected,
            })
        }
    }
}
