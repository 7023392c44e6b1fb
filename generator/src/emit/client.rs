//! The client: one `Client` per API, one method and request builder per operation.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::auth::emit_token_source;
use super::docs::{doc_attrs, lines_to_attrs, sanitize};
use super::polling::{emit_pagination, emit_waiter};
use super::responses::{
    emit_decode_fn, emit_enum, emit_error_codes, emit_send_stream, error_type, success_type,
};
use super::types::{displayable, ident, is_secret, Ctx};
use crate::ir::{
    Api, AuthIr, BodyEncoding, ErrorIr, OperationIr, ParamIr, ParamLocation, Prim, ResponseIr,
    SuccessIr, TypeKind, TypeRef,
};

/// Emits the client module body (everything but `types`).
pub fn emit_client(api: &Api) -> TokenStream {
    let parts = client_parts(api);
    (0..parts).map(|i| emit_client_part(api, i)).collect()
}

/// Operations per part of the client module; parts are emitted and formatted
/// independently (in parallel), and concatenated in order.
const OPERATIONS_PER_PART: usize = 12;

/// How many parts [`emit_client_part`] splits the client module into (at least one).
pub fn client_parts(api: &Api) -> usize {
    api.operations.len().div_ceil(OPERATIONS_PER_PART).max(1)
}

/// Part `part` of the client module body: the `Client` struct first, then each
/// operation in order, and after the last operation the waiters and token sources.
pub fn emit_client_part(api: &Api, part: usize) -> TokenStream {
    let ctx = Ctx {
        api,
        in_types: false,
    };
    let last = part + 1 == client_parts(api);
    let client = (part == 0).then(|| {
        let error_codes = super::responses::emit_error_code_enum(ctx);
        let item_error_codes = super::responses::emit_item_error_codes(ctx);
        let client = super::client_struct::emit_client_struct(api);
        quote!(#client #error_codes #item_error_codes)
    });
    let start = (part * OPERATIONS_PER_PART).min(api.operations.len());
    let end = (start + OPERATIONS_PER_PART).min(api.operations.len());
    let ops = api.operations[start..end]
        .iter()
        .map(|op| emit_operation(ctx, op));
    let waiters = api
        .operations
        .iter()
        .filter(|_| last)
        .filter_map(|op| emit_waiter(ctx, op));
    let token_sources = api.auth.iter().filter(|_| last).filter_map(|a| match a {
        AuthIr::Bearer {
            exchange: Some(x), ..
        } => emit_token_source(ctx, x),
        _ => None,
    });
    let table = last.then(|| super::operation_table::emit_operation_table(ctx));
    quote! {
        #client
        #(#ops)*
        #(#waiters)*
        #(#token_sources)*
        #table
    }
}

/// The type a parameter is stored as in the request builder.
pub(super) fn param_type(ctx: Ctx<'_>, p: &ParamIr) -> TokenStream {
    ctx.rust_type(&p.ty)
}

/// An expression that displays the wire text of a value of type `t`; `v` is a
/// place expression when `is_ref` is false, a reference when it is true.
pub(super) fn display_expr(ctx: Ctx<'_>, t: &TypeRef, v: TokenStream, is_ref: bool) -> TokenStream {
    let place = if is_ref { quote!(*#v) } else { v.clone() };
    let reference = if is_ref { v.clone() } else { quote!(&#v) };
    match t {
        TypeRef::Prim(Prim::DateTime) => quote!(#v.to_rfc3339()),
        TypeRef::FormattedDateTime(format) => quote!(#v.format(#format).to_string()),
        TypeRef::Prim(Prim::YesNo) => quote!(if #place { "yes" } else { "no" }),
        TypeRef::Prim(Prim::Base64) => {
            quote!(rt::base64::Engine::encode(&rt::base64::engine::general_purpose::STANDARD, #reference))
        }
        _ if is_secret(ctx.api, t) => quote!(#v.expose()),
        _ if displayable(ctx.api, t) => v,
        _ => quote!(rt::serde_json::to_string(#reference).unwrap_or_default()),
    }
}

fn emit_operation(ctx: Ctx<'_>, op: &OperationIr) -> TokenStream {
    let method_name = ident(&op.name);
    let builder = format_ident!("{}", op.builder_name());
    let decode_fn = format_ident!("decode_{}", op.name.trim_start_matches("r#"));
    let ok_ty = success_type(ctx, op);
    let err_ty = error_type(op);

    let http_method = format_ident!("{}", op.method);
    let path_template = &op.path;
    let op_name = op.name.trim_start_matches("r#");
    let mut m = Members::default();
    collect_params(ctx, op, &mut m);
    collect_body(ctx, op, &mut m);
    let setters = param_setters(ctx, op);
    let path_expr = path_expr(ctx, op);
    let steps = request_steps(ctx, op);

    // A secret in the path: error messages show the path template instead of the path.
    let secret_path = op
        .params
        .iter()
        .any(|p| p.location == ParamLocation::Path && is_secret(ctx.api, &p.ty))
        .then(|| quote!(.secret_path()));
    let error_fields = match (&ctx.api.error_code_pointer, &ctx.api.error_message_pointer) {
        (None, None) => quote!(),
        (code, message) => {
            let (code, message) = (
                code.as_deref().unwrap_or_default(),
                message.as_deref().unwrap_or_default(),
            );
            quote!(.error_fields(#code, #message))
        }
    };
    let mut method_doc_text = String::new();
    let summary_doc = doc_attrs(&op.doc, &format!("Calls `{} {}`.", op.method, op.path));
    method_doc_text.push_str(&format!("\n\n`{} {}`", op.method, op.path));
    if !m.arg_docs.is_empty() {
        method_doc_text.push_str("\n\nArguments:\n");
        method_doc_text.push_str(&m.arg_docs.join("\n"));
    }
    let extra_doc = lines_to_attrs(&method_doc_text);

    let paging = emit_pagination(ctx, op, &builder, &decode_fn, &err_ty);
    let decode = emit_decode_fn(ctx, op, &decode_fn, &ok_ty, &err_ty);
    let send_stream = emit_send_stream(op, &decode_fn, &err_ty);
    let builder_doc = format!(
        " The request of [`Client::{}`]: set optional inputs, then `.send().await`.",
        op.name.trim_start_matches("r#")
    );
    let too_many = if m.args.len() > 6 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };

    let Members {
        args,
        inits,
        fields,
        checked_binds,
        expanded_setters,
        body_setter,
        body_construct,
        ..
    } = m;
    let response_enums = emit_response_enums(ctx, op);

    quote! {
        impl Client {
            #summary_doc
            #extra_doc
            #too_many
            pub fn #method_name(&self, #(#args),*) -> #builder {
                #builder {
                    client: ::std::clone::Clone::clone(self),
                    #(#inits,)*
                    options: rt::RequestOptions::new(),
                }
            }
        }

        #[doc = #builder_doc]
        #[derive(Clone)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #builder {
            client: Client,
            #(#fields,)*
            options: rt::RequestOptions,
        }

        impl #builder {
            #(#setters)*
            #(#expanded_setters)*
            #body_setter

            /// Adds a header to this request only.
            pub fn header(mut self, name: rt::reqwest::header::HeaderName, value: rt::reqwest::header::HeaderValue) -> Self {
                self.options = self.options.header(name, value);
                self
            }

            /// Replaces the per-request options (headers, timeout, retry policy).
            pub fn options(mut self, options: rt::RequestOptions) -> Self {
                self.options = options;
                self
            }

            /// Sends the request and returns the decoded body.
            pub async fn send(self) -> ::std::result::Result<#ok_ty, rt::Error<#err_ty>> {
                self.send_with_response().await.map(rt::Response::into_inner)
            }

            /// Sends the request and returns the decoded body with the status and headers.
            pub async fn send_with_response(self) -> ::std::result::Result<rt::Response<#ok_ty>, rt::Error<#err_ty>> {
                let (client, request) = self.into_parts();
                client.inner.execute(request, #decode_fn).await
            }

            #send_stream

            /// Sends the request and returns the status, headers and body as they came, for
            /// any status: the way around a response that the types cannot read.
            pub async fn send_raw(self) -> ::std::result::Result<rt::Response<::std::vec::Vec<u8>>, rt::Error<::std::convert::Infallible>> {
                let (client, request) = self.into_parts();
                client.inner.execute(request, rt::decode_raw).await
            }

            /// The client (moved out, not cloned) and the request to send.
            fn into_parts(self) -> (Client, rt::Request) {
                let client = self.client;
                #(#checked_binds)*
                let path = #path_expr;
                #body_construct
                let request = rt::Request::new(rt::reqwest::Method::#http_method, #path_template, path).operation(#op_name) #error_fields #secret_path;
                #(#steps)*
                (client, request.options(self.options))
            }
        }

        #paging

        #response_enums
        #decode
    }
}

/// What the method, the builder struct and its `into_parts` are assembled from.
#[derive(Default)]
struct Members {
    /// Method arguments: required parameters, then a required body (or its required fields).
    args: Vec<TokenStream>,
    /// Builder field initialisers in the method.
    inits: Vec<TokenStream>,
    /// Builder fields.
    fields: Vec<TokenStream>,
    /// The method's argument list in its doc comment.
    arg_docs: Vec<String>,
    /// A checked argument that fails its check is kept as the message and refused at `send()`:
    /// these bind the checked values at the start of `into_parts`.
    checked_binds: Vec<TokenStream>,
    /// Setters of the optional fields of an expanded body.
    expanded_setters: Vec<TokenStream>,
    /// The setter of an optional body.
    body_setter: Option<TokenStream>,
    /// Builds an expanded body from the builder's fields.
    body_construct: Option<TokenStream>,
}

/// The parameters: required ones as method arguments, optional ones as builder fields.
fn collect_params(ctx: Ctx<'_>, op: &OperationIr, m: &mut Members) {
    let http_method = format_ident!("{}", op.method);
    let path_template = &op.path;
    let op_name = op.name.trim_start_matches("r#");
    let required: Vec<&ParamIr> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&ParamIr> = op.params.iter().filter(|p| !p.required).collect();
    for p in &required {
        let name = ident(&p.rust_name);
        let ty = param_type(ctx, p);
        if p.checked {
            let problem = format!(
                "the `{}` {} parameter is invalid: {{}}",
                p.wire_name,
                location_word(p)
            );
            m.args
                .push(quote!(#name: impl ::std::convert::TryInto<#ty, Error: ::std::fmt::Display>));
            m.inits
                .push(quote!(#name: #name.try_into().map_err(|e| format!(#problem, e))));
            m.fields
                .push(quote!(#name: ::std::result::Result<#ty, ::std::string::String>));
            m.checked_binds.push(quote! {
                let #name = match self.#name {
                    ::std::result::Result::Ok(value) => value,
                    ::std::result::Result::Err(problem) => {
                        return (client, rt::Request::new(rt::reqwest::Method::#http_method, #path_template, ::std::string::String::new()).operation(#op_name).refuse(problem));
                    }
                };
            });
        } else {
            m.args.push(quote!(#name: impl ::std::convert::Into<#ty>));
            m.inits.push(quote!(#name: #name.into()));
            m.fields.push(quote!(#name: #ty));
        }
        let d = p
            .doc
            .description
            .as_deref()
            .map(|d| sanitize(d).replace('\n', " "))
            .unwrap_or_default();
        m.arg_docs.push(
            format!(
                "- `{}` ({} parameter): {}",
                p.rust_name,
                location_word(p),
                d
            )
            .trim_end()
            .to_string(),
        );
    }
    for p in &optional {
        let name = ident(&p.rust_name);
        let ty = param_type(ctx, p);
        m.inits.push(quote!(#name: None));
        m.fields.push(quote!(#name: ::std::option::Option<#ty>));
    }
}

/// The body: an argument when required, a setter when optional, or, for an expanded body,
/// its required fields as arguments and a setter for each optional field.
fn collect_body(ctx: Ctx<'_>, op: &OperationIr, m: &mut Members) {
    let body_ty = op.body.as_ref().map(|b| ctx.rust_type(&b.ty));
    if let Some((b, TypeRef::Named(id))) = op.body.as_ref().filter(|b| b.expand).map(|b| (b, &b.ty))
    {
        let def = &ctx.api.types[id.0];
        let struct_name = ident(&def.name);
        let mut field_inits = Vec::new();
        if let TypeKind::Struct {
            fields: body_fields,
            ..
        } = &def.kind
        {
            for (f, arg) in body_fields.iter().zip(&b.expanded_args) {
                let fname = ident(&f.rust_name);
                // Lower names every field but those whose one value is filled in.
                let Some(pname_str) = arg else {
                    let constant = single_value_enum(ctx, f);
                    field_inits.push(quote!(#fname: #constant));
                    continue;
                };
                let pname = ident(pname_str);
                let ty = ctx.rust_type(&f.ty);
                let optional = f.optional;
                let wrap = |v: TokenStream| {
                    if f.boxed {
                        quote!(::std::boxed::Box::new(#v))
                    } else {
                        v
                    }
                };
                if f.presence == crate::ir::Presence::Tristate {
                    // Absent unless set; `None` sets an explicit `null`.
                    let full = ctx.rust_type(&f.full_type());
                    m.fields.push(quote!(#pname: #full));
                    m.inits
                        .push(quote!(#pname: ::std::default::Default::default()));
                    let d = doc_attrs(
                        &f.doc,
                        &format!("Sets `{}` in the request body (a value, or `None` for an explicit `null`).", f.wire_name),
                    );
                    m.expanded_setters.push(quote! {
                        #d
                        pub fn #pname(mut self, value: impl ::std::convert::Into<#full>) -> Self {
                            self.#pname = value.into();
                            self
                        }
                    });
                    field_inits.push(quote!(#fname: self.#pname));
                } else if optional {
                    m.fields.push(quote!(#pname: ::std::option::Option<#ty>));
                    m.inits.push(quote!(#pname: None));
                    let d = doc_attrs(
                        &f.doc,
                        &format!("Sets `{}` in the request body.", f.wire_name),
                    );
                    m.expanded_setters.push(quote! {
                        #d
                        pub fn #pname(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                            self.#pname = Some(value.into());
                            self
                        }
                    });
                    let v = if f.boxed {
                        quote!(self.#pname.map(::std::boxed::Box::new))
                    } else {
                        quote!(self.#pname)
                    };
                    field_inits.push(quote!(#fname: #v));
                } else {
                    m.args.push(quote!(#pname: impl ::std::convert::Into<#ty>));
                    m.inits.push(quote!(#pname: #pname.into()));
                    m.fields.push(quote!(#pname: #ty));
                    let d = f
                        .doc
                        .description
                        .as_deref()
                        .or(f.doc.summary.as_deref())
                        .map(|d| sanitize(d).replace('\n', " "))
                        .unwrap_or_default();
                    m.arg_docs.push(
                        format!("- `{pname_str}`: body field `{}`. {d}", f.wire_name)
                            .trim_end()
                            .to_string(),
                    );
                    let v = wrap(quote!(self.#pname));
                    field_inits.push(quote!(#fname: #v));
                }
            }
            if let Some(extra) = &def.additional_field {
                let extra = ident(extra);
                field_inits.push(quote!(#extra: ::std::default::Default::default()));
            }
        }
        m.body_construct = Some(quote! {
            let body = types::#struct_name { #(#field_inits,)* };
        });
    } else if let (Some(b), Some(ty)) = (&op.body, &body_ty) {
        if b.required {
            m.args.push(quote!(body: impl ::std::convert::Into<#ty>));
            m.inits.push(quote!(body: body.into()));
            m.fields.push(quote!(body: #ty));
            m.arg_docs.push(format!(
                "- `body`: {}",
                b.doc
                    .description
                    .as_deref()
                    .map(|d| sanitize(d).replace('\n', " "))
                    .unwrap_or_else(|| "the request body".into())
            ));
        } else {
            m.inits.push(quote!(body: None));
            m.fields.push(quote!(body: ::std::option::Option<#ty>));
            let d = lines_to_attrs(
                &b.doc
                    .description
                    .as_deref()
                    .map(sanitize)
                    .unwrap_or_else(|| "Sets the request body.".into()),
            );
            m.body_setter = Some(quote! {
                #d
                pub fn body(mut self, body: impl ::std::convert::Into<#ty>) -> Self {
                    self.body = Some(body.into());
                    self
                }
            });
        }
    }
}

/// The setters of the optional parameters.
fn param_setters(ctx: Ctx<'_>, op: &OperationIr) -> Vec<TokenStream> {
    let optional = op.params.iter().filter(|p| !p.required);
    optional.map(|p| {
        let name = ident(&p.rust_name);
        let ty = param_type(ctx, p);
        let d = doc_attrs(
            &p.doc,
            &format!("Sets the `{}` {} parameter.", p.wire_name, location_word(p)),
        );
        if let (TypeRef::Vec(item), ParamLocation::Query) = (&p.ty, p.location) {
            let item = ctx.rust_type(item);
            let more = lines_to_attrs(
                "\nTakes one value or a list of them (`\"a\"`, `[\"a\", \"b\"]`, a `Vec`); each call adds to the\nvalues sent, so the parameter can be repeated.",
            );
            return quote! {
                #d
                #more
                pub fn #name(mut self, values: impl rt::QueryValues<#item>) -> Self {
                    self.#name.get_or_insert_with(::std::vec::Vec::new).extend(values.into_values());
                    self
                }
            };
        }
        quote! {
            #d
            pub fn #name(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
                self.#name = Some(value.into());
                self
            }
        }
    })
    .collect()
}

/// The expression rendering the request path from the builder (or, for a checked
/// parameter, from its local binding).
fn path_expr(ctx: Ctx<'_>, op: &OperationIr) -> TokenStream {
    // Path rendering.
    let mut fmt = String::new();
    let mut fmt_args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        fmt.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        fmt.push_str("{}");
        let wire = &rest[start + 1..start + len];
        if let Some(p) = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire_name == wire)
        {
            let name = ident(&p.rust_name);
            // A checked parameter is bound to a local of its own name once its check passed.
            let value = if p.checked {
                quote!(#name)
            } else {
                quote!(self.#name)
            };
            let v = display_expr(ctx, &p.ty, value, false);
            if is_secret(ctx.api, &p.ty) {
                // `expose()` gives the text itself.
                fmt_args.push(quote!(rt::encode_path_segment(#v)));
            } else {
                fmt_args.push(quote!(rt::encode_path_segment(&#v.to_string())));
            }
        } else {
            fmt_args.push(quote!(""));
        }
        rest = &rest[start + len + 1..];
    }
    fmt.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    if fmt_args.is_empty() {
        let p = &op.path;
        quote!(::std::string::String::from(#p))
    } else {
        quote!(format!(#fmt, #(#fmt_args),*))
    }
}

/// The statement adding a secret query or header parameter to `request`, through the runtime
/// methods that hide its value in error messages and mark the header sensitive; `None` for a
/// parameter that is no secret.
fn secret_param_step(ctx: Ctx<'_>, p: &crate::ir::ParamIr) -> Option<TokenStream> {
    let name = ident(&p.rust_name);
    let wire = &p.wire_name;
    let explode = p.explode;
    let (call, extra) = match (&p.ty, p.location) {
        (TypeRef::Vec(item), ParamLocation::Query) if is_secret(ctx.api, item) => {
            (quote!(secret_query_list), quote!(, #explode))
        }
        (t, ParamLocation::Query) if is_secret(ctx.api, t) => (quote!(secret_query), quote!()),
        (t, ParamLocation::Header) if is_secret(ctx.api, t) => (quote!(secret_header), quote!()),
        _ => return None,
    };
    Some(if p.required {
        quote!(let request = request.#call(#wire, &self.#name #extra);)
    } else {
        quote!(let request = match &self.#name { Some(value) => request.#call(#wire, value #extra), None => request };)
    })
}

/// The statements adding the query, header and body inputs to `request`.
fn request_steps(ctx: Ctx<'_>, op: &OperationIr) -> Vec<TokenStream> {
    let mut steps = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
    {
        if let Some(step) = secret_param_step(ctx, p) {
            steps.push(step);
            continue;
        }
        let name = ident(&p.rust_name);
        let wire = &p.wire_name;
        let explode = p.explode;
        let step = match (&p.ty, p.location) {
            (TypeRef::Vec(item), ParamLocation::Query) => {
                let conv = if displayable(ctx.api, item) {
                    None
                } else {
                    let e = display_expr(ctx, item, quote!(v), true);
                    Some(quote!(.iter().map(|v| #e.to_string()).collect::<::std::vec::Vec<_>>()))
                };
                if p.required {
                    match conv {
                        None => {
                            quote!(let request = request.query_list(#wire, &self.#name, #explode);)
                        }
                        Some(c) => {
                            quote!(let request = request.query_list(#wire, &self.#name #c, #explode);)
                        }
                    }
                } else {
                    match conv {
                        None => {
                            quote!(let request = match &self.#name { Some(values) => request.query_list(#wire, values, #explode), None => request };)
                        }
                        Some(c) => {
                            quote!(let request = match &self.#name { Some(values) => request.query_list(#wire, &values #c, #explode), None => request };)
                        }
                    }
                }
            }
            (TypeRef::Vec(item), ParamLocation::Header) => {
                let e = display_expr(ctx, item, quote!(v), true);
                let joined = quote!(.iter().map(|v| #e.to_string()).collect::<::std::vec::Vec<_>>().join(","));
                if p.required {
                    quote!(let request = request.header(#wire, self.#name #joined);)
                } else {
                    quote!(let request = match &self.#name { Some(values) => request.header(#wire, values #joined), None => request };)
                }
            }
            (t, loc) => {
                let call = if loc == ParamLocation::Query {
                    quote!(query)
                } else {
                    quote!(header)
                };
                if p.required {
                    let v = display_expr(ctx, t, quote!(self.#name), false);
                    quote!(let request = request.#call(#wire, #v);)
                } else {
                    let v = display_expr(ctx, t, quote!(value), true);
                    quote!(let request = match &self.#name { Some(value) => request.#call(#wire, #v), None => request };)
                }
            }
        };
        steps.push(step);
    }
    if let Some(b) = &op.body {
        let codec = ctx.body_codec(b);
        let encode = |v: TokenStream| match (&b.encoding, &codec) {
            (BodyEncoding::Json, Some(c)) => {
                quote!(request.json(&rt::codec::Encode::<#c, _>::new(#v)))
            }
            (BodyEncoding::Json, None) => quote!(request.json(#v)),
            (BodyEncoding::Form, _) => quote!(request.form(#v)),
            (BodyEncoding::Bytes(ct), _) => {
                quote!(request.bytes(::std::clone::Clone::clone(#v), #ct))
            }
            (BodyEncoding::Text(ct), _) => quote!(request.bytes(#v.clone().into_bytes(), #ct)),
            (BodyEncoding::Multipart, _) => quote!(request.multipart(#v)),
        };
        if b.expand {
            let e = encode(quote!(&body));
            steps.push(quote!(let request = #e;));
        } else if b.required {
            let e = encode(quote!(&self.body));
            steps.push(quote!(let request = #e;));
        } else {
            let e = encode(quote!(body));
            steps.push(
                quote!(let request = match &self.body { Some(body) => #e, None => request };),
            );
        }
    }
    if op.retry_safe {
        steps.push(quote!(let request = request.retry_safe(true);));
    }
    steps
}

/// The operation's success and error enums and its error codes.
fn emit_response_enums(ctx: Ctx<'_>, op: &OperationIr) -> TokenStream {
    let successes: Vec<&ResponseIr> = op.responses.iter().filter(|r| r.success).collect();
    let errors: Vec<&ResponseIr> = op.responses.iter().filter(|r| !r.success).collect();
    let enveloped = op.envelope.is_some();
    let resp_enum = if let SuccessIr::Enum(name) = &op.success {
        let name = ident(name);
        Some(emit_enum(
            ctx,
            &name,
            &format!(
                "The successful responses of [`Client::{}`].",
                op.name.trim_start_matches("r#")
            ),
            &successes,
            false,
        ))
    } else {
        None
    };
    let err_enum = if let ErrorIr::Enum(name) = &op.error {
        let name = ident(name);
        Some(emit_enum(
            ctx,
            &name,
            &format!(
                "The documented error responses of [`Client::{}`].",
                op.name.trim_start_matches("r#")
            ),
            &errors,
            super::non_exhaustive::ERROR_ENUMS,
        ))
    } else {
        None
    };
    let codes = if enveloped {
        TokenStream::new()
    } else {
        emit_error_codes(ctx, op, &errors)
    };
    quote!(#resp_enum #err_enum #codes)
}

/// The value of a required body field whose schema allows exactly one value
/// (an `action` discriminator, say): the method fills it in.
pub(super) fn single_value_enum(ctx: Ctx<'_>, f: &crate::ir::Field) -> Option<TokenStream> {
    let (t, v) = super::types::single_value(ctx, f)?;
    Some(quote!(types::#t::#v))
}

pub(super) fn location_word(p: &ParamIr) -> &'static str {
    match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}
