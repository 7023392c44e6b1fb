//! Phase 2: OpenAPI document to IR.
//!
//! Besides `load`, the only module that knows `openapiv3`. It resolves every
//! `$ref`, names every type once, validates, and collects every problem as a
//! diagnostic before failing.

mod names;
mod object;
mod operation;
mod operation_extensions;
mod recursion;
mod schema;
mod schema_extensions;
mod shape;
mod union;

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, SecurityScheme};
use serde_json::Value;

use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics};
use crate::ir::{Api, AuthIr, Doc, ServerIr, ServerVariableIr, TypeDef, TypeId, TypeKind};
use crate::load::Document;
use crate::naming::{self, Scope};

/// Every `x-cloudgen-*` key the generator knows (implemented or planned).
pub const KNOWN_EXTENSIONS: &[&str] = &[
    "x-cloudgen-module",
    "x-cloudgen-rate-limit",
    "x-cloudgen-test-mode",
    "x-cloudgen-token-env",
    "x-cloudgen-token-exchange",
    "x-cloudgen-yes-no",
    "x-cloudgen-bool-string",
    "x-cloudgen-error-message-field",
    "x-cloudgen-empty-as-absent",
    "x-cloudgen-string-number",
    "x-cloudgen-wrapped-list",
    "x-cloudgen-datetime-format",
    "x-cloudgen-unwrap",
    "x-cloudgen-wrap",
    "x-cloudgen-error-codes",
    "x-cloudgen-split-by",
    "x-cloudgen-operation-id",
    "x-cloudgen-pagination",
    "x-cloudgen-retry-safe",
    "x-cloudgen-envelope",
    "x-cloudgen-batch",
    "x-cloudgen-exclusive",
    "x-cloudgen-split-untagged",
    "x-cloudgen-error-code-field",
    "x-cloudgen-waiter",
    "x-cloudgen-validate",
    "x-cloudgen-env",
    "x-cloudgen-url-env",
    "x-cloudgen-name",
    "x-cloudgen-secret",
];

/// Lowers a loaded document. `module` overrides the module name (otherwise
/// `x-cloudgen-module`, otherwise the file stem).
pub fn lower(doc: &Document, module: Option<&str>) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut cx = Lowerer::new(doc);
    let api = cx.run(module);
    let diags = Diagnostics(
        cx.diags
            .into_iter()
            .map(|d| doc.source_map.place(d))
            .collect(),
    );
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok((api, diags))
    }
}

/// Decodes `%XX` escapes; anything that is not a valid escape stays as it is.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) struct Lowerer<'a> {
    pub(crate) doc: &'a Document,
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) types: Vec<TypeDef>,
    pub(crate) type_names: Scope,
    /// Component schema name → its type.
    pub(crate) components: IndexMap<String, TypeId>,
    /// Inline schemas already lowered, by canonical JSON, for deduplication.
    pub(crate) dedupe: HashMap<String, TypeId>,
    /// Non-component `$ref` targets already lowered, by pointer.
    pub(crate) by_pointer: HashMap<String, crate::ir::TypeRef>,
    /// Nesting depth, to refuse absurdly deep documents instead of overflowing the stack.
    pub(crate) depth: usize,
}

/// The document-level `x-cloudgen-*` keys.
struct RootExtensions {
    error_code_pointer: Option<String>,
    error_message_pointer: Option<String>,
    rate_limit: Option<crate::ir::RateLimitIr>,
    test_mode: Option<(String, String)>,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a Document) -> Self {
        Lowerer {
            doc,
            diags: doc.warnings.clone(),
            types: Vec::new(),
            type_names: Scope::for_types(),
            components: IndexMap::new(),
            dedupe: HashMap::new(),
            by_pointer: HashMap::new(),
            depth: 0,
        }
    }

    pub(crate) fn error(
        &mut self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let d = Diagnostic::error(kind, &self.doc.file, message)
            .at(pointer)
            .hint(hint);
        self.diags.push(d);
    }

    pub(crate) fn warn(
        &mut self,
        kind: DiagnosticKind,
        pointer: &str,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let d = Diagnostic::warning(kind, &self.doc.file, message)
            .at(pointer)
            .hint(hint);
        self.diags.push(d);
    }

    /// The node a local `$ref` pointer (the part after `#`) names. The pointer is
    /// in URI-fragment form, so `%7Bid%7D` stands for `{id}` (RFC 6901, section 6).
    pub(crate) fn ref_target(&self, local: &str) -> Option<&'a Value> {
        let raw: &'a Value = &self.doc.raw;
        raw.pointer(local).or_else(|| {
            if local.contains('%') {
                raw.pointer(&percent_decode(local))
            } else {
                None
            }
        })
    }

    /// Reserves a new named type.
    /// Its name is `x-cloudgen-name` when the schema at `pointer` has one, else `base`; a
    /// schema's own name (or chosen one) that is taken gets a warning, a name made up from
    /// where an inline schema is used just a suffix.
    pub(crate) fn new_type(&mut self, base: &str, pointer: &str, doc: Doc) -> TypeId {
        let chosen = self.chosen_name(pointer);
        let component = pointer
            .strip_prefix("/components/schemas/")
            .is_some_and(|key| !key.contains('/'));
        let name = if chosen.is_some() || component {
            let source = chosen.unwrap_or_else(|| base.to_string());
            let rust = naming::pascal_ident(&source, "Type");
            let mut scope = std::mem::take(&mut self.type_names);
            let name = self.claim_name(&mut scope, &rust, names::Named::Schema, &source, pointer);
            self.type_names = scope;
            name
        } else {
            self.type_names.unique(&naming::pascal_ident(base, "Type"))
        };
        let id = TypeId(self.types.len());
        self.types.push(TypeDef {
            name,
            pointer: pointer.to_string(),
            doc,
            kind: TypeKind::Pending,
            // Decided once every operation is known: see `shape::tristate_request_fields`.
            sent: false,
        });
        id
    }

    fn run(&mut self, module: Option<&str>) -> Api {
        let openapi = &self.doc.openapi;
        let module = module
            .map(str::to_string)
            .or_else(|| {
                openapi
                    .extensions
                    .get("x-cloudgen-module")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            })
            .or_else(|| {
                std::path::Path::new(&self.doc.file)
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
            })
            .unwrap_or_else(|| "api".to_string());
        let mut module = naming::snake_ident(&module, "api");
        if naming::is_keyword(&module) {
            // `pub mod match` does not parse and a raw module name cannot name a file.
            module.push('_');
        }

        self.check_extensions();

        // Name every component schema first, so references resolve in any order.
        let schemas: Vec<(String, ReferenceOr<openapiv3::Schema>)> = openapi
            .components
            .as_ref()
            .map(|c| {
                c.schemas
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
            .unwrap_or_default();
        for (name, schema) in &schemas {
            let pointer = format!(
                "/components/schemas/{}",
                crate::diagnostics::escape_pointer_token(name)
            );
            let doc = match schema {
                ReferenceOr::Item(s) => schema::doc_of(&s.schema_data, None),
                ReferenceOr::Reference { .. } => Doc::default(),
            };
            let id = self.new_type(name, &pointer, doc);
            self.components.insert(name.clone(), id);
        }
        for (name, schema) in &schemas {
            let id = self.components[name];
            let pointer = self.types[id.0].pointer.clone();
            self.lower_component(id, name, schema, &pointer);
        }

        let mut operations = self.lower_operations();
        let servers = self.lower_servers();
        let auth = self.lower_auth();

        // Anything still pending (only after errors) becomes a JSON value so emit never sees it.
        for t in &mut self.types {
            if matches!(t.kind, TypeKind::Pending) {
                t.kind = TypeKind::Alias {
                    target: crate::ir::TypeRef::Value,
                };
            }
        }
        recursion::box_cycles(&mut self.types);
        shape::tristate_request_fields(&mut self.types, &operations);
        shape::checked_params(&self.types, &mut operations);
        let wire_markers = shape::wire_markers(&self.types, &operations);
        let error_codes = shape::api_error_codes(&mut operations);

        let RootExtensions {
            error_code_pointer,
            error_message_pointer,
            rate_limit,
            test_mode,
        } = self.root_extensions();
        let item_error_codes = self.item_error_codes();
        let info = &openapi.info;
        Api {
            module,
            title: info.title.clone(),
            version: info.version.clone(),
            description: info.description.clone(),
            servers,
            auth,
            types: std::mem::take(&mut self.types),
            operations,
            error_code_pointer,
            rate_limit,
            test_mode,
            wire_markers,
            error_codes,
            error_message_pointer,
            item_error_codes,
        }
    }

    /// Document-level keys: the error-code field, rate-limit headers and test mode.
    fn root_extensions(&mut self) -> RootExtensions {
        let ext = self.doc.openapi.extensions.clone();
        let mut error_code_pointer = None;
        if let Some(v) = ext.get("x-cloudgen-error-code-field") {
            match v.as_str() {
                Some(p) if p.starts_with('/') => error_code_pointer = Some(p.to_string()),
                _ => self.error(
                    DiagnosticKind::BadExtension,
                    "/x-cloudgen-error-code-field",
                    format!("`x-cloudgen-error-code-field` must be a JSON pointer, found {v}"),
                    "write e.g. `x-cloudgen-error-code-field: /error/error_code`",
                ),
            }
        }
        let mut error_message_pointer = None;
        if let Some(v) = ext.get("x-cloudgen-error-message-field") {
            match v.as_str() {
                Some(p) if p.starts_with('/') => error_message_pointer = Some(p.to_string()),
                _ => self.error(
                    DiagnosticKind::BadExtension,
                    "/x-cloudgen-error-message-field",
                    format!("`x-cloudgen-error-message-field` must be a JSON pointer, found {v}"),
                    "write e.g. `x-cloudgen-error-message-field: /error/error_message`",
                ),
            }
        }
        let mut rate_limit = None;
        if let Some(v) = ext.get("x-cloudgen-rate-limit") {
            let get = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
            match (get("limit"), get("remaining"), get("reset")) {
                (Some(limit), Some(remaining), Some(reset)) => {
                    rate_limit = Some(crate::ir::RateLimitIr { limit, remaining, reset })
                }
                _ => self.error(
                    DiagnosticKind::BadExtension,
                    "/x-cloudgen-rate-limit",
                    "`x-cloudgen-rate-limit` needs the header names `limit`, `remaining` and `reset`",
                    "see specs/EXTENSIONS.md for the shape",
                ),
            }
        }
        let mut test_mode = None;
        if let Some(v) = ext.get("x-cloudgen-test-mode") {
            let query = v.get("query").and_then(Value::as_str);
            let value = v.get("value").map(|x| match x {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            match (query, value) {
                (Some(q), Some(val)) => test_mode = Some((q.to_string(), val)),
                _ => self.error(
                    DiagnosticKind::BadExtension,
                    "/x-cloudgen-test-mode",
                    "`x-cloudgen-test-mode` needs `query` and `value`",
                    "write e.g. `x-cloudgen-test-mode: {query: test, value: \"1\"}`",
                ),
            }
        }
        RootExtensions {
            error_code_pointer,
            error_message_pointer,
            rate_limit,
            test_mode,
        }
    }

    fn lower_servers(&mut self) -> Vec<ServerIr> {
        let mut out = Vec::new();
        let raw = self.doc.raw.clone();
        for (index, server) in self.doc.openapi.servers.iter().enumerate() {
            let mut scope = Scope::new();
            let variables = server
                .variables
                .as_ref()
                .map(|vars| {
                    vars.iter()
                        .map(|(name, v)| ServerVariableIr {
                            rust_name: scope.unique(&naming::snake_ident(name, "var")),
                            wire_name: name.clone(),
                            default: v.default.clone(),
                            allowed: v.enumeration.clone(),
                            description: v.description.clone(),
                            env: raw
                                .pointer(&format!(
                                    "/servers/{index}/variables/{}/x-cloudgen-env",
                                    crate::diagnostics::escape_pointer_token(name)
                                ))
                                .and_then(Value::as_str)
                                .map(str::to_string),
                        })
                        .collect()
                })
                .unwrap_or_default();
            let pointer = format!("/servers/{index}/x-cloudgen-url-env");
            let url_env = match raw.pointer(&pointer) {
                None => None,
                Some(Value::String(name)) if !name.is_empty() => Some(name.clone()),
                Some(_) => {
                    self.error(
                        DiagnosticKind::BadExtension,
                        &pointer,
                        "`x-cloudgen-url-env` must name an environment variable",
                        "write e.g. `x-cloudgen-url-env: UPCLOUD_API_URL`",
                    );
                    None
                }
            };
            out.push(ServerIr {
                url: server.url.clone(),
                description: server.description.clone(),
                variables,
                url_env,
            });
        }
        out
    }

    fn lower_auth(&mut self) -> Vec<AuthIr> {
        let mut out = Vec::new();
        let Some(components) = &self.doc.openapi.components else {
            return out;
        };
        let schemes: Vec<(String, ReferenceOr<SecurityScheme>)> = components
            .security_schemes
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (name, scheme) in schemes {
            let pointer = format!("/components/securitySchemes/{name}");
            let ReferenceOr::Item(scheme) = scheme else {
                self.warn(
                    DiagnosticKind::UnsupportedAuth,
                    &pointer,
                    "a `$ref` security scheme is not followed; the client offers no constructor for it",
                    "write the security scheme inline",
                );
                continue;
            };
            let token_env = |ext: &IndexMap<String, Value>| {
                ext.get("x-cloudgen-token-env")
                    .and_then(Value::as_str)
                    .map(str::to_string)
            };
            let ir = match &scheme {
                SecurityScheme::HTTP {
                    scheme: s,
                    description,
                    extensions,
                    ..
                } => match s.to_ascii_lowercase().as_str() {
                    "bearer" => Some(AuthIr::Bearer {
                        token_env: token_env(extensions),
                        exchange: self.token_exchange(extensions, &pointer),
                        description: description.clone(),
                    }),
                    "basic" => Some(AuthIr::Basic {
                        description: description.clone(),
                    }),
                    _ => None,
                },
                SecurityScheme::APIKey {
                    location: openapiv3::APIKeyLocation::Header,
                    name: header,
                    description,
                    extensions,
                } => Some(AuthIr::ApiKeyHeader {
                    header: header.clone(),
                    token_env: token_env(extensions),
                    description: description.clone(),
                }),
                _ => None,
            };
            if let Some(AuthIr::ApiKeyHeader { header, .. }) = &ir {
                let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
                if header.is_empty() || !header.chars().all(token) {
                    self.warn(
                        DiagnosticKind::UnsupportedAuth,
                        &pointer,
                        format!("security scheme `{name}` names the header `{header}`, which is not a valid HTTP header name; requests carry no credentials for it"),
                        "use a header name made of letters, digits and `-`",
                    );
                    continue;
                }
            }
            let same_kind =
                |a: &AuthIr, b: &AuthIr| std::mem::discriminant(a) == std::mem::discriminant(b);
            let has_env = |a: &AuthIr| match a {
                AuthIr::Bearer { token_env, .. } | AuthIr::ApiKeyHeader { token_env, .. } => {
                    token_env.is_some()
                }
                AuthIr::Basic { .. } => false,
            };
            match ir {
                Some(ir) if out.contains(&ir) => {}
                // Each kind has one constructor (`with_api_key`, ...); a second scheme of the same kind would repeat it.
                Some(ir) if out.iter().any(|o| same_kind(o, &ir)) => self.warn(
                    DiagnosticKind::DuplicateAuth,
                    &pointer,
                    format!("security scheme `{name}` is of the same kind as an earlier one; the client's constructors cover the first only"),
                    "send these credentials with `Client::builder()` and a default header",
                ),
                Some(mut ir) => {
                    if has_env(&ir) && out.iter().any(has_env) {
                        // Only one `from_env` constructor can exist.
                        if let AuthIr::Bearer { token_env, .. } | AuthIr::ApiKeyHeader { token_env, .. } = &mut ir {
                            *token_env = None;
                        }
                    }
                    out.push(ir);
                }
                None => self.warn(
                    DiagnosticKind::UnsupportedAuth,
                    &pointer,
                    format!("security scheme `{name}` is not supported; requests carry no credentials for it"),
                    "set the credentials yourself with a default header or a before-send hook",
                ),
            }
        }
        out
    }

    /// `x-cloudgen-token-exchange` on a bearer scheme.
    fn token_exchange(
        &mut self,
        ext: &IndexMap<String, Value>,
        pointer: &str,
    ) -> Option<crate::ir::TokenExchangeIr> {
        let v = ext.get("x-cloudgen-token-exchange")?;
        let at = format!("{pointer}/x-cloudgen-token-exchange");
        let get = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let (Some(operation), Some(signature_header)) = (get("operation"), get("signature-header"))
        else {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                "`x-cloudgen-token-exchange` needs `operation` and `signature-header`",
                "see specs/EXTENSIONS.md for the shape",
            );
            return None;
        };
        if get("algorithm").as_deref() != Some("rsa-sha512") {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                format!("unsupported signature algorithm {:?}", get("algorithm")),
                "cloudgen signs with `algorithm: rsa-sha512` (RSASSA-PKCS1-v1_5, SHA-512)",
            );
            return None;
        }
        let token_field = get("token-field").unwrap_or_else(|| "token".to_string());
        Some(crate::ir::TokenExchangeIr {
            operation: naming::snake_ident(&operation, "op"),
            signature_header,
            token_pointer: format!(
                "/{}",
                crate::diagnostics::escape_pointer_token(&token_field)
            ),
            nonce_field: get("nonce-field"),
            lifetime_field: get("lifetime-field"),
            lifetime_format: get("lifetime-format")
                .unwrap_or_else(|| "{seconds} seconds".to_string()),
            label_field: get("label-field"),
            demo_token: get("demo-token"),
        })
    }

    /// Warns about `x-cloudgen-*` keys the generator does not know (typos, mostly).
    fn check_extensions(&mut self) {
        let mut found = Vec::new();
        walk_extensions(&self.doc.raw, String::new(), &mut found);
        for (pointer, key) in found {
            if !KNOWN_EXTENSIONS.contains(&key.as_str()) {
                self.warn(
                    DiagnosticKind::UnknownExtension,
                    &pointer,
                    format!("unknown extension `{key}` is ignored"),
                    "see specs/EXTENSIONS.md for the keys cloudgen understands",
                );
            }
        }
    }
}

fn walk_extensions(v: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = crate::diagnostics::pointer_join(&pointer, k);
                if k.starts_with("x-cloudgen-") {
                    out.push((p.clone(), k.clone()));
                }
                // Examples are data, not schema: keys inside them are not extensions.
                if k == "example" || k == "examples" {
                    continue;
                }
                walk_extensions(child, p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk_extensions(child, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}
