//! Operations: parameters, bodies and every documented response.

use std::collections::BTreeMap;

use openapiv3::{
    Operation, Parameter, ParameterSchemaOrContent, QueryStyle, ReferenceOr, RequestBody, Response,
    StatusCode,
};
use serde_json::Value;

use super::extensions;
use super::names::Named;
use super::schema::SRef;
use super::Lowerer;
use crate::diagnostics::{escape_pointer_token, pointer_join, DiagnosticKind};
use crate::ir::{
    BodyEncoding, BodyIr, Doc, ErrorIr, OperationIr, ParamIr, ParamLocation, ResponseContent,
    ResponseIr, StatusMatch, SuccessIr, TypeRef,
};
use crate::naming::{self, Scope};

/// The path parameter names of a template, in order.
pub(crate) fn template_params(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    out
}

pub(super) fn is_json(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "application/*"
}

pub(super) fn media_base(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

impl Lowerer<'_> {
    pub(crate) fn lower_operations(&mut self) -> Vec<OperationIr> {
        let mut out = Vec::new();
        let mut method_names = Scope::new();
        // Names the client and request builders already use.
        for reserved in [
            "new",
            "builder",
            "from_env",
            "runtime",
            "base_url",
            "from_runtime",
            "with_bearer_token",
            "with_basic_auth",
            "with_api_key",
            "clone",
        ] {
            method_names.reserve(reserved);
        }
        if self.doc.raw.get(extensions::RATE_LIMIT.key).is_some() {
            method_names.reserve("rate_limit");
        }
        let mut operation_ids: BTreeMap<String, String> = BTreeMap::new();
        let paths: Vec<(String, ReferenceOr<openapiv3::PathItem>)> = self
            .doc
            .openapi
            .paths
            .paths
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (path, item) in paths {
            let path_pointer = format!("/paths/{}", escape_pointer_token(&path));
            let item = match item {
                ReferenceOr::Item(i) => i,
                ReferenceOr::Reference { reference } => {
                    self.error(
                        DiagnosticKind::UnsupportedRef,
                        &path_pointer,
                        format!("a path item `$ref: {reference}` is not supported"),
                        "write the path item inline under `paths`",
                    );
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let pointer = format!("{path_pointer}/{method}");
                if let Some(id) = &op.operation_id {
                    if let Some(first) = operation_ids.get(id) {
                        self.error(
                            DiagnosticKind::DuplicateOperationId,
                            &pointer_join(&pointer, "operationId"),
                            format!("operationId `{id}` is also used at {first}"),
                            "give every operation a unique operationId",
                        );
                        continue;
                    }
                    operation_ids.insert(id.clone(), pointer.clone());
                }
                let source = match &op.operation_id {
                    Some(id) => id.clone(),
                    None => format!("{} {path}", method.to_ascii_uppercase()),
                };
                let base_name = match (self.chosen_name(&pointer), &op.operation_id) {
                    (Some(chosen), _) => naming::snake_ident(&chosen, "op"),
                    (None, Some(id)) => naming::snake_ident(id, "op"),
                    (None, None) => derived_name(method, &path),
                };
                let split = op.extensions.contains_key(extensions::SPLIT_BY.key)
                    || extensions::SPLIT_UNTAGGED.peek(&op.extensions) == Some(true);
                // A split operation's own name is no method; its variants' names are.
                let name = if split {
                    format!("{base_name}_split")
                } else {
                    self.claim_name(
                        &mut method_names,
                        &base_name,
                        Named::Operation,
                        &source,
                        &pointer,
                    )
                };
                let lowered =
                    self.lower_operation(&name, method, &path, &item.parameters, op, &pointer);
                out.extend(self.split_operation(lowered, op, &mut method_names));
            }
        }
        self.unique_waiters_and_stems(&mut out, method_names);
        out
    }

    /// Waiters are client methods too: one whose name an operation took is renamed. Type
    /// stems come from the unique method names but may still meet (`foo_2` and `foo2` both
    /// give `Foo2`); a later one gets a suffix.
    fn unique_waiters_and_stems(&mut self, ops: &mut [OperationIr], mut methods: Scope) {
        for op in ops.iter_mut() {
            if let Some(waiter) = &mut op.waiter {
                let at = pointer_join(&op.pointer, extensions::WAITER.key);
                let source = waiter.name.clone();
                waiter.name = self.claim_name(&mut methods, &source, Named::Waiter, &source, &at);
            }
        }
        let mut stems = Scope::new();
        for op in ops.iter_mut() {
            op.type_stem = stems.unique(&op.type_stem);
        }
    }

    pub(crate) fn lower_operation(
        &mut self,
        name: &str,
        method: &str,
        path: &str,
        shared: &[ReferenceOr<Parameter>],
        op: &Operation,
        pointer: &str,
    ) -> OperationIr {
        let stem = naming::pascal_ident(name, "Op");
        let mut scope = builder_scope();
        let params = self.collect_parameters(shared, op, pointer, path);
        let mut lowered = Vec::new();
        for (p, at) in self.order_parameters(&params, path) {
            if let Some(param) = self.lower_parameter(p, at, &stem, &mut scope) {
                lowered.push(param);
            }
        }

        let body = op
            .request_body
            .as_ref()
            .and_then(|b| self.lower_body(b, &format!("{pointer}/requestBody"), &stem));

        let responses = self.lower_responses(op, pointer, &stem);
        let retry_safe = self
            .ext(&extensions::RETRY_SAFE, &op.extensions, pointer)
            .unwrap_or(false);
        // `x-cloudgen-batch` documents intent (the body type makes the method take a list);
        // it is read for its shape only.
        let _ = self.ext(&extensions::BATCH, &op.extensions, pointer);
        let error_codes = self.error_codes(op, pointer);
        let envelope = self.envelope(op, pointer, &responses, &stem);
        let pagination = self.pagination(op, pointer, &lowered, &responses);
        let waiter = self.waiter(op, pointer, &responses);

        OperationIr {
            name: name.to_string(),
            type_stem: stem,
            method: method.to_ascii_uppercase(),
            path: path.to_string(),
            pointer: pointer.to_string(),
            doc: Doc {
                summary: op.summary.clone(),
                description: op.description.clone(),
                example: None,
                default: None,
                deprecated: op.deprecated,
            },
            params: lowered,
            body,
            responses,
            retry_safe,
            error_codes,
            envelope,
            pagination,
            waiter,
            // Decided once the type stems are final: see `shape::result_types`.
            success: SuccessIr::Unit,
            error: ErrorIr::None,
        }
    }

    /// The operation's parameters with where each is: the path item's first, overridden by the
    /// operation's own of the same name and place, then a required string for every template
    /// placeholder nobody declares (with a warning).
    fn collect_parameters(
        &mut self,
        shared: &[ReferenceOr<Parameter>],
        op: &Operation,
        pointer: &str,
        path: &str,
    ) -> Vec<(Parameter, String)> {
        let mut params: Vec<(Parameter, String)> = Vec::new();
        let diags_before = self.diags.len();
        let path_pointer = pointer
            .rsplit_once('/')
            .map(|(p, _)| p.to_string())
            .unwrap_or_default();
        for (i, p) in shared.iter().enumerate() {
            if let Some(p) = self.resolve_parameter(p, &format!("{path_pointer}/parameters/{i}")) {
                params.push(p);
            }
        }
        for (i, p) in op.parameters.iter().enumerate() {
            if let Some((p, at)) = self.resolve_parameter(p, &format!("{pointer}/parameters/{i}")) {
                let key = (p.parameter_data_ref().name.clone(), location_word(&p));
                params.retain(|(q, _)| {
                    (q.parameter_data_ref().name.clone(), location_word(q)) != key
                });
                params.push((p, at));
            }
        }

        let template = template_params(path);
        // A parameter whose `$ref` failed is reported already and may be the "missing"
        // path parameter, so the template is only checked when all of them resolved.
        let a_parameter_failed = self.diags[diags_before..]
            .iter()
            .any(|d| d.severity == crate::diagnostics::Severity::Error);
        for t in &template {
            if !a_parameter_failed
                && !params.iter().any(|(p, _)| {
                    matches!(p, Parameter::Path { .. }) && &p.parameter_data_ref().name == t
                })
            {
                // Real documents forget these; the placeholder is clearly a string segment, so
                // it is declared as one rather than refusing the whole document.
                self.warn(
                    DiagnosticKind::UndeclaredPathParam,
                    pointer,
                    format!("path parameter `{{{t}}}` of `{path}` is not declared; it is taken as a required string"),
                    format!("add a parameter with `name: {t}` and `in: path` to the operation or its path item"),
                );
                params.push((undeclared_path_parameter(t), pointer.to_string()));
            }
        }

        params
    }

    /// Path parameters in template order, then the rest in document order; a path parameter
    /// the template does not have is an error.
    fn order_parameters<'p>(
        &mut self,
        params: &'p [(Parameter, String)],
        path: &str,
    ) -> Vec<&'p (Parameter, String)> {
        let template = template_params(path);
        let mut ordered: Vec<&(Parameter, String)> = Vec::new();
        for t in &template {
            if let Some(p) = params.iter().find(|(p, _)| {
                matches!(p, Parameter::Path { .. }) && &p.parameter_data_ref().name == t
            }) {
                ordered.push(p);
            }
        }
        for p in params {
            if !matches!(p.0, Parameter::Path { .. }) {
                ordered.push(p);
            } else if !template.contains(&p.0.parameter_data_ref().name) {
                self.error(
                    DiagnosticKind::UnusedPathParam,
                    &p.1,
                    format!(
                        "path parameter `{}` does not appear in `{path}`",
                        p.0.parameter_data_ref().name
                    ),
                    {
                        // Placeholders no path parameter declares yet: likely rename targets.
                        let free: Vec<String> = template
                            .iter()
                            .filter(|t| {
                                !params.iter().any(|(q, _)| {
                                    matches!(q, Parameter::Path { .. })
                                        && &q.parameter_data_ref().name == *t
                                })
                            })
                            .map(|t| format!("`{t}`"))
                            .collect();
                        if free.is_empty() {
                            format!(
                                "remove it, or add `{{{}}}` to the path",
                                p.0.parameter_data_ref().name
                            )
                        } else {
                            format!(
                                "rename it to the path's placeholder {}, or remove it",
                                free.join(" or ")
                            )
                        }
                    },
                );
            }
        }
        ordered
    }

    /// One parameter as the method takes it; `None` for a cookie parameter, which is not sent.
    fn lower_parameter(
        &mut self,
        p: &Parameter,
        at: &str,
        stem: &str,
        scope: &mut Scope,
    ) -> Option<ParamIr> {
        let data = p.parameter_data_ref();
        let (location, explode_default) = match p {
            Parameter::Path { .. } => (ParamLocation::Path, false),
            Parameter::Query { style, .. } => {
                if !matches!(style, QueryStyle::Form) {
                    self.warn(
                        DiagnosticKind::UnsupportedStyle,
                        at,
                        format!("query style `{style:?}` is sent as style form"),
                        "use style form (the default) for query parameters",
                    );
                }
                (ParamLocation::Query, true)
            }
            Parameter::Header { .. } => (ParamLocation::Header, false),
            Parameter::Cookie { .. } => {
                self.warn(
                    DiagnosticKind::UnsupportedCookie,
                    at,
                    format!("cookie parameter `{}` is not sent by the client", data.name),
                    "send it with a default header `Cookie` on the client, or a per-request header",
                );
                return None;
            }
        };
        let hint = format!("{stem}{}", naming::pascal_ident(&data.name, "Param"));
        let ty = match &data.format {
            ParameterSchemaOrContent::Schema(s) => {
                self.lower_schema(&SRef::from(s), &format!("{at}/schema"), &hint)
            }
            ParameterSchemaOrContent::Content(_) => {
                self.warn(
                    DiagnosticKind::UnsupportedParamContent,
                    at,
                    "a parameter described by `content` is sent as a plain string",
                    "describe the parameter with `schema` instead of `content`",
                );
                TypeRef::Prim(crate::ir::Prim::String)
            }
        };
        let (ty, _nullable) = match ty {
            TypeRef::Option(inner) => (*inner, true),
            t => (t, false),
        };
        let required = data.required || location == ParamLocation::Path;
        let source = self.chosen_name(at).unwrap_or_else(|| data.name.clone());
        let base = naming::snake_ident(&source, "param");
        let rust_name = self.claim_name(scope, &base, Named::Parameter, &data.name, at);
        Some(ParamIr {
            rust_name,
            wire_name: data.name.clone(),
            location,
            ty,
            required,
            explode: data.explode.unwrap_or(explode_default),
            // Decided once every type is known: see `shape::checked_params`.
            checked: false,
            doc: Doc {
                summary: None,
                description: data.description.clone(),
                example: data.example.clone(),
                default: None,
                deprecated: data.deprecated.unwrap_or(false),
            },
        })
    }

    pub(crate) fn resolve_parameter(
        &mut self,
        p: &ReferenceOr<Parameter>,
        at: &str,
    ) -> Option<(Parameter, String)> {
        match p {
            ReferenceOr::Item(p) => Some((p.clone(), at.to_string())),
            ReferenceOr::Reference { reference } => {
                self.resolve_component::<Parameter>(reference, at, "parameter")
            }
        }
    }

    /// Follows a `$ref` (and chains of them) to a component of type `T`.
    pub(crate) fn resolve_component<T: serde::de::DeserializeOwned>(
        &mut self,
        reference: &str,
        at: &str,
        what: &str,
    ) -> Option<(T, String)> {
        // Problems of the reference itself point at its `$ref` key, as for schemas.
        let ref_at = pointer_join(at, "$ref");
        let mut seen: Vec<String> = Vec::new();
        let mut current = reference.to_string();
        loop {
            let Some(local) = current.strip_prefix('#') else {
                self.error(
                    DiagnosticKind::ExternalRef,
                    &ref_at,
                    format!("`$ref: {current}` points outside this document"),
                    "bundle the spec into one file so every $ref starts with `#/`",
                );
                return None;
            };
            if seen.iter().any(|s| s == local) {
                self.error(
                    DiagnosticKind::RefCycle,
                    &ref_at,
                    format!("`$ref: {reference}` is part of a cycle of references"),
                    "point the reference at a real definition",
                );
                return None;
            }
            seen.push(local.to_string());
            let Some(value) = self.ref_target(local) else {
                let hint = match self.closest_component(&current) {
                    Some(close) => format!(
                        "did you mean `{close}`? Otherwise define the {what} it names, or fix the reference"
                    ),
                    None => format!("define the {what} it names, or fix the reference"),
                };
                self.error(
                    DiagnosticKind::UnresolvedRef,
                    &ref_at,
                    format!("`$ref: {current}` points at nothing"),
                    hint,
                );
                return None;
            };
            if let Some(next) = value.get("$ref").and_then(Value::as_str) {
                current = next.to_string();
                continue;
            }
            return match serde_json::from_value::<T>(value.clone()) {
                Ok(t) => Some((t, local.to_string())),
                Err(e) => {
                    self.error(
                        DiagnosticKind::InvalidRefTarget,
                        at,
                        format!("`$ref: {current}` is not a valid {what}: {e}"),
                        format!("point the reference at a {what}"),
                    );
                    None
                }
            };
        }
    }

    pub(crate) fn lower_body(
        &mut self,
        body: &ReferenceOr<RequestBody>,
        at: &str,
        stem: &str,
    ) -> Option<BodyIr> {
        let (body, at) = match body {
            ReferenceOr::Item(b) => (b.clone(), at.to_string()),
            ReferenceOr::Reference { reference } => {
                self.resolve_component::<RequestBody>(reference, at, "request body")?
            }
        };
        let doc = Doc {
            description: body.description.clone(),
            ..Doc::default()
        };
        let pick = body
            .content
            .iter()
            .find(|(m, _)| is_json(m))
            .or_else(|| {
                body.content
                    .iter()
                    .find(|(m, _)| media_base(m) == "application/x-www-form-urlencoded")
            })
            .or_else(|| {
                body.content
                    .iter()
                    .find(|(m, _)| media_base(m) == "multipart/form-data")
            })
            .or_else(|| {
                body.content
                    .iter()
                    .find(|(m, _)| !media_base(m).starts_with("multipart/"))
            });
        let Some((media, mt)) = pick else {
            if !body.content.is_empty() {
                self.warn(
                    DiagnosticKind::UnsupportedBody,
                    &at,
                    "multipart request bodies other than multipart/form-data are not supported; the operation is generated without its body",
                    "add a multipart/form-data, application/json or application/octet-stream alternative",
                );
            }
            return None;
        };
        let media_pointer = format!("{at}/content/{}", escape_pointer_token(media));
        let base = media_base(media);
        let hint = format!("{stem}Body");
        let schema = mt.schema.as_ref().map(SRef::from);
        let schema_pointer = format!("{media_pointer}/schema");
        let wrap_ext = match mt.extensions.get(extensions::WRAP.key) {
            Some(_) => self
                .ext(&extensions::WRAP, &mt.extensions, &media_pointer)
                .map(|p| (p, pointer_join(&media_pointer, extensions::WRAP.key))),
            None => self
                .ext(&extensions::WRAP, &body.extensions, &at)
                .map(|p| (p, pointer_join(&at, extensions::WRAP.key))),
        };
        // `x-cloudgen-wrap`: the method takes the value inside the wrapper objects.
        let (schema, schema_pointer, wrap) = match (wrap_ext, schema) {
            (Some((ptr, ext_at)), Some(s)) if is_json(media) => {
                match self.body_wrap(&s, &ptr, &schema_pointer, &ext_at) {
                    Some(found) => found,
                    None => (Some(s), schema_pointer, Vec::new()),
                }
            }
            (Some((_, ext_at)), s) => {
                self.error(
                    DiagnosticKind::BadExtension,
                    &ext_at,
                    "`x-cloudgen-wrap` needs a JSON request body with a schema",
                    "remove the key, or give the body an application/json schema",
                );
                (s, schema_pointer, Vec::new())
            }
            (None, s) => (s, schema_pointer, Vec::new()),
        };
        let schema_ty = |cx: &mut Self| match &schema {
            Some(s) => cx.lower_schema(s, &schema_pointer, &hint),
            None => TypeRef::Value,
        };
        let mut doc = doc;
        let (encoding, ty) = if base == "multipart/form-data" {
            let parts = self.multipart_parts(mt.schema.as_ref(), &media_pointer);
            if !parts.is_empty() {
                let text = doc.description.take().unwrap_or_default();
                let sep = if text.is_empty() { "" } else { "\n\n" };
                doc.description = Some(format!("{text}{sep}Parts: {}.", parts.join(", ")));
            }
            (
                BodyEncoding::Multipart,
                TypeRef::Prim(crate::ir::Prim::Multipart),
            )
        } else if is_json(media) {
            (BodyEncoding::Json, schema_ty(self))
        } else if base == "application/x-www-form-urlencoded" {
            (BodyEncoding::Form, schema_ty(self))
        } else if base.starts_with("text/") {
            (
                BodyEncoding::Text(media.clone()),
                TypeRef::Prim(crate::ir::Prim::String),
            )
        } else {
            (
                BodyEncoding::Bytes(media.clone()),
                TypeRef::Prim(crate::ir::Prim::Bytes),
            )
        };
        let ty = match ty {
            TypeRef::Option(inner) => *inner,
            t => t,
        };
        Some(BodyIr {
            encoding,
            ty,
            required: body.required,
            doc,
            expand: false,
            wrap,
            // Filled in for split operations: see `shape::expanded_args`.
            expanded_args: Vec::new(),
        })
    }

    /// The parts a `multipart/form-data` schema lists, for the docs: `` `name` `` for a field,
    /// `` `name` (file) `` for a binary one.
    fn multipart_parts(
        &mut self,
        schema: Option<&ReferenceOr<openapiv3::Schema>>,
        media_pointer: &str,
    ) -> Vec<String> {
        let raw = match schema {
            Some(ReferenceOr::Reference { reference }) => reference
                .strip_prefix('#')
                .and_then(|local| self.ref_target(local)),
            Some(ReferenceOr::Item(_)) => self.doc.raw.pointer(&format!("{media_pointer}/schema")),
            None => None,
        };
        let Some(properties) = raw
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
        else {
            return Vec::new();
        };
        properties
            .iter()
            .map(|(name, p)| {
                let binary = p.get("format").and_then(Value::as_str) == Some("binary")
                    || p.pointer("/items/format").and_then(Value::as_str) == Some("binary");
                if binary {
                    format!("`{name}` (file)")
                } else {
                    format!("`{name}`")
                }
            })
            .collect()
    }

    /// `x-cloudgen-wrap: /server` on a request body: the schema of the value inside the
    /// wrapper objects the pointer walks, where that schema is, and the wrapper keys. Every
    /// object on the way must have the named property as its only one, so that the wrapper
    /// carries nothing the method could not send.
    fn body_wrap(
        &mut self,
        schema: &SRef,
        ptr: &extensions::JsonPointer,
        schema_pointer: &str,
        ext_at: &str,
    ) -> Option<(Option<SRef>, String, Vec<String>)> {
        let ptr = ptr.0.as_str();
        let mut current = schema.clone();
        let mut at = schema_pointer.to_string();
        let mut keys = Vec::new();
        for token in ptr.split('/').skip(1) {
            let key = super::schema::unescape(token);
            let resolved = self.deref_schema(&current, &mut at)?;
            let n = super::schema::norm(&resolved);
            let only = match n.properties.as_slice() {
                [(name, inner)]
                    if *name == key
                        && matches!(
                            n.additional,
                            None | Some(openapiv3::AdditionalProperties::Any(false))
                        ) =>
                {
                    Some(inner.clone())
                }
                _ => None,
            };
            let Some(inner) = only else {
                self.error(
                    DiagnosticKind::BadExtension,
                    ext_at,
                    format!("`x-cloudgen-wrap: {ptr}`: the object at {at} must have `{key}` as its only property"),
                    "point `x-cloudgen-wrap` at the property of a one-property wrapper object, like /server for `{\"server\": {...}}`",
                );
                return None;
            };
            at = format!(
                "{}/{}",
                pointer_join(&at, "properties"),
                escape_pointer_token(&key)
            );
            current = inner;
            keys.push(key);
        }
        Some((Some(current), at, keys))
    }

    pub(crate) fn lower_responses(
        &mut self,
        op: &Operation,
        pointer: &str,
        stem: &str,
    ) -> Vec<ResponseIr> {
        let mut entries: Vec<(StatusMatch, ReferenceOr<Response>, String)> = Vec::new();
        for (code, r) in &op.responses.responses {
            let (status, token) = match code {
                StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
            };
            entries.push((status, r.clone(), format!("{pointer}/responses/{token}")));
        }
        if let Some(d) = &op.responses.default {
            entries.push((
                StatusMatch::Default,
                d.clone(),
                format!("{pointer}/responses/default"),
            ));
        }
        if entries.is_empty() {
            return vec![self.undocumented_response(op, pointer)];
        }
        let any_success = entries
            .iter()
            .any(|(s, ..)| matches!(s, StatusMatch::Code(200..=299) | StatusMatch::Range(2)));
        let success_count = entries
            .iter()
            .filter(|(s, ..)| {
                matches!(s, StatusMatch::Code(200..=299) | StatusMatch::Range(2))
                    || (!any_success && *s == StatusMatch::Default)
            })
            .count();
        let mut variants = Scope::new();
        let mut out = Vec::new();
        for (status, r, at) in entries {
            let success = matches!(status, StatusMatch::Code(200..=299) | StatusMatch::Range(2))
                || (!any_success && status == StatusMatch::Default);
            let (response, at) = match r {
                ReferenceOr::Item(r) => (r, at),
                ReferenceOr::Reference { reference } => {
                    match self.resolve_component::<Response>(&reference, &at, "response") {
                        Some(x) => x,
                        None => continue,
                    }
                }
            };
            let variant_base = match status {
                StatusMatch::Code(c) => naming::status_variant(c),
                StatusMatch::Range(1) => "Informational".to_string(),
                StatusMatch::Range(2) => "Success".to_string(),
                StatusMatch::Range(3) => "Redirection".to_string(),
                StatusMatch::Range(4) => "ClientError".to_string(),
                StatusMatch::Range(5) => "ServerError".to_string(),
                StatusMatch::Range(n) => format!("Status{n}xx"),
                StatusMatch::Default => "Default".to_string(),
            };
            let variant = variants.unique(&variant_base);
            let hint = if success && success_count == 1 {
                format!("{stem}Response")
            } else {
                format!("{stem}{variant}")
            };
            let (ty, content) = self.response_content(&response, &at, &hint);
            out.push(ResponseIr {
                status,
                variant,
                ty,
                content,
                success,
                description: Some(response.description.clone()).filter(|d| !d.is_empty()),
            });
        }
        out
    }

    /// The success response of an operation that documents none (`responses: {}`, as Dropshot
    /// writes for endpoints answering with a free-form body): whatever a 2xx carries, as raw
    /// bytes.
    fn undocumented_response(&mut self, op: &Operation, pointer: &str) -> ResponseIr {
        let name = op.operation_id.as_deref().unwrap_or("this operation");
        self.warn(
            DiagnosticKind::NoResponses,
            &pointer_join(pointer, "responses"),
            format!("`{name}` documents no response; the body of any 2xx status is returned as raw bytes"),
            "document the responses (at least one 2xx with its content) to get typed results",
        );
        ResponseIr {
            status: StatusMatch::Default,
            variant: "Default".to_string(),
            ty: TypeRef::Prim(crate::ir::Prim::Bytes),
            content: ResponseContent::Bytes,
            success: true,
            description: None,
        }
    }

    /// `x-cloudgen-unwrap` on a JSON media type, else on its response: the pointer, and where
    /// the key is.
    fn unwrap_ext(
        &mut self,
        response: &Response,
        mt: &openapiv3::MediaType,
        at: &str,
        media_pointer: &str,
    ) -> Option<(String, String)> {
        let (extensions, pointer) = if mt.extensions.contains_key(extensions::UNWRAP.key) {
            (&mt.extensions, media_pointer)
        } else {
            (&response.extensions, at)
        };
        let ptr = self.ext(&extensions::UNWRAP, extensions, pointer)?;
        Some((ptr.0, pointer_join(pointer, extensions::UNWRAP.key)))
    }

    /// The Rust type of a response body and how it is read: JSON (unwrapped at
    /// `x-cloudgen-unwrap`) when a JSON media type is offered, else text for `text/*`, else raw
    /// bytes; no content is no body.
    fn response_content(
        &mut self,
        response: &Response,
        at: &str,
        hint: &str,
    ) -> (TypeRef, ResponseContent) {
        let pick = response
            .content
            .iter()
            .find(|(m, _)| is_json(m))
            .or_else(|| response.content.iter().next());
        match pick {
            None => (TypeRef::Unit, ResponseContent::Empty),
            Some((media, mt)) => {
                let media_pointer = format!("{at}/content/{}", escape_pointer_token(media));
                if is_json(media) {
                    let unwrap = self.unwrap_ext(response, mt, at, &media_pointer);
                    let schema = mt.schema.as_ref().map(SRef::from);
                    let schema_pointer = format!("{media_pointer}/schema");
                    match (schema, unwrap) {
                        (None, _) => (TypeRef::Value, ResponseContent::Json { unwrap: None }),
                        (Some(s), None) => (
                            self.lower_schema(&s, &schema_pointer, hint),
                            ResponseContent::Json { unwrap: None },
                        ),
                        (Some(s), Some((ptr, u_at))) => {
                            match self.schema_at(&s, &ptr, &schema_pointer) {
                                Some((inner, inner_ptr)) => (
                                    self.lower_schema(&inner, &inner_ptr, hint),
                                    ResponseContent::Json { unwrap: Some(ptr) },
                                ),
                                None => {
                                    self.error(
                                    DiagnosticKind::BadExtension,
                                    &u_at,
                                    format!("`x-cloudgen-unwrap: {ptr}` names no property of the response schema"),
                                    "give a JSON pointer that follows properties of the response schema, like /servers/server",
                                );
                                    (TypeRef::Value, ResponseContent::Json { unwrap: None })
                                }
                            }
                        }
                    }
                } else if media_base(media).starts_with("text/") {
                    (
                        TypeRef::Prim(crate::ir::Prim::String),
                        ResponseContent::Text,
                    )
                } else {
                    (
                        TypeRef::Prim(crate::ir::Prim::Bytes),
                        ResponseContent::Bytes,
                    )
                }
            }
        }
    }
}

/// A name scope holding the request builder's own fields and methods, so that optional
/// parameters (its setters) never take them.
fn builder_scope() -> Scope {
    let mut scope = Scope::new();
    for reserved in [
        "client",
        "options",
        "body",
        "header",
        "send",
        "send_with_response",
        "send_raw",
        "send_stream",
        "stream",
        "into_parts",
    ] {
        scope.reserve(reserved);
    }
    scope
}

pub(super) fn location_word(p: &Parameter) -> &'static str {
    match p {
        Parameter::Query { .. } => "query",
        Parameter::Header { .. } => "header",
        Parameter::Path { .. } => "path",
        Parameter::Cookie { .. } => "cookie",
    }
}

/// A method name for an operation without an operationId: `GET /pets/{id}/toys` → `get_pets_by_id_toys`.
pub(super) fn derived_name(method: &str, path: &str) -> String {
    let mut words = vec![method.to_string()];
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(param) = seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            words.push(format!("by_{param}"));
        } else {
            words.push(seg.to_string());
        }
    }
    naming::snake_ident(&words.join("_"), "op")
}

/// A required string path parameter for a placeholder the document does not declare.
fn undeclared_path_parameter(name: &str) -> Parameter {
    let schema = openapiv3::Schema {
        schema_data: Default::default(),
        schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(Default::default())),
    };
    Parameter::Path {
        parameter_data: openapiv3::ParameterData {
            name: name.to_string(),
            description: None,
            required: true,
            deprecated: None,
            format: ParameterSchemaOrContent::Schema(openapiv3::ReferenceOr::Item(schema)),
            example: None,
            examples: Default::default(),
            explode: None,
            extensions: Default::default(),
        },
        style: openapiv3::PathStyle::Simple,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_params_in_order() {
        assert_eq!(template_params("/a/{x}/b/{y}"), vec!["x", "y"]);
        assert!(template_params("/plain").is_empty());
    }

    #[test]
    fn derived_names_read_like_the_path() {
        assert_eq!(
            derived_name("get", "/pets/{petId}/toys"),
            "get_pets_by_pet_id_toys"
        );
        assert_eq!(derived_name("post", "/"), "post");
    }
}
