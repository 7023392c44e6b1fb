//! Authentication that the spec describes beyond plain schemes: a token source
//! signing its token requests (`x-cloudgen-token-exchange`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::lines_to_attrs;
use super::types::{ident, Ctx};
use crate::ir::{Prim, TypeKind, TypeRef};

/// Constructors for a client that obtains its own tokens by a signed exchange.
pub(super) fn emit_token_exchange_ctors(x: &crate::ir::TokenExchangeIr) -> TokenStream {
    let demo = x.demo_token.as_ref().map(|t| {
        quote! {
            /// The demo token the API documents: it gives access to a demo account.
            pub const DEMO_TOKEN: &'static str = #t;

            /// A client at the default base URL using [`Client::DEMO_TOKEN`].
            pub fn demo() -> ::std::result::Result<Self, rt::BuildError> {
                Self::with_bearer_token(Self::DEMO_TOKEN)
            }
        }
    });
    quote! {
        /// A client at the default base URL that obtains access tokens with `source` (a
        /// [`SignedTokenSource`], or one kept in files with
        /// [`SignedTokenSource::with_file_cache`]) and renews them before they expire.
        pub fn with_token_source(source: impl rt::TokenSource) -> ::std::result::Result<Self, rt::BuildError> {
            Self::builder().token_source(source).build().map(Self::from_runtime)
        }

        #demo
    }
}

/// A field of the token request body, as far as the token source fills it in.
struct BodyField {
    name: proc_macro2::Ident,
    /// Whether the Rust field is an `Option`.
    optional: bool,
    /// Whether it holds a plain string.
    string: bool,
}

impl BodyField {
    /// `request.<field> = <value>;`, wrapped in `Some` for an optional field.
    fn set(&self, value: TokenStream) -> TokenStream {
        let name = &self.name;
        if self.optional {
            quote!(request.#name = Some(#value);)
        } else {
            quote!(request.#name = #value;)
        }
    }

    /// The field's current non-empty value, taken out of `request`, as an `Option<String>`.
    fn take(&self) -> TokenStream {
        let name = &self.name;
        if self.optional {
            quote!(request.#name.take().filter(|v| !v.is_empty()))
        } else {
            quote!(Some(::std::mem::take(&mut request.#name)).filter(|v| !v.is_empty()))
        }
    }
}

/// `x-cloudgen-token-exchange` with `rsa-sha512`: a token source that signs the
/// token request body with an RSA private key.
pub(super) fn emit_token_source(
    ctx: Ctx<'_>,
    x: &crate::ir::TokenExchangeIr,
) -> Option<TokenStream> {
    let op = ctx.api.operations.iter().find(|o| o.name == x.operation)?;
    let body = op.body.as_ref()?;
    let TypeRef::Named(body_id) = &body.ty else {
        return None;
    };
    let TypeKind::Struct { fields, .. } = &ctx.api.types[body_id.0].kind else {
        return None;
    };
    let body_ty = ctx.rust_type(&body.ty);
    let field = |wire: &Option<String>| -> Option<BodyField> {
        let f = fields
            .iter()
            .find(|f| Some(&f.wire_name) == wire.as_ref())?;
        let string = |t: &TypeRef| matches!(t, TypeRef::Prim(Prim::String));
        Some(BodyField {
            name: ident(&f.rust_name),
            optional: f.full_type().is_optional(),
            string: match &f.ty {
                TypeRef::Option(inner) => string(inner),
                other => string(other),
            },
        })
    };
    let nonce = field(&x.nonce_field);
    let set_nonce = nonce
        .as_ref()
        .map(|f| f.set(quote!(os_random_hex(16)?)))
        .unwrap_or_default();
    let (before, after) = x
        .lifetime_format
        .split_once("{seconds}")
        .unwrap_or((x.lifetime_format.as_str(), ""));
    let lifetime = field(&x.lifetime_field);
    let set_lifetime = lifetime
        .as_ref()
        .map(|f| {
            f.set(quote!(
                format!("{}{}{}", #before, self.lifetime.as_secs(), #after)
            ))
        })
        .unwrap_or_default();
    // A label the API keeps per token gets a suffix that no other request has: the time and
    // random digits, so that renewals and parallel processes never reuse one.
    let set_label = field(&x.label_field)
        .filter(|f| f.string)
        .map(|f| {
            let take = f.take();
            let set = f.set(quote!(format!("{prefix}-{seconds}-{random}")));
            quote! {
                let prefix = #take.unwrap_or_else(|| env!("CARGO_PKG_NAME").to_owned());
                let seconds = ::std::time::SystemTime::now()
                    .duration_since(::std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                let random = os_random_hex(4)?;
                #set
            }
        })
        .unwrap_or_default();
    let method = format_ident!("{}", op.method);
    let path = &op.path;
    let header = &x.signature_header;
    let helpers = emit_token_helpers(&body_ty, x);
    let op_name = op.name.trim_start_matches("r#");
    let label_doc = x
        .label_field
        .as_ref()
        .map(|l| format!(" The `{l}` gets a unique suffix on every request (its value, or the crate name, then\nthe time and random digits)."))
        .unwrap_or_default();
    let doc = lines_to_attrs(&format!(
        "Obtains access tokens the way [`Client::{op_name}`] documents: the request body is signed\nwith an RSA private key (RSASSA-PKCS1-v1_5 with SHA-512) and the base64 signature sent in\nthe `{header}` header. Give it to [`Client::with_token_source`]; the client caches each token\nand renews it before it expires (by the token's own `exp` claim when it is a JSON Web Token).\n\nEach request gets a fresh nonce from the operating system's random number generator.{label_doc}\nThe key never appears in `Debug` output.\n\nTo share tokens between processes, keep them in files with\n[`SignedTokenSource::with_file_cache`]; the files are keyed by the public key's fingerprint\nand the request (login and options)."
    ));
    Some(quote! {
        #doc
        #[derive(Clone)]
        pub struct SignedTokenSource {
            request: #body_ty,
            key: rt::rsa::pkcs1v15::SigningKey<rt::sha2::Sha512>,
            lifetime: ::std::time::Duration,
            cache_key: ::std::string::String,
        }

        impl ::std::fmt::Debug for SignedTokenSource {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("SignedTokenSource")
                    .field("key", &"<redacted>")
                    .field("lifetime", &self.lifetime)
                    .field("cache_key", &self.cache_key)
                    .finish_non_exhaustive()
            }
        }

        impl SignedTokenSource {
            /// `request` is the token request to sign (a fresh nonce and the lifetime are filled
            /// in on every fetch); `private_key_pem` is an RSA private key in PKCS#8 or PKCS#1 PEM.
            pub fn new(request: #body_ty, private_key_pem: &str, lifetime: ::std::time::Duration) -> ::std::result::Result<Self, rt::BuildError> {
                use rt::rsa::pkcs1::DecodeRsaPrivateKey as _;
                let key = {
                    use rt::rsa::pkcs8::DecodePrivateKey as _;
                    rt::rsa::RsaPrivateKey::from_pkcs8_pem(private_key_pem)
                }
                .or_else(|_| rt::rsa::RsaPrivateKey::from_pkcs1_pem(private_key_pem))
                .map_err(|_| rt::BuildError::other("the private key is not an RSA key in PKCS#8 or PKCS#1 PEM form"))?;
                let cache_key = token_cache_key(&request, &key)?;
                Ok(Self { request, key: rt::rsa::pkcs1v15::SigningKey::new(key), lifetime, cache_key })
            }

            /// The base64 signature of `body` the API expects in the signature header.
            pub fn sign(&self, body: &[u8]) -> ::std::string::String {
                use rt::rsa::signature::{SignatureEncoding as _, Signer as _};
                rt::base64::Engine::encode(&rt::base64::engine::general_purpose::STANDARD, self.key.sign(body).to_bytes())
            }

            /// This source with its tokens kept in private files under `dir`, shared by every
            /// process using the same key and request (see `runtime::token::FileTokenCache`).
            pub fn with_file_cache(self, dir: impl ::std::convert::Into<::std::path::PathBuf>) -> rt::token::FileTokenCache<Self> {
                rt::token::FileTokenCache::new(self, dir)
            }
        }

        impl rt::TokenSource for SignedTokenSource {
            fn fetch<'a>(&'a self, http: &'a rt::Client) -> rt::BoxFuture<'a, ::std::result::Result<(rt::Secret, ::std::time::Duration), rt::Error<::std::convert::Infallible>>> {
                Box::pin(async move {
                    let mut request = self.request.clone();
                    #set_nonce
                    #set_lifetime
                    #set_label
                    // Serializing a derived struct into memory cannot fail: its keys are strings.
                    let body = rt::serde_json::to_vec(&request).unwrap_or_default();
                    let signature = self.sign(&body);
                    let request = rt::Request::new(rt::reqwest::Method::#method, #path, ::std::string::String::from(#path))
                        .bytes(body, "application/json")
                        .header(#header, signature)
                        .no_auth();
                    let token = http.execute(request, decode_signed_token).await?.into_inner();
                    Ok((rt::Secret::new(token), self.lifetime))
                })
            }

            fn cache_key(&self) -> ::std::option::Option<::std::string::String> {
                Some(self.cache_key.clone())
            }
        }

        #helpers
    })
}

/// The private functions a `SignedTokenSource` uses: the cache key of its tokens, random hex
/// digits and the token response's decoder.
fn emit_token_helpers(body_ty: &TokenStream, x: &crate::ir::TokenExchangeIr) -> TokenStream {
    let token_pointer = &x.token_pointer;
    // The fields filled in per request say nothing about whose token it is.
    let per_request: Vec<&String> = [&x.nonce_field, &x.lifetime_field]
        .into_iter()
        .flatten()
        .collect();
    let template_mut = (!per_request.is_empty()).then(|| quote!(mut));
    let drop_per_request = (!per_request.is_empty()).then(|| {
        quote! {
            if let Some(fields) = template.as_object_mut() {
                #( fields.remove(#per_request); )*
            }
        }
    });
    quote! {
        /// Names whose tokens a [`SignedTokenSource`] fetches: a SHA-256 over the public key and
        /// the request without its per-request fields, so neither the key nor the login shows.
        fn token_cache_key(request: &#body_ty, key: &rt::rsa::RsaPrivateKey) -> ::std::result::Result<::std::string::String, rt::BuildError> {
            use rt::rsa::pkcs1::EncodeRsaPublicKey as _;
            use rt::sha2::Digest as _;
            let public = key
                .to_public_key()
                .to_pkcs1_der()
                .map_err(|_| rt::BuildError::other("the public half of the private key cannot be encoded"))?;
            let #template_mut template = rt::serde_json::to_value(request)
                .map_err(|_| rt::BuildError::other("the token request cannot be written as JSON"))?;
            #drop_per_request
            let mut hash = rt::sha2::Sha256::new();
            hash.update(b"cloudgen token cache\0");
            hash.update(public.as_bytes());
            hash.update(b"\0");
            hash.update(template.to_string().as_bytes());
            Ok(hash.finalize().iter().map(|b| format!("{b:02x}")).collect())
        }

        /// `bytes` random bytes from the operating system, as lower-case hex.
        // The error is the one `TokenSource::fetch` returns, which is the runtime's (large) type.
        #[allow(clippy::result_large_err)]
        fn os_random_hex(bytes: usize) -> ::std::result::Result<::std::string::String, rt::Error<::std::convert::Infallible>> {
            use rt::rsa::rand_core::RngCore as _;
            let mut random = vec![0u8; bytes];
            rt::rsa::rand_core::OsRng
                .try_fill_bytes(&mut random)
                .map_err(|_| rt::token::token_request_failed("the operating system's random number generator failed"))?;
            Ok(random.iter().map(|b| format!("{b:02x}")).collect())
        }

        fn decode_signed_token(
            status: rt::reqwest::StatusCode,
            _headers: &rt::reqwest::header::HeaderMap,
            body: &[u8],
        ) -> ::std::result::Result<rt::Decoded<::std::string::String, ::std::convert::Infallible>, rt::DecodeError> {
            if status.is_success() {
                Ok(rt::Decoded::Ok(rt::decode_json_pointer(body, #token_pointer)?))
            } else {
                Ok(rt::Decoded::Unexpected)
            }
        }
    }
}
