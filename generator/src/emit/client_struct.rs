//! The `Client` struct of an API: its constructors (credentials, environment, base URL),
//! server URL helpers, rate-limit and test-mode helpers.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::auth::emit_token_exchange_ctors;
use super::docs::{lines_to_attrs, sanitize};
use super::types::ident;
use crate::ir::{Api, AuthIr, ServerIr};

/// The base URL of the first server with its variables at their defaults.
fn default_base_url(api: &Api) -> String {
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

/// Whether `from_env` reads the base URL (or some of it) from the environment: the first
/// server has `x-cloudgen-url-env` or a variable with `x-cloudgen-env`.
fn reads_base_url_from_env(api: &Api) -> bool {
    api.servers
        .first()
        .is_some_and(|s| s.url_env.is_some() || s.variables.iter().any(|v| v.env.is_some()))
}

/// The sentence of a `from_env` doc comment that says where the base URL comes from.
fn base_url_env_doc(api: &Api) -> String {
    let Some(server) = api.servers.first() else {
        return "The base URL is the default one.".to_owned();
    };
    let vars: Vec<String> = server
        .variables
        .iter()
        .filter_map(|v| v.env.as_ref().map(|e| format!("`{e}`")))
        .collect();
    let from_vars = if vars.is_empty() {
        "the default base URL".to_owned()
    } else {
        format!(
            "the server URL whose variables come from {} (each falling back to its default)",
            vars.join(", ")
        )
    };
    match &server.url_env {
        Some(env) => format!(
            "The base URL is `{env}` when that is set (a whole URL, e.g. of a mock server), \
             otherwise {from_vars}."
        ),
        None => format!("The base URL is {from_vars}."),
    }
}

/// The expression of the base URL `from_env` uses.
fn from_env_base(api: &Api) -> TokenStream {
    if reads_base_url_from_env(api) {
        quote!(Self::base_url_from_env())
    } else {
        quote!(Self::DEFAULT_BASE_URL)
    }
}

/// Constructors for one authentication scheme.
fn emit_auth_ctors(api: &Api, auth: &AuthIr) -> TokenStream {
    let base = from_env_base(api);
    let base_doc = base_url_env_doc(api);
    match auth {
        AuthIr::Bearer {
            token_env,
            description,
            exchange,
        } => {
            let exchange = exchange.as_ref().map(emit_token_exchange_ctors);
            let desc = description.as_deref().map(sanitize).unwrap_or_default();
            let doc = lines_to_attrs(format!("A client at the default base URL authenticating with a bearer token.\n\n{desc}").trim_end());
            let from_env = token_env.as_ref().map(|env| {
                let doc = lines_to_attrs(&format!(
                    "A client with the bearer token read from `{env}`.\n\n{base_doc}\n\nA missing token is a [`rt::BuildError`] naming the variable."
                ));
                quote! {
                    #doc
                    pub fn from_env() -> ::std::result::Result<Self, rt::BuildError> {
                        let token = ::std::env::var(#env).map_err(|_| rt::BuildError::missing_env(#env))?;
                        Self::builder().base_url(#base).bearer_token(token).build().map(Self::from_runtime)
                    }
                }
            });
            quote! {
                #exchange

                #doc
                pub fn with_bearer_token(token: impl ::std::convert::Into<rt::Secret>) -> ::std::result::Result<Self, rt::BuildError> {
                    Self::builder().bearer_token(token).build().map(Self::from_runtime)
                }

                #from_env
            }
        }
        AuthIr::Basic { description } => {
            let desc = description.as_deref().map(sanitize).unwrap_or_default();
            let doc = lines_to_attrs(format!("A client at the default base URL authenticating with HTTP basic auth.\n\n{desc}").trim_end());
            quote! {
                #doc
                pub fn with_basic_auth(username: impl ::std::convert::Into<::std::string::String>, password: impl ::std::convert::Into<rt::Secret>) -> ::std::result::Result<Self, rt::BuildError> {
                    Self::builder().basic_auth(username, password).build().map(Self::from_runtime)
                }
            }
        }
        AuthIr::ApiKeyHeader {
            header, token_env, ..
        } => {
            let doc = format!(
                " A client at the default base URL sending an API key in the `{header}` header."
            );
            let header_lc = header.to_ascii_lowercase();
            let from_env = token_env.as_ref().map(|env| {
                let doc = lines_to_attrs(&format!(
                    "A client with the API key read from `{env}`.\n\n{base_doc}\n\nA missing key is a [`rt::BuildError`] naming the variable."
                ));
                quote! {
                    #doc
                    pub fn from_env() -> ::std::result::Result<Self, rt::BuildError> {
                        let key = ::std::env::var(#env).map_err(|_| rt::BuildError::missing_env(#env))?;
                        let name = rt::reqwest::header::HeaderName::from_static(#header_lc);
                        Self::builder().base_url(#base).auth(rt::Auth::Header { name, value: key.into() }).build().map(Self::from_runtime)
                    }
                }
            });
            quote! {
                #[doc = #doc]
                pub fn with_api_key(key: impl ::std::convert::Into<rt::Secret>) -> ::std::result::Result<Self, rt::BuildError> {
                    let name = rt::reqwest::header::HeaderName::from_static(#header_lc);
                    Self::builder().auth(rt::Auth::Header { name, value: key.into() }).build().map(Self::from_runtime)
                }

                #from_env
            }
        }
    }
}

/// The doc comment of `base_url_for`, listing each variable.
fn server_variables_doc(server: &ServerIr) -> TokenStream {
    let mut doc = String::from("The server URL with its variables filled in.\n");
    for v in &server.variables {
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
            let allowed: Vec<String> = v.allowed.iter().map(|a| format!("`{a}`")).collect();
            doc.push_str(&format!("; one of {}", allowed.join(", ")));
        }
        doc.push(')');
    }
    lines_to_attrs(&doc)
}

/// `base_url_for(variables...)` when the first server has variables, and
/// `base_url_from_env()` when `from_env` reads the base URL from the environment.
fn emit_server_fns(api: &Api) -> Option<TokenStream> {
    let server = api.servers.first()?;
    let url = server.url.trim_end_matches('/');
    let base_url_for = (!server.variables.is_empty()).then(|| {
        let args: Vec<Ident> = server
            .variables
            .iter()
            .map(|v| ident(&v.rust_name))
            .collect();
        let wires: Vec<String> = server
            .variables
            .iter()
            .map(|v| format!("{{{}}}", v.wire_name))
            .collect();
        let doc = server_variables_doc(server);
        quote! {
            #doc
            pub fn base_url_for(#( #args: &str ),*) -> ::std::string::String {
                #url #( .replace(#wires, #args) )*
            }
        }
    });
    let from_env = reads_base_url_from_env(api).then(|| {
        let from_vars = if server.variables.is_empty() {
            quote!(::std::string::String::from(Self::DEFAULT_BASE_URL))
        } else {
            let values = server.variables.iter().map(|v| {
                let default = &v.default;
                match &v.env {
                    Some(env) => quote!(&::std::env::var(#env).unwrap_or_else(|_| ::std::string::String::from(#default))),
                    None => quote!(#default),
                }
            });
            quote!(Self::base_url_for(#(#values),*))
        };
        let body = match &server.url_env {
            Some(env) => quote! {
                match ::std::env::var(#env) {
                    ::std::result::Result::Ok(url) if !url.trim().is_empty() => url,
                    _ => #from_vars,
                }
            },
            None => from_vars,
        };
        let doc = lines_to_attrs(&format!(
            "The base URL [`Client::from_env`] uses.\n\n{}",
            base_url_env_doc(api)
        ));
        quote! {
            #doc
            pub fn base_url_from_env() -> ::std::string::String {
                #body
            }
        }
    });
    Some(quote!(#base_url_for #from_env))
}

/// `rate_limit(headers)` and `builder_test_mode()` where the API has them.
fn emit_rate_limit_and_test_mode(api: &Api) -> TokenStream {
    let rate_limit_fn = api.rate_limit.as_ref().map(|r| {
        let (limit, remaining, reset) = (&r.limit, &r.remaining, &r.reset);
        let doc = lines_to_attrs(&format!(
            "The rate-limit state a response reports in its `{limit}`, `{remaining}` and `{reset}`\nheaders; pass `response.headers()` from `send_with_response`."
        ));
        quote! {
            #doc
            pub fn rate_limit(headers: &rt::reqwest::header::HeaderMap) -> rt::RateLimit {
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
    quote!(#rate_limit_fn #test_mode_fn)
}

/// The constructor of a client without credentials: `new` for an API that declares no
/// authentication, `unauthenticated` (with `new` kept, deprecated) for one that does, so that
/// the name says what the client lacks.
fn emit_unauthenticated_ctor(api: &Api) -> TokenStream {
    let body = quote! {
        Self::builder().base_url(base_url).build().map(Self::from_runtime)
    };
    if api.auth.is_empty() {
        return quote! {
            /// A client at `base_url` (the API needs no credentials).
            pub fn new(base_url: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, rt::BuildError> {
                #body
            }
        };
    }
    quote! {
        /// A client at `base_url` that sends no credentials: only for operations that need none,
        /// or a server (a mock) that checks none. Every other request is refused with `401`.
        pub fn unauthenticated(base_url: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, rt::BuildError> {
            #body
        }

        /// A client at `base_url` that sends no credentials.
        #[deprecated(note = "the name hides that the client sends no credentials: use `Client::unauthenticated`, `Client::from_env` or `Client::builder`")]
        pub fn new(base_url: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, rt::BuildError> {
            Self::unauthenticated(base_url)
        }
    }
}

/// The `Client` struct and its inherent constructors.
pub(super) fn emit_client_struct(api: &Api) -> TokenStream {
    let base = default_base_url(api);
    let title = api.display_name();
    let version = &api.version;
    let client_doc = lines_to_attrs(&format!(
        "A client for the {title} (version {version}).\n\nCheap to clone: clones share one connection pool."
    ));
    // `<crate using the client>/<its version> cloudgen/<version>`: `env!` expands in the crate
    // the code is compiled in. `ClientBuilder::user_agent` overrides it.
    let generator = concat!(" cloudgen/", env!("CARGO_PKG_VERSION"));
    let ua = quote!(::std::concat!(
        ::std::env!("CARGO_PKG_NAME"),
        "/",
        ::std::env!("CARGO_PKG_VERSION"),
        #generator
    ));
    let ctors = api.auth.iter().map(|auth| emit_auth_ctors(api, auth));
    let unauthenticated = emit_unauthenticated_ctor(api);
    let server_fns = emit_server_fns(api);
    let reset_header = api.rate_limit.as_ref().map(|r| {
        let reset = &r.reset;
        quote!(.rate_limit_reset_header(#reset))
    });
    let rate_limit_and_test_mode = emit_rate_limit_and_test_mode(api);
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

            /// Wraps a configured runtime client, for example one built from [`Client::builder`].
            pub fn from_runtime(inner: rt::Client) -> Self {
                Self { inner }
            }

            /// The same client (credentials, timeouts, retries, connection pool) at another base
            /// URL, such as a mock server or a proxy.
            pub fn with_base_url(&self, base_url: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, rt::BuildError> {
                self.inner.with_base_url(base_url).map(Self::from_runtime)
            }

            #unauthenticated

            #(#ctors)*

            #server_fns

            #rate_limit_and_test_mode

            /// The runtime client underneath, with its configuration.
            pub fn runtime(&self) -> &rt::Client {
                &self.inner
            }
        }
    }
}
