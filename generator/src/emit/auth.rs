//! Authentication that the spec describes beyond plain schemes: a token source
//! signing its token requests (`x-cloudgen-token-exchange`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::lines_to_attrs;
use super::types::{ident, Ctx};
use crate::ir::{TypeKind, TypeRef};

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
        /// A client at the default base URL that obtains access tokens with `source` and
        /// renews them before they expire.
        pub fn with_token_source(source: SignedTokenSource) -> ::std::result::Result<Self, rt::BuildError> {
            Self::builder().token_source(source).build().map(Self::from_runtime)
        }

        #demo
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
    let set_field = |wire: &Option<String>, value: TokenStream| -> TokenStream {
        let Some(wire) = wire else {
            return TokenStream::new();
        };
        let Some(f) = fields.iter().find(|f| &f.wire_name == wire) else {
            return TokenStream::new();
        };
        let name = ident(&f.rust_name);
        if !f.required || f.nullable {
            quote!(request.#name = Some(#value);)
        } else {
            quote!(request.#name = #value;)
        }
    };
    let set_nonce = set_field(
        &x.nonce_field,
        quote!((0..32)
            .map(|_| ::fastrand::alphanumeric())
            .collect::<::std::string::String>()),
    );
    let (before, after) = x
        .lifetime_format
        .split_once("{seconds}")
        .unwrap_or((x.lifetime_format.as_str(), ""));
    let set_lifetime = set_field(
        &x.lifetime_field,
        quote!(format!("{}{}{}", #before, self.lifetime.as_secs(), #after)),
    );
    let method = format_ident!("{}", op.method);
    let path = &op.path;
    let header = &x.signature_header;
    let token_pointer = &x.token_pointer;
    let op_name = op.name.trim_start_matches("r#");
    let doc = lines_to_attrs(&format!(
        "Obtains access tokens the way [`Client::{op_name}`] documents: the request body is signed\nwith an RSA private key (RSASSA-PKCS1-v1_5 with SHA-512) and the base64 signature sent in\nthe `{header}` header. Give it to [`Client::with_token_source`]; the client caches each token\nand renews it before it expires. The key never appears in `Debug` output."
    ));
    Some(quote! {
        #doc
        #[derive(Clone)]
        pub struct SignedTokenSource {
            request: #body_ty,
            key: ::rsa::pkcs1v15::SigningKey<::sha2::Sha512>,
            lifetime: ::std::time::Duration,
        }

        impl ::std::fmt::Debug for SignedTokenSource {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("SignedTokenSource").field("key", &"<redacted>").field("lifetime", &self.lifetime).finish_non_exhaustive()
            }
        }

        impl SignedTokenSource {
            /// `request` is the token request to sign (a fresh nonce and the lifetime are filled
            /// in on every fetch); `private_key_pem` is an RSA private key in PKCS#8 or PKCS#1 PEM.
            pub fn new(request: #body_ty, private_key_pem: &str, lifetime: ::std::time::Duration) -> ::std::result::Result<Self, rt::BuildError> {
                use ::rsa::pkcs1::DecodeRsaPrivateKey as _;
                use ::rsa::pkcs8::DecodePrivateKey as _;
                let key = ::rsa::RsaPrivateKey::from_pkcs8_pem(private_key_pem)
                    .or_else(|_| ::rsa::RsaPrivateKey::from_pkcs1_pem(private_key_pem))
                    .map_err(|_| rt::BuildError::other("the private key is not an RSA key in PKCS#8 or PKCS#1 PEM form"))?;
                Ok(Self { request, key: ::rsa::pkcs1v15::SigningKey::new(key), lifetime })
            }

            /// The base64 signature of `body` the API expects in the signature header.
            pub fn sign(&self, body: &[u8]) -> ::std::string::String {
                use ::rsa::signature::{SignatureEncoding as _, Signer as _};
                ::base64::Engine::encode(&::base64::engine::general_purpose::STANDARD, self.key.sign(body).to_bytes())
            }
        }

        impl rt::TokenSource for SignedTokenSource {
            fn fetch<'a>(&'a self, http: &'a rt::Client) -> rt::BoxFuture<'a, ::std::result::Result<(rt::Secret, ::std::time::Duration), rt::Error<::std::convert::Infallible>>> {
                Box::pin(async move {
                    let mut request = self.request.clone();
                    #set_nonce
                    #set_lifetime
                    // Serializing a derived struct into memory cannot fail: its keys are strings.
                    let body = ::serde_json::to_vec(&request).unwrap_or_default();
                    let signature = self.sign(&body);
                    let request = rt::Request::new(::reqwest::Method::#method, #path, ::std::string::String::from(#path))
                        .bytes(body, "application/json")
                        .header(#header, signature)
                        .no_auth();
                    let token = http.execute(request, decode_signed_token).await?.into_inner();
                    Ok((rt::Secret::new(token), self.lifetime))
                })
            }
        }

        fn decode_signed_token(
            status: ::reqwest::StatusCode,
            _headers: &::reqwest::header::HeaderMap,
            body: &[u8],
        ) -> ::std::result::Result<rt::Decoded<::std::string::String, ::std::convert::Infallible>, rt::DecodeError> {
            if status.is_success() {
                Ok(rt::Decoded::Ok(rt::decode_json_pointer(body, #token_pointer)?))
            } else {
                Ok(rt::Decoded::Unexpected)
            }
        }
    })
}
