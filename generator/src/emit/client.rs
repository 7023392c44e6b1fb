//! The client: one `Client` per API, one method and request builder per operation.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::auth::{emit_token_exchange_ctors, emit_token_source};
use super::docs::{doc_attrs, lines_to_attrs, sanitize};
use super::polling::{emit_pagination, emit_waiter};
use super::responses::{
    emit_decode_fn, emit_enum, emit_error_codes, emit_send_stream, error_type, success_type,
};
use super::types::{displayable, ident, Ctx};
use crate::ir::{
    Api, AuthIr, BodyEncoding, OperationIr, ParamIr, ParamLocation, Prim, ResponseIr, TypeKind,
    TypeRef,
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
        let client = emit_client_struct(api);
        quote!(#client #error_codes)
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

/// The environment variables (`x-cloudgen-env`) of the first server's variables, quoted.
pub(super) fn server_env_vars(api: &Api) -> Vec<String> {
    api.servers
        .first()
        .map(|s| {
            s.variables
                .iter()
                .filter_map(|v| v.env.as_ref().map(|e| format!("`{e}`")))
                .collect()
        })
        .unwrap_or_default()
}

pub(super) fn default_base_url(api: &Api) -> String {
    match api.servers.first() {
        Some(s) => {
            let mut url = s.url.clone();
            for v in &s.variables {
                url = url.replace(&format!("{{{}}}", v.wire_name), &v.default);
            }
            url.trim_end_matches('/').to_string()
        }
        None => "http://localhost".to_string(),
    }
}

fn emit_client_struct(api: &Api) -> TokenStream {
    let base = default_base_url(api);
    let title = api.display_name();
    let version = &api.version;
    let client_doc = lines_to_attrs(&format!(
        "A client for the {title} (version {version}).\n\nCheap to clone: clones share one connection pool."
    ));
    let ua = format!("cloudapi/{}", "0.1.0");
    let mut ctors = Vec::new();
    for auth in &api.auth {
        match auth {
            AuthIr::Bearer {
                token_env,
                description,
                exchange,
            } => {
                if let Some(x) = exchange {
                    ctors.push(emit_token_exchange_ctors(x));
                }
                let desc = description.as_deref().map(sanitize).unwrap_or_default();
                let doc = lines_to_attrs(format!("A client at the default base URL authenticating with a bearer token.\n\n{desc}").trim_end());
                ctors.push(quote! {
                    #doc
                    pub fn with_bearer_token(token: impl ::std::convert::Into<rt::Secret>) -> ::std::result::Result<Self, rt::BuildError> {
                        Self::builder().bearer_token(token).build().map(Self::from_runtime)
                    }
                });
                if let Some(env) = token_env {
                    let vars = server_env_vars(api);
                    let doc = if vars.is_empty() {
                        format!(" A client at the default base URL with the bearer token read from `{env}`.")
                    } else {
                        format!(" A client with the bearer token read from `{env}`, at the server URL whose variables come from {} (each falling back to its default).", vars.join(", "))
                    };
                    let base = if vars.is_empty() {
                        quote!(Self::DEFAULT_BASE_URL)
                    } else {
                        quote!(Self::base_url_from_env())
                    };
                    ctors.push(quote! {
                        #[doc = #doc]
                        pub fn from_env() -> ::std::result::Result<Self, rt::BuildError> {
                            let token = ::std::env::var(#env).map_err(|_| rt::BuildError::missing_env(#env))?;
                            Self::builder().base_url(#base).bearer_token(token).build().map(Self::from_runtime)
                        }
                    });
                }
            }
            AuthIr::Basic { description } => {
                let desc = description.as_deref().map(sanitize).unwrap_or_default();
                let doc = lines_to_attrs(format!("A client at the default base URL authenticating with HTTP basic auth.\n\n{desc}").trim_end());
                ctors.push(quote! {
                    #doc
                    pub fn with_basic_auth(username: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<rt::Secret>) -> ::std::result::Result<Self, rt::BuildError> {
                        Self::builder().basic_auth(username, password).build().map(Self::from_runtime)
                    }
                });
            }
            AuthIr::ApiKeyHeader {
                header, token_env, ..
            } => {
                let doc = format!(" A client at the default base URL sending an API key in the `{header}` header.");
                let header_lc = header.to_ascii_lowercase();
                ctors.push(quote! {
                    #[doc = #doc]
                    pub fn with_api_key(key: impl ::std::convert::Into<rt::Secret>) -> ::std::result::Result<Self, rt::BuildError> {
                        let name = ::reqwest::header::HeaderName::from_static(#header_lc);
                        Self::builder().auth(rt::Auth::Header { name, value: key.into() }).build().map(Self::from_runtime)
                    }
                });
                if let Some(env) = token_env {
                    let doc = format!(
                        " A client at the default base URL with the API key read from `{env}`."
                    );
                    ctors.push(quote! {
                        #[doc = #doc]
                        pub fn from_env() -> ::std::result::Result<Self, rt::BuildError> {
                            let key = ::std::env::var(#env).map_err(|_| rt::BuildError::missing_env(#env))?;
                            Self::with_api_key(key)
                        }
                    });
                }
            }
        }
    }
    let server_fn = api
        .servers
        .first()
        .filter(|s| !s.variables.is_empty())
        .map(|s| {
            let url = s.url.trim_end_matches('/');
            let args: Vec<Ident> = s.variables.iter().map(|v| ident(&v.rust_name)).collect();
            let wires: Vec<String> = s
                .variables
                .iter()
                .map(|v| format!("{{{}}}", v.wire_name))
                .collect();
            let mut doc = String::from("The server URL with its variables filled in.\n");
            for v in &s.variables {
                doc.push_str(&format!(
                    "\n- `{}`: {} (default `{}`",
                    v.rust_name,
                    v.description
                        .as_deref()
                        .map(sanitize)
                        .unwrap_or_default()
                        .replace('\n', " "),
                    v.default
                ));
                if !v.allowed.is_empty() {
                    doc.push_str(&format!(
                        "; one of {}",
                        v.allowed
                            .iter()
                            .map(|a| format!("`{a}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                doc.push(')');
            }
            let doc = lines_to_attrs(&doc);
            let from_env = s.variables.iter().any(|v| v.env.is_some()).then(|| {
                let values = s.variables.iter().map(|v| {
                    let default = &v.default;
                    match &v.env {
                        Some(env) => quote!(&::std::env::var(#env).unwrap_or_else(|_| ::std::string::String::from(#default))),
                        None => quote!(#default),
                    }
                });
                let names = s.variables.iter().filter_map(|v| v.env.as_ref().map(|e| format!("`{e}`"))).collect::<Vec<_>>().join(", ");
                let doc = format!(" The server URL with its variables read from {names}, each falling back to its default.");
                quote! {
                    #[doc = #doc]
                    pub fn base_url_from_env() -> ::std::string::String {
                        Self::base_url_for(#(#values),*)
                    }
                }
            });
            quote! {
                #doc
                pub fn base_url_for(#( #args: &str ),*) -> ::std::string::String {
                    #url #( .replace(#wires, #args) )*
                }

                #from_env
            }
        });
    let reset_header = api.rate_limit.as_ref().map(|r| {
        let reset = &r.reset;
        quote!(.rate_limit_reset_header(#reset))
    });
    let rate_limit_fn = api.rate_limit.as_ref().map(|r| {
        let (limit, remaining, reset) = (&r.limit, &r.remaining, &r.reset);
        let doc = lines_to_attrs(&format!(
            "The rate-limit state a response reports in its `{limit}`, `{remaining}` and `{reset}`\nheaders; pass `response.headers()` from `send_with_response`."
        ));
        quote! {
            #doc
            pub fn rate_limit(headers: &::reqwest::header::HeaderMap) -> rt::RateLimit {
                rt::RateLimit::from_headers(headers, #limit, #remaining, #reset)
            }
        }
    });
    let test_mode_fn = api.test_mode.as_ref().map(|(q, v)| {
        let doc = lines_to_attrs(&format!(
            "A configuration like [`Client::builder`] whose requests all carry `{q}={v}`: the API's\ntest mode, which validates requests without carrying them out."
        ));
        quote! {
            #doc
            pub fn builder_test_mode() -> rt::ClientBuilder {
                Self::builder().default_query(#q, #v)
            }
        }
    });
    quote! {
        #client_doc
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: rt::Client,
        }

        impl Client {
            /// The base URL of the first server the API description lists.
            pub const DEFAULT_BASE_URL: &'static str = #base;

            /// A configuration at the default base URL, to set credentials, timeouts, retries and hooks.
            pub fn builder() -> rt::ClientBuilder {
                rt::Client::builder(Self::DEFAULT_BASE_URL).user_agent(#ua) #reset_header
            }

            #test_mode_fn

            /// Wraps a configured runtime client, for example one built from [`Client::builder`].
            pub fn from_runtime(inner: rt::Client) -> Self {
                Self { inner }
            }

            /// A client without credentials at `base_url`.
            pub fn new(base_url: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, rt::BuildError> {
                Self::builder().base_url(base_url).build().map(Self::from_runtime)
            }

            #(#ctors)*

            #server_fn
            #rate_limit_fn

            /// The runtime client underneath, with its configuration.
            pub fn runtime(&self) -> &rt::Client {
                &self.inner
            }
        }
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
            quote!(::base64::Engine::encode(&::base64::engine::general_purpose::STANDARD, #reference))
        }
        _ if displayable(ctx.api, t) => v,
        _ => quote!(::serde_json::to_string(#reference).unwrap_or_default()),
    }
}

fn emit_operation(ctx: Ctx<'_>, op: &OperationIr) -> TokenStream {
    let method_name = ident(&op.name);
    let builder = format_ident!("{}", op.builder_name());
    let decode_fn = format_ident!("decode_{}", op.name.trim_start_matches("r#"));
    let ok_ty = success_type(ctx, op);
    let err_ty = error_type(op);

    let required: Vec<&ParamIr> = op.params.iter().filter(|p| p.required).collect();
    let optional: Vec<&ParamIr> = op.params.iter().filter(|p| !p.required).collect();

    // Method arguments: required parameters, then a required body.
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut fields = Vec::new();
    let mut arg_docs = Vec::new();
    for p in &required {
        let name = ident(&p.rust_name);
        let ty = param_type(ctx, p);
        args.push(quote!(#name: impl ::std::convert::Into<#ty>));
        inits.push(quote!(#name: #name.into()));
        fields.push(quote!(#name: #ty));
        let d = p
            .doc
            .description
            .as_deref()
            .map(|d| sanitize(d).replace('\n', " "))
            .unwrap_or_default();
        arg_docs.push(
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
        inits.push(quote!(#name: None));
        fields.push(quote!(#name: ::std::option::Option<#ty>));
    }
    let body_ty = op.body.as_ref().map(|b| ctx.rust_type(&b.ty));
    let mut body_setter = None;
    let mut expanded_setters = Vec::new();
    let mut body_construct = None;
    if let Some((_, TypeRef::Named(id))) = op.body.as_ref().filter(|b| b.expand).map(|b| (b, &b.ty))
    {
        let mut scope = crate::naming::Scope::new();
        for reserved in ["client", "options", "body", "path", "request"] {
            scope.reserve(reserved);
        }
        for p in &op.params {
            scope.reserve(&p.rust_name);
        }
        let def = &ctx.api.types[id.0];
        let struct_name = ident(&def.name);
        let mut field_inits = Vec::new();
        if let TypeKind::Struct {
            fields: body_fields,
            additional,
        } = &def.kind
        {
            for f in body_fields {
                let fname = ident(&f.rust_name);
                if let Some(constant) = single_value_enum(ctx, f) {
                    field_inits.push(quote!(#fname: #constant));
                    continue;
                }
                let pname_str = scope.unique(f.rust_name.trim_start_matches("r#"));
                let pname = ident(&pname_str);
                let ty = ctx.rust_type(&f.ty);
                let optional = !f.required || f.nullable;
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
                    fields.push(quote!(#pname: #full));
                    inits.push(quote!(#pname: ::std::default::Default::default()));
                    let d = doc_attrs(
                        &f.doc,
                        &format!("Sets `{}` in the request body (a value, or `None` for an explicit `null`).", f.wire_name),
                    );
                    expanded_setters.push(quote! {
                        #d
                        pub fn #pname(mut self, value: impl ::std::convert::Into<#full>) -> Self {
                            self.#pname = value.into();
                            self
                        }
                    });
                    field_inits.push(quote!(#fname: self.#pname));
                } else if optional {
                    fields.push(quote!(#pname: ::std::option::Option<#ty>));
                    inits.push(quote!(#pname: None));
                    let d = doc_attrs(
                        &f.doc,
                        &format!("Sets `{}` in the request body.", f.wire_name),
                    );
                    expanded_setters.push(quote! {
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
                    args.push(quote!(#pname: impl ::std::convert::Into<#ty>));
                    inits.push(quote!(#pname: #pname.into()));
                    fields.push(quote!(#pname: #ty));
                    let d = f
                        .doc
                        .description
                        .as_deref()
                        .or(f.doc.summary.as_deref())
                        .map(|d| sanitize(d).replace('\n', " "))
                        .unwrap_or_default();
                    arg_docs.push(
                        format!("- `{pname_str}`: body field `{}`. {d}", f.wire_name)
                            .trim_end()
                            .to_string(),
                    );
                    let v = wrap(quote!(self.#pname));
                    field_inits.push(quote!(#fname: #v));
                }
            }
            if additional.is_some() {
                let mut extra = "additional_properties".to_string();
                while body_fields.iter().any(|f| f.rust_name == extra) {
                    extra.push('_');
                }
                let extra = ident(&extra);
                field_inits.push(quote!(#extra: ::std::default::Default::default()));
            }
        }
        body_construct = Some(quote! {
            let body = types::#struct_name { #(#field_inits,)* };
        });
    } else if let (Some(b), Some(ty)) = (&op.body, &body_ty) {
        if b.required {
            args.push(quote!(body: impl ::std::convert::Into<#ty>));
            inits.push(quote!(body: body.into()));
            fields.push(quote!(body: #ty));
            arg_docs.push(format!(
                "- `body`: {}",
                b.doc
                    .description
                    .as_deref()
                    .map(|d| sanitize(d).replace('\n', " "))
                    .unwrap_or_else(|| "the request body".into())
            ));
        } else {
            inits.push(quote!(body: None));
            fields.push(quote!(body: ::std::option::Option<#ty>));
            let d = lines_to_attrs(
                &b.doc
                    .description
                    .as_deref()
                    .map(sanitize)
                    .unwrap_or_else(|| "Sets the request body.".into()),
            );
            body_setter = Some(quote! {
                #d
                pub fn body(mut self, body: impl ::std::convert::Into<#ty>) -> Self {
                    self.body = Some(body.into());
                    self
                }
            });
        }
    }

    let setters = optional.iter().map(|p| {
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
    });

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
            let v = display_expr(ctx, &p.ty, quote!(self.#name), false);
            fmt_args.push(quote!(rt::encode_path_segment(&#v.to_string())));
        } else {
            fmt_args.push(quote!(""));
        }
        rest = &rest[start + len + 1..];
    }
    fmt.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    let path_expr = if fmt_args.is_empty() {
        let p = &op.path;
        quote!(::std::string::String::from(#p))
    } else {
        quote!(format!(#fmt, #(#fmt_args),*))
    };

    let mut steps = Vec::new();
    for p in op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
    {
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

    let method = format_ident!("{}", op.method);
    let path_template = &op.path;
    let op_name = op.name.trim_start_matches("r#");
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
    if !arg_docs.is_empty() {
        method_doc_text.push_str("\n\nArguments:\n");
        method_doc_text.push_str(&arg_docs.join("\n"));
    }
    let extra_doc = lines_to_attrs(&method_doc_text);

    let successes: Vec<&ResponseIr> = op.responses.iter().filter(|r| r.success).collect();
    let errors: Vec<&ResponseIr> = op.responses.iter().filter(|r| !r.success).collect();
    let enveloped = op.envelope.is_some();
    let resp_enum = if successes.len() > 1 && !enveloped {
        let name = format_ident!("{}Response", op.type_stem);
        Some(emit_enum(
            ctx,
            &name,
            &format!(
                "The successful responses of [`Client::{}`].",
                op.name.trim_start_matches("r#")
            ),
            &successes,
        ))
    } else {
        None
    };
    let err_enum = if !errors.is_empty() && !enveloped {
        let name = format_ident!("{}Error", op.type_stem);
        Some(emit_enum(
            ctx,
            &name,
            &format!(
                "The documented error responses of [`Client::{}`].",
                op.name.trim_start_matches("r#")
            ),
            &errors,
        ))
    } else {
        None
    };
    let paging = emit_pagination(ctx, op, &builder, &decode_fn, &err_ty);
    let codes = if enveloped {
        TokenStream::new()
    } else {
        emit_error_codes(ctx, op, &errors)
    };
    let decode = emit_decode_fn(ctx, op, &decode_fn, &ok_ty, &err_ty);
    let send_stream = emit_send_stream(op, &decode_fn, &err_ty);
    let builder_doc = format!(
        " The request of [`Client::{}`]: set optional inputs, then `.send().await`.",
        op.name.trim_start_matches("r#")
    );
    let too_many = if args.len() > 6 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };

    quote! {
        impl Client {
            #summary_doc
            #extra_doc
            #too_many
            pub fn #method_name(&self, #(#args),*) -> #builder<'_> {
                #builder {
                    client: self,
                    #(#inits,)*
                    options: rt::RequestOptions::new(),
                }
            }
        }

        #[doc = #builder_doc]
        #[derive(Clone)]
        #[must_use = "a request does nothing until `.send().await`"]
        pub struct #builder<'a> {
            client: &'a Client,
            #(#fields,)*
            options: rt::RequestOptions,
        }

        impl #builder<'_> {
            #(#setters)*
            #(#expanded_setters)*
            #body_setter

            /// Adds a header to this request only.
            pub fn header(mut self, name: ::reqwest::header::HeaderName, value: ::reqwest::header::HeaderValue) -> Self {
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
                let client = self.client;
                client.inner.execute(self.into_request(), #decode_fn).await
            }

            #send_stream

            /// Sends the request and returns the status, headers and body as they came, for
            /// any status: the way around a response that the types cannot read.
            pub async fn send_raw(self) -> ::std::result::Result<rt::Response<::std::vec::Vec<u8>>, rt::Error<::std::convert::Infallible>> {
                let client = self.client;
                client.inner.execute(self.into_request(), rt::decode_raw).await
            }

            fn into_request(self) -> rt::Request {
                let path = #path_expr;
                #body_construct
                let request = rt::Request::new(::reqwest::Method::#method, #path_template, path).operation(#op_name) #error_fields;
                #(#steps)*
                request.options(self.options)
            }
        }

        #paging

        #resp_enum
        #err_enum
        #codes
        #decode
    }
}

/// The value of a required body field whose schema allows exactly one value
/// (an `action` discriminator, say): the method fills it in.
pub(super) fn single_value_enum(ctx: Ctx<'_>, f: &crate::ir::Field) -> Option<TokenStream> {
    if !f.required || f.nullable {
        return None;
    }
    let TypeRef::Named(id) = &f.ty else {
        return None;
    };
    let def = &ctx.api.types[id.0];
    match &def.kind {
        TypeKind::StringEnum { variants } if variants.len() == 1 => {
            let t = ident(&def.name);
            let v = ident(&variants[0].rust_name);
            Some(quote!(types::#t::#v))
        }
        _ => None,
    }
}

pub(super) fn location_word(p: &ParamIr) -> &'static str {
    match p.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
    }
}
