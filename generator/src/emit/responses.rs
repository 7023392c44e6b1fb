//! Responses: the success and error types of an operation, their enums, the
//! error-code enums, and the function that decodes a response by status.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{lines_to_attrs, sanitize};
use super::types::{ident, Ctx};
use crate::ir::{
    ErrorIr, OperationIr, ResponseContent, ResponseIr, StatusMatch, SuccessIr, TypeRef,
};

/// The success type of an operation, and whether it is an enum of several.
pub(super) fn success_type(ctx: Ctx<'_>, op: &OperationIr) -> TokenStream {
    match &op.success {
        SuccessIr::Single(item) | SuccessIr::One(item) => ctx.rust_type(item),
        SuccessIr::Batch(item) => {
            let item = ctx.rust_type(item);
            quote!(rt::Batch<#item>)
        }
        SuccessIr::Unit => quote!(()),
        SuccessIr::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
    }
}

pub(super) fn error_type(op: &OperationIr) -> TokenStream {
    match &op.error {
        ErrorIr::Batch => quote!(rt::BatchError),
        ErrorIr::Enum(name) => {
            let name = ident(name);
            quote!(#name)
        }
        ErrorIr::None => quote!(::std::convert::Infallible),
    }
}

pub(super) fn status_doc(r: &ResponseIr) -> String {
    let status = match r.status {
        StatusMatch::Code(c) => format!("Status {c}"),
        StatusMatch::Range(n) => format!("Any {n}xx status"),
        StatusMatch::Default => "Any other status".to_string(),
    };
    match &r.description {
        Some(d) => format!("{status}: {}", sanitize(d)),
        None => format!("{status}."),
    }
}

pub(super) fn emit_enum(
    ctx: Ctx<'_>,
    name: &Ident,
    doc: &str,
    responses: &[&ResponseIr],
    non_exhaustive: bool,
) -> TokenStream {
    let variants = responses.iter().map(|r| {
        let v = ident(&r.variant);
        let d = lines_to_attrs(&status_doc(r));
        match r.ty {
            TypeRef::Unit => quote! { #d #v, },
            _ => {
                let ty = ctx.rust_type(&r.ty);
                quote! { #d #v(#ty), }
            }
        }
    });
    let doc = lines_to_attrs(doc);
    let non_exhaustive = super::non_exhaustive::attr(non_exhaustive);
    quote! {
        #doc
        #non_exhaustive
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// The expression decoding a response body into `r.ty`.
pub(super) fn decode_expr(ctx: Ctx<'_>, r: &ResponseIr) -> TokenStream {
    match &r.content {
        ResponseContent::Empty => quote!(rt::decode_empty(body)),
        ResponseContent::Text => quote!(rt::decode_text(body)),
        ResponseContent::Bytes => quote!(rt::decode_bytes(body)),
        ResponseContent::Json { unwrap } => {
            let call = match unwrap {
                None => quote!(rt::decode_json(body)),
                Some(p) => quote!(rt::decode_json_pointer(body, #p)),
            };
            // A top-level value with a wire codec is read through it.
            match ctx.codec_type(&r.ty) {
                Some(c) => quote!(#call.map(rt::codec::Decode::<#c, _>::into_inner)),
                None => call,
            }
        }
    }
}

/// `send_stream()` of an operation that downloads raw bytes: the success body unread, as a
/// stream of chunks.
pub(super) fn emit_send_stream(
    op: &OperationIr,
    decode_fn: &Ident,
    err_ty: &TokenStream,
) -> TokenStream {
    if !op.streams_download() {
        return TokenStream::new();
    }
    quote! {
        /// Sends the request and returns the success body unread, to read chunk by chunk as it
        /// arrives: for downloads too large to hold in memory. The client's body-size limit
        /// does not apply, and the request timeout ends once the headers are in.
        pub async fn send_stream(self) -> ::std::result::Result<rt::Response<rt::ByteStream>, rt::Error<#err_ty>> {
            let (client, request) = self.into_parts();
            client.inner.execute_stream(request, #decode_fn).await
        }
    }
}

pub(super) fn status_pattern(s: StatusMatch) -> TokenStream {
    match s {
        StatusMatch::Code(c) => quote!(#c),
        StatusMatch::Range(n) => {
            let lo = n * 100;
            let hi = n * 100 + 99;
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    }
}

pub(super) fn emit_decode_fn(
    ctx: Ctx<'_>,
    op: &OperationIr,
    fn_name: &Ident,
    ok_ty: &TokenStream,
    err_ty: &TokenStream,
) -> TokenStream {
    if let Some(env) = &op.envelope {
        let (status, message, items, errors) = (&env.status, &env.message, &env.items, &env.errors);
        let object = &env.object;
        let codes = if ctx.api.item_error_codes.is_empty() {
            quote!(&[])
        } else {
            quote!(ITEM_ERROR_CODES)
        };
        let decode = if env.single {
            quote!(rt::decode_single_response)
        } else {
            quote!(rt::decode_envelope_response)
        };
        return quote! {
            fn #fn_name(
                status: rt::reqwest::StatusCode,
                _headers: &rt::reqwest::header::HeaderMap,
                body: &[u8],
            ) -> ::std::result::Result<rt::Decoded<#ok_ty, #err_ty>, rt::DecodeError> {
                const ENVELOPE: rt::EnvelopeSpec = rt::EnvelopeSpec { status: #status, message: #message, items: #items, errors: #errors, object: #object, codes: #codes };
                #decode(status, body, &ENVELOPE)
            }
        };
    }
    let resp_enum = match &op.success {
        SuccessIr::Enum(name) => Some(ident(name)),
        _ => None,
    };
    let multi = resp_enum.is_some();
    let err_enum = match &op.error {
        ErrorIr::Enum(name) => Some(ident(name)),
        _ => None,
    };
    // Exact codes first, then ranges, then default.
    let mut ordered: Vec<&ResponseIr> = op
        .responses
        .iter()
        .filter(|r| matches!(r.status, StatusMatch::Code(_)))
        .collect();
    ordered.extend(
        op.responses
            .iter()
            .filter(|r| matches!(r.status, StatusMatch::Range(_))),
    );
    ordered.extend(
        op.responses
            .iter()
            .filter(|r| r.status == StatusMatch::Default),
    );
    let mut arms = Vec::new();
    for r in &ordered {
        let pat = status_pattern(r.status);
        let guard = if r.status == StatusMatch::Default && r.success {
            quote!(if status.is_success())
        } else {
            quote!()
        };
        let v = ident(&r.variant);
        let decode = decode_expr(ctx, r);
        let arm = if r.success {
            let wrap = if multi {
                if r.ty == TypeRef::Unit {
                    quote!(.map(|()| R::#v))
                } else {
                    quote!(.map(R::#v))
                }
            } else {
                quote!()
            };
            quote! { #pat #guard => rt::Decoded::Ok(#decode #wrap ?), }
        } else {
            // An error body that does not decode still reaches the caller, untyped, with status and raw body.
            let variant = if r.ty == TypeRef::Unit {
                quote!(|()| E::#v)
            } else {
                quote!(E::#v)
            };
            quote! { #pat => rt::Decoded::error(#decode, #variant), }
        };
        arms.push(arm);
    }
    // Short local names keep each arm on one line.
    let mut aliases = TokenStream::new();
    if let Some(resp_enum) = &resp_enum {
        aliases.extend(quote!(use self::#resp_enum as R;));
    }
    if let Some(err_enum) = &err_enum {
        aliases.extend(quote!(use self::#err_enum as E;));
    }
    if op.success == SuccessIr::Unit {
        arms.insert(
            0,
            quote! { _ if status.is_success() => rt::Decoded::Ok(()), },
        );
    }
    if !ordered
        .iter()
        .any(|r| r.status == StatusMatch::Default && !r.success)
    {
        arms.push(quote! { _ => rt::Decoded::Unexpected, });
    }
    // Without a documented response no arm reads the body.
    let body = if ordered.is_empty() {
        format_ident!("_body")
    } else {
        format_ident!("body")
    };
    quote! {
        fn #fn_name(
            status: rt::reqwest::StatusCode,
            _headers: &rt::reqwest::header::HeaderMap,
            #body: &[u8],
        ) -> ::std::result::Result<rt::Decoded<#ok_ty, #err_ty>, rt::DecodeError> {
            #aliases
            let decoded = match status.as_u16() {
                #(#arms)*
            };
            Ok(decoded)
        }
    }
}

/// `x-cloudgen-error-codes`: `code()` on the operation's error enum, reading the provider's
/// code from the error body as the module's [`ErrorCode`](emit_error_code_enum); its docs
/// list the codes this operation documents.
pub(super) fn emit_error_codes(
    ctx: Ctx<'_>,
    op: &OperationIr,
    errors: &[&ResponseIr],
) -> TokenStream {
    let (Some(pointer), false) = (&ctx.api.error_code_pointer, op.error_codes.is_empty()) else {
        return TokenStream::new();
    };
    if !errors.iter().any(|r| r.ty != TypeRef::Unit) {
        return TokenStream::new();
    }
    let ErrorIr::Enum(err_enum) = &op.error else {
        return TokenStream::new();
    };
    let err_enum = ident(err_enum);
    let listed: Vec<String> = op
        .error_codes
        .iter()
        .map(|c| {
            let mut line = format!("- [`ErrorCode::{}`]", c.rust_name);
            if let Some(status) = c.status {
                line.push_str(&format!(" (HTTP {status})"));
            }
            if let Some(d) = &c.description {
                line.push_str(": ");
                line.push_str(&sanitize(d).replace('\n', " "));
            }
            line
        })
        .collect();
    let docs = lines_to_attrs(&format!(
        "The provider error code in the error body, when it carries one. This operation documents:\n{}",
        listed.join("\n")
    ));
    let arms = errors.iter().map(|r| {
        let v = ident(&r.variant);
        if r.ty == TypeRef::Unit {
            quote!(Self::#v => return None,)
        } else {
            quote!(Self::#v(body) => rt::serde_json::to_value(body).ok()?,)
        }
    });
    quote! {
        impl #err_enum {
            #docs
            pub fn code(&self) -> ::std::option::Option<ErrorCode> {
                let body = match self {
                    #(#arms)*
                };
                body.pointer(#pointer)?.as_str().map(ErrorCode::from)
            }
        }
    }
}

/// The module's `ErrorCode`: every provider error code its operations document, once, with
/// `Unknown` for any other. Each operation's `code()` returns it.
pub(super) fn emit_error_code_enum(ctx: Ctx<'_>) -> TokenStream {
    if ctx.api.error_codes.is_empty() || ctx.api.error_code_pointer.is_none() {
        return TokenStream::new();
    }
    let variants: Vec<(String, String, String)> = ctx
        .api
        .error_codes
        .iter()
        .map(|c| {
            let mut doc = format!("`{}`", c.code);
            if let Some(status) = c.status {
                doc.push_str(&format!(" (HTTP {status})"));
            }
            if let Some(d) = &c.description {
                doc.push_str(": ");
                doc.push_str(&sanitize(d));
            }
            (c.rust_name.clone(), c.code.clone(), doc)
        })
        .collect();
    let docs = lines_to_attrs(
        "The provider's error codes, as the operations document them; each operation's error\n`code()` gives one, and its docs list the codes that operation documents. `Unknown`\nkeeps any other code as sent, so a new code never breaks a client.",
    );
    let name = format_ident!("ErrorCode");
    let non_exhaustive = super::non_exhaustive::attr(super::non_exhaustive::ERROR_CODES);
    super::types::emit_string_enum(
        &name,
        quote!(#docs #non_exhaustive),
        &variants,
        &ctx.runtime(),
    )
}

/// The root `x-cloudgen-envelope`'s `codes`: a module `item_error_code` of named constants for
/// [`rt::ItemError::code`], and the table the decode functions give the runtime so that an
/// item error says what its code means.
pub(super) fn emit_item_error_codes(ctx: Ctx<'_>) -> TokenStream {
    let codes = &ctx.api.item_error_codes;
    if codes.is_empty() {
        return TokenStream::new();
    }
    let consts = codes.iter().map(|c| {
        let name = format_ident!("{}", c.const_name);
        let code = c.code;
        let doc = lines_to_attrs(&format!("`{code}`: {}.", sanitize(&c.meaning)));
        quote! { #doc pub const #name: i64 = #code; }
    });
    let table = codes.iter().map(|c| {
        let (code, meaning) = (c.code, &c.meaning);
        quote!((#code, #meaning))
    });
    quote! {
        /// The numeric error codes of objects that failed in an envelope (the `code` of a
        /// runtime `ItemError`), as the API documents them: match on them, e.g.
        /// `Some(item_error_code::NOT_FOUND)`.
        pub mod item_error_code {
            #(#consts)*
        }

        /// What each code of [`item_error_code`] means, for the messages of item errors.
        const ITEM_ERROR_CODES: &[(i64, &str)] = &[#(#table),*];
    }
}
