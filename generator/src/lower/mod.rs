//! Phase 2: OpenAPI document to IR.
//!
//! Besides `load`, the only module that knows `openapiv3`. It resolves every
//! `$ref`, names every type once, validates, and collects every problem as a
//! diagnostic before failing.

mod extensions;
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

pub use extensions::KNOWN_EXTENSIONS;

/// Lowers a loaded document. `module` overrides the module name (otherwise
/// `x-cloudgen-module`, otherwise the file stem).
pub fn lower(doc: &Document, module: Option<&str>) -> Result<(Api, Diagnostics), Diagnostics> {
    let mut cx = Lowerer::new(doc);
    let api = cx.run(module);
    // A schema lowered twice (a codec looked at by two paths) must not report twice.
    let mut seen = std::collections::HashSet::new();
    let diags = Diagnostics(
        cx.diags
            .into_iter()
            .filter(|d| seen.insert((d.kind, d.pointer.clone(), d.message.clone())))
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
            // Decided once the fields are final: see `shape::decide_types`.
            derives: crate::ir::Derives::default(),
            additional_field: None,
        });
        id
    }

    fn run(&mut self, module: Option<&str>) -> Api {
        let doc = self.doc;
        let openapi = &doc.openapi;
        let module = module
            .map(str::to_string)
            .or_else(|| self.ext(&extensions::MODULE, &openapi.extensions, ""))
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
        shape::decide_types(&mut self.types);
        shape::result_types(&mut operations);
        shape::expanded_args(&self.types, &mut operations);
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
        let doc = self.doc;
        let ext = &doc.openapi.extensions;
        let pointer = |p: Option<extensions::JsonPointer>| p.map(|p| p.0);
        RootExtensions {
            error_code_pointer: pointer(self.ext(&extensions::ERROR_CODE_FIELD, ext, "")),
            error_message_pointer: pointer(self.ext(&extensions::ERROR_MESSAGE_FIELD, ext, "")),
            rate_limit: self.ext(&extensions::RATE_LIMIT, ext, "").map(|r| {
                crate::ir::RateLimitIr {
                    limit: r.limit,
                    remaining: r.remaining,
                    reset: r.reset,
                }
            }),
            test_mode: self
                .ext(&extensions::TEST_MODE, ext, "")
                .map(|t| (t.query, t.value.0)),
        }
    }

    fn lower_servers(&mut self) -> Vec<ServerIr> {
        let mut out = Vec::new();
        let doc = self.doc;
        for (index, server) in doc.openapi.servers.iter().enumerate() {
            let pointer = format!("/servers/{index}");
            let mut scope = Scope::new();
            let mut variables = Vec::new();
            for (name, v) in server.variables.iter().flatten() {
                let at = format!(
                    "{pointer}/variables/{}",
                    crate::diagnostics::escape_pointer_token(name)
                );
                variables.push(ServerVariableIr {
                    rust_name: scope.unique(&naming::snake_ident(name, "var")),
                    wire_name: name.clone(),
                    default: v.default.clone(),
                    allowed: v.enumeration.clone(),
                    description: v.description.clone(),
                    env: self.ext(&extensions::ENV, &v.extensions, &at).map(|e| e.0),
                });
            }
            let url_env = self.ext(&extensions::URL_ENV, &server.extensions, &pointer);
            out.push(ServerIr {
                url: server.url.clone(),
                description: server.description.clone(),
                variables,
                url_env: url_env.map(|e| e.0),
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
            let ir = match &scheme {
                SecurityScheme::HTTP {
                    scheme: s,
                    description,
                    extensions,
                    ..
                } => match s.to_ascii_lowercase().as_str() {
                    "bearer" => Some(AuthIr::Bearer {
                        token_env: self.token_env(extensions, &pointer),
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
                    token_env: self.token_env(extensions, &pointer),
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

    /// `x-cloudgen-token-env` on a security scheme.
    fn token_env(&mut self, ext: &IndexMap<String, Value>, pointer: &str) -> Option<String> {
        self.ext(&extensions::TOKEN_ENV, ext, pointer).map(|e| e.0)
    }

    /// `x-cloudgen-token-exchange` on a bearer scheme.
    fn token_exchange(
        &mut self,
        ext: &IndexMap<String, Value>,
        pointer: &str,
    ) -> Option<crate::ir::TokenExchangeIr> {
        let x = self.ext(&extensions::TOKEN_EXCHANGE, ext, pointer)?;
        let token_field = x.token_field.unwrap_or_else(|| "token".to_string());
        Some(crate::ir::TokenExchangeIr {
            operation: naming::snake_ident(&x.operation, "op"),
            signature_header: x.signature_header,
            token_pointer: format!(
                "/{}",
                crate::diagnostics::escape_pointer_token(&token_field)
            ),
            nonce_field: x.nonce_field,
            lifetime_field: x.lifetime_field,
            lifetime_format: x
                .lifetime_format
                .unwrap_or_else(|| "{seconds} seconds".to_string()),
            label_field: x.label_field,
            demo_token: x.demo_token,
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

#[cfg(test)]
mod tests;
