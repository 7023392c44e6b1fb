//! Typed mocks: a module's `mock` submodule, for tests of code that uses the client. A
//! `MockServer` with one method per operation; each takes a closure that sets what the
//! request must match (`<Stem>When`: path and query parameters, headers, the body) and what
//! the server answers (`<Stem>Then`: one method per documented response, taking its type).
//!
//! Values are encoded the way the client encodes and decodes them (path segments, query
//! values, body codecs and wrappers, unwrapped responses, envelopes), reading only the IR; the
//! runtime's `mock` module (feature `mock`) holds the plumbing on wiremock.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::client::display_expr;
use super::docs::lines_to_attrs;
use super::responses::status_doc;
use super::types::{ident, Ctx};
use crate::ir::{
    Api, BodyEncoding, EnvelopeIr, OperationIr, ParamIr, ParamLocation, ResponseContent,
    ResponseIr, StatusMatch, TypeRef,
};

/// The methods of the generated `MockServer` that are not operations; an operation of the
/// same name gets the suffix `_operation` in the mock.
const SERVER_METHODS: &[&str] = &["start", "base_url", "client", "runtime"];

/// The doc of an API's `mock` module, for a `#![doc]` attribute.
pub fn mock_doc(api: &Api) -> String {
    format!(
        " Typed mocks of the {}, for tests of code that uses [`Client`](super::Client).\n\n\
         [`MockServer`] starts a server on loopback; each of its methods mocks one operation\n\
         through a closure that sets what a request must match and what the server answers, with\n\
         the operation's own types, encoded as the client encodes them.",
        api.display_name()
    )
}

/// The items of an API's `mock` module. With `checks`, they first check that the runtime has
/// its `mock` feature (not for an inline runtime, which has no such check).
pub fn emit_mock(api: &Api, checks: bool) -> TokenStream {
    let ctx = Ctx {
        api,
        in_types: false,
    };
    let check = checks.then(|| quote!(rt::__require_mock!();));
    let deref = crate::format::placeholder(MOCK_MACRO, "deref_to!");
    let server = emit_server(ctx);
    let ops = api.operations.iter().map(|op| {
        let when = emit_when(ctx, op);
        let then = emit_then(ctx, op);
        quote!(#when #then)
    });
    quote! {
        use super::rt;
        use super::types;
        #check
        #deref
        #server
        #(#ops)*
    }
}

/// The name of an operation's mock method.
fn method_name(op: &OperationIr) -> proc_macro2::Ident {
    let name = op.name.trim_start_matches("r#");
    if SERVER_METHODS.contains(&name) {
        format_ident!("{}_operation", name)
    } else {
        ident(&op.name)
    }
}

fn emit_server(ctx: Ctx<'_>) -> TokenStream {
    let methods = ctx.api.operations.iter().map(|op| {
        let name = method_name(op);
        let op_name = op.name.trim_start_matches("r#");
        let (method, path) = (&op.method, &op.path);
        let when = format_ident!("{}When", op.type_stem);
        let then = format_ident!("{}Then", op.type_stem);
        let doc = lines_to_attrs(&format!(
            "Mocks [`Client::{op_name}`](super::Client::{op_name}) (`{method} {path}`): `f` sets what a\nrequest must match and what the server answers (`500` until it says)."
        ));
        quote! {
            #doc
            pub async fn #name(&self, f: impl ::std::ops::FnOnce(&mut #when, &mut #then)) {
                let mut when = #when(rt::mock::When::new(#op_name, #method, #path));
                let mut then = #then(rt::mock::Then::new());
                f(&mut when, &mut then);
                self.inner.mount(when.0, then.0).await;
            }
        }
    });
    quote! {
        /// A mock server of this API on a loopback port, stopped when dropped.
        #[derive(Debug)]
        pub struct MockServer {
            inner: rt::mock::MockServer,
        }

        impl MockServer {
            /// Starts a server on a free loopback port.
            pub async fn start() -> Self {
                Self { inner: rt::mock::MockServer::start().await }
            }

            /// The base URL of the server, for [`Client::with_base_url`](super::Client::with_base_url).
            pub fn base_url(&self) -> ::std::string::String {
                self.inner.base_url()
            }

            /// A client of this server that sends no credentials.
            pub fn client(&self) -> ::std::result::Result<super::Client, rt::BuildError> {
                super::Client::builder()
                    .base_url(self.inner.base_url())
                    .build()
                    .map(super::Client::from_runtime)
            }

            /// The runtime's server: received requests, expectations, and the wiremock server
            /// for anything the typed methods do not cover.
            pub fn runtime(&self) -> &rt::mock::MockServer {
                &self.inner
            }

            #(#methods)*
        }
    }
}

/// The name of the placeholder that [`mock_macro_text`] fills: prettyplease prints a macro's
/// body on one line, so the macro goes in as text once the module is formatted.
pub const MOCK_MACRO: &str = "MOCK_MACRO";

/// The module's `deref_to!` macro, as text indented by `indent` spaces: `Deref` and `DerefMut`
/// from an operation's `When` or `Then` to the runtime type it wraps, which has the setters
/// every operation shares (headers, expected call counts, raw bodies); a typed setter of the
/// same name takes precedence. One macro keeps the two impls from being spelt out for every
/// operation.
pub fn mock_macro_text(indent: usize) -> String {
    const TEXT: &str = "\
/// `Deref` and `DerefMut` from a wrapper to the runtime type in its field.
macro_rules! deref_to {
    ($name:ident, $target:ty) => {
        impl ::std::ops::Deref for $name {
            type Target = $target;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl ::std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut Self::Target {
                &mut self.0
            }
        }
    };
}
";
    let pad = " ".repeat(indent);
    TEXT.lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_string()
            } else {
                format!("{pad}{l}\n")
            }
        })
        .collect()
}

fn emit_when(ctx: Ctx<'_>, op: &OperationIr) -> TokenStream {
    let name = format_ident!("{}When", op.type_stem);
    let op_name = op.name.trim_start_matches("r#");
    let doc = lines_to_attrs(&format!(
        "What a request of [`Client::{op_name}`](super::Client::{op_name}) must match: any, until a setter\nnarrows it. The runtime's [`When`](rt::mock::When) (through `Deref`) adds headers and\nexpected call counts."
    ));
    let setters = op.params.iter().map(|p| param_setter(ctx, p));
    let body = body_setter(ctx, op);
    let deref = quote!(deref_to!(#name, rt::mock::When););
    quote! {
        #doc
        #[derive(Debug)]
        pub struct #name(rt::mock::When);

        impl #name {
            #(#setters)*
            #body
        }

        #deref
    }
}

fn param_setter(ctx: Ctx<'_>, p: &ParamIr) -> TokenStream {
    let name = ident(&p.rust_name);
    let wire = &p.wire_name;
    let location = super::client::location_word(p);
    let doc = lines_to_attrs(&if matches!(p.ty, TypeRef::Vec(_)) {
        format!("Matches only requests whose `{wire}` {location} parameter has each of `values`.")
    } else {
        format!("Matches only requests whose `{wire}` {location} parameter is `value`.")
    });
    let (arg, body) = match (&p.ty, p.location) {
        (TypeRef::Vec(item), loc) => {
            let item_ty = ctx.rust_type(item);
            let each = display_expr(ctx, item, quote!(v), true);
            let explode = p.explode && loc == ParamLocation::Query;
            let call = match loc {
                ParamLocation::Query => quote!(self.0.query_list(#wire, &values, #explode);),
                ParamLocation::Header => quote!(self.0.header(#wire, &values.join(","));),
                ParamLocation::Path => quote!(self.0.path_param(#wire, &values.join(","));),
            };
            (
                quote!(values: impl rt::QueryValues<#item_ty>),
                quote! {
                    let values: ::std::vec::Vec<::std::string::String> =
                        values.into_values().iter().map(|v| #each.to_string()).collect();
                    #call
                },
            )
        }
        (t, loc) => {
            let ty = ctx.rust_type(t);
            let v = display_expr(ctx, t, quote!(value), false);
            let call = match loc {
                ParamLocation::Path => quote!(self.0.path_param(#wire, &#v.to_string());),
                ParamLocation::Query => quote!(self.0.query_param(#wire, #v);),
                ParamLocation::Header => quote!(self.0.header(#wire, &#v.to_string());),
            };
            (
                quote!(value: impl ::std::convert::Into<#ty>),
                quote! {
                    let value: #ty = value.into();
                    #call
                },
            )
        }
    };
    quote! {
        #doc
        pub fn #name(&mut self, #arg) -> &mut Self {
            #body
            self
        }
    }
}

fn body_setter(ctx: Ctx<'_>, op: &OperationIr) -> Option<TokenStream> {
    let b = op
        .body
        .as_ref()
        .filter(|b| b.encoding == BodyEncoding::Json)?;
    let ty = ctx.rust_type(&b.ty);
    let value = match ctx.body_codec(b) {
        Some(c) => quote!(&rt::codec::Encode::<#c, _>::new(body)),
        None => quote!(body),
    };
    Some(quote! {
        /// Matches only requests whose JSON body is `body`, as the client sends it.
        pub fn body(&mut self, body: &#ty) -> &mut Self {
            self.0.json_body(#value);
            self
        }
    })
}

fn emit_then(ctx: Ctx<'_>, op: &OperationIr) -> TokenStream {
    let name = format_ident!("{}Then", op.type_stem);
    let op_name = op.name.trim_start_matches("r#");
    let doc = lines_to_attrs(&format!(
        "What the server answers a request of [`Client::{op_name}`](super::Client::{op_name}): one method per\ndocumented response, taking its type; the last call wins. The runtime's\n[`Then`](rt::mock::Then) (through `Deref`) adds headers and raw bodies."
    ));
    let methods: Vec<TokenStream> = match &op.envelope {
        Some(env) => envelope_responders(ctx, env),
        None => op.responses.iter().map(|r| responder(ctx, r)).collect(),
    };
    let deref = quote!(deref_to!(#name, rt::mock::Then););
    quote! {
        #doc
        #[derive(Debug)]
        pub struct #name(rt::mock::Then);

        impl #name {
            #(#methods)*
        }

        #deref
    }
}

/// The method answering with one documented response.
fn responder(ctx: Ctx<'_>, r: &ResponseIr) -> TokenStream {
    let name = ident(&crate::naming::snake_ident(&r.variant, "status"));
    let doc = lines_to_attrs(&format!("Answers with this response. {}", status_doc(r)));
    let (status_arg, status) = match r.status {
        StatusMatch::Code(c) => (None, quote!(#c)),
        StatusMatch::Range(_) | StatusMatch::Default => {
            (Some(quote!(status: u16,)), quote!(status))
        }
    };
    let (arg, call) = match (&r.content, &r.ty) {
        (ResponseContent::Empty, _) | (_, TypeRef::Unit) => (None, quote!(self.0.empty(#status);)),
        (ResponseContent::Text, _) => (
            Some(quote!(body: impl ::std::convert::Into<::std::string::String>)),
            quote!(self.0.text(#status, body, "text/plain");),
        ),
        (ResponseContent::Bytes, _) => (
            Some(quote!(body: impl ::std::convert::Into<::std::vec::Vec<u8>>)),
            quote!(self.0.bytes(#status, body, "application/octet-stream");),
        ),
        (ResponseContent::Json { unwrap }, t) => {
            let ty = ctx.rust_type(t);
            let value = match ctx.codec_type(t) {
                Some(c) => quote!(&rt::codec::Encode::<#c, _>::new(value)),
                None => quote!(value),
            };
            let unwrap = match unwrap {
                Some(p) => quote!(::std::option::Option::Some(#p)),
                None => quote!(::std::option::Option::None),
            };
            (
                Some(quote!(value: &#ty)),
                quote!(self.0.json(#status, #value, #unwrap);),
            )
        }
    };
    quote! {
        #doc
        pub fn #name(&mut self, #status_arg #arg) -> &mut Self {
            #call
            self
        }
    }
}

/// The methods answering an enveloped operation: objects that succeeded or failed, and a
/// failure of the whole request.
fn envelope_responders(ctx: Ctx<'_>, env: &EnvelopeIr) -> Vec<TokenStream> {
    let item = ctx.rust_type(&env.item);
    let (status, message, items, errors, object) = (
        &env.status,
        &env.message,
        &env.items,
        &env.errors,
        &env.object,
    );
    let spec = quote! {
        &rt::EnvelopeSpec { status: #status, message: #message, items: #items, errors: #errors, object: #object, codes: &[] }
    };
    let ok = if env.single {
        quote! {
            /// Answers with the envelope of the one object the request names, succeeded.
            pub fn ok(&mut self, value: &#item) -> &mut Self {
                self.0.envelope_item(#spec, value, ::std::option::Option::None);
                self
            }
        }
    } else {
        quote! {
            /// Adds these objects, succeeded, to the envelope the server answers with.
            pub fn ok(&mut self, values: &[#item]) -> &mut Self {
                for value in values {
                    self.0.envelope_item(#spec, value, ::std::option::Option::None);
                }
                self
            }
        }
    };
    let failed_doc = lines_to_attrs(&format!(
        "Adds a failed {object} to the envelope: `value` identifies it (its `uuid` or\n`name`), with the numeric error `code` and `message` the client reports in an `ItemError`."
    ));
    vec![
        ok,
        quote! {
            #failed_doc
            pub fn failed(&mut self, value: &#item, code: i64, message: &str) -> &mut Self {
                self.0.envelope_item(#spec, value, ::std::option::Option::Some((code, message)));
                self
            }

            /// Answers `status` with an envelope saying the whole request failed with `message`.
            pub fn error(&mut self, status: u16, message: &str) -> &mut Self {
                self.0.envelope_error(status, #spec, message);
                self
            }
        },
    ]
}
