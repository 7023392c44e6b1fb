//! The operation-level `x-cloudgen-*` keys: error codes, split operations,
//! envelopes, pagination and waiters.

use openapiv3::{Operation, ReferenceOr, Response, StatusCode};
use serde_json::Value;

use super::operation::is_json;
use super::schema::SRef;
use super::Lowerer;
use crate::diagnostics::{escape_pointer_token, pointer_join, DiagnosticKind};
use crate::ir::{
    Doc, EnvelopeIr, ErrorCodeIr, ItemErrorCodeIr, OperationIr, PaginationIr, ParamIr,
    ParamLocation, ResponseIr, TypeRef,
};
use crate::naming::{self, Scope};

impl Lowerer<'_> {
    /// `x-cloudgen-waiter`: `{name, field}`; the field's type comes from the success type.
    pub(super) fn waiter(
        &mut self,
        op: &Operation,
        pointer: &str,
        responses: &[ResponseIr],
    ) -> Option<crate::ir::WaiterIr> {
        let v = op.extensions.get("x-cloudgen-waiter")?;
        let at = pointer_join(pointer, "x-cloudgen-waiter");
        let get = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let (Some(name), Some(field)) = (get("name"), get("field")) else {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                "`x-cloudgen-waiter` needs `name` and `field`",
                "write e.g. `{name: waitForServerState, field: /state}`",
            );
            return None;
        };
        let successes: Vec<&ResponseIr> = responses.iter().filter(|r| r.success).collect();
        let [success] = successes.as_slice() else {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                "a waiter needs an operation with exactly one success response",
                "document one 2xx response",
            );
            return None;
        };
        let mut ty = success.ty.clone();
        for token in field.split('/').skip(1) {
            let next = match &ty {
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    crate::ir::TypeKind::Struct { fields, .. } => fields
                        .iter()
                        .find(|f| f.wire_name == token)
                        .map(|f| f.ty.clone()),
                    _ => None,
                },
                _ => None,
            };
            let Some(next) = next else {
                self.error(
                    DiagnosticKind::BadExtension,
                    &at,
                    format!("`field: {field}` names no field of the operation's result"),
                    "give a JSON pointer that follows the result's properties, like /state",
                );
                return None;
            };
            ty = next;
        }
        Some(crate::ir::WaiterIr {
            name: naming::snake_ident(&name, "wait"),
            field,
            ty,
        })
    }

    /// `x-cloudgen-envelope`: root pointers plus the operation's `items`.
    pub(super) fn envelope(
        &mut self,
        op: &Operation,
        pointer: &str,
        responses: &[ResponseIr],
        stem: &str,
    ) -> Option<EnvelopeIr> {
        let local = op.extensions.get("x-cloudgen-envelope")?;
        let at = pointer_join(pointer, "x-cloudgen-envelope");
        let root = self
            .doc
            .openapi
            .extensions
            .get("x-cloudgen-envelope")
            .cloned()
            .unwrap_or(Value::Null);
        let get = |k: &str| {
            local
                .get(k)
                .or_else(|| root.get(k))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        let Some(items) = get("items") else {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                "`x-cloudgen-envelope` needs `items`, the pointer of the per-object results",
                "add e.g. `items: /data/instances`",
            );
            return None;
        };
        let item = self.success_array_item(op, pointer, &items, &at, &format!("{stem}Item"))?;
        let _ = responses;
        let single = match local.get("single") {
            None => false,
            Some(Value::Bool(single)) => *single,
            Some(other) => {
                self.error(
                    DiagnosticKind::BadExtension,
                    &pointer_join(&at, "single"),
                    format!("`single` must be true or false, found {other}"),
                    "write `single: true` on operations that name one object in their path",
                );
                false
            }
        };
        Some(EnvelopeIr {
            status: get("status").unwrap_or_default(),
            message: get("message").unwrap_or_default(),
            errors: get("errors").unwrap_or_default(),
            object: get("object").unwrap_or_else(|| object_of_items(&items)),
            items,
            item,
            single,
        })
    }

    /// `codes` of the root `x-cloudgen-envelope`: the numeric item error codes the API
    /// documents, each `{code, name, meaning}`.
    pub(super) fn item_error_codes(&mut self) -> Vec<ItemErrorCodeIr> {
        let at = "/x-cloudgen-envelope/codes";
        let Some(codes) = self.doc.raw.pointer(at).cloned() else {
            return Vec::new();
        };
        let Some(codes) = codes.as_array() else {
            self.error(
                DiagnosticKind::BadExtension,
                at,
                "`codes` must be a list of `{code, name, meaning}`",
                "write e.g. `codes: [{code: 8, name: not-found, meaning: object not found}]`",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (index, entry) in codes.iter().enumerate() {
            let code = entry.get("code").and_then(Value::as_i64);
            let name = entry.get("name").and_then(Value::as_str);
            let meaning = entry.get("meaning").and_then(Value::as_str);
            match (code, name, meaning) {
                (Some(code), Some(name), Some(meaning)) => out.push(ItemErrorCodeIr {
                    code,
                    const_name: naming::snake_ident(name, "code")
                        .trim_start_matches("r#")
                        .to_uppercase(),
                    meaning: meaning.to_owned(),
                }),
                _ => self.error(
                    DiagnosticKind::BadExtension,
                    &format!("{at}/{index}"),
                    "an entry of `codes` needs a numeric `code`, a `name` and a `meaning`",
                    "write e.g. `{code: 8, name: not-found, meaning: object not found}`",
                ),
            }
        }
        out
    }

    /// The item type of the array at the instance pointer `items` inside the
    /// operation's success response schema (for envelopes and pages).
    pub(super) fn success_array_item(
        &mut self,
        op: &Operation,
        pointer: &str,
        items: &str,
        at: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        let success = op
            .responses
            .responses
            .iter()
            .find(|(code, _)| matches!(code, StatusCode::Code(200..=299)));
        let schema = success.and_then(|(code, r)| {
            let (r, rp) = match r {
                ReferenceOr::Item(r) => (r.clone(), format!("{pointer}/responses/{code}")),
                ReferenceOr::Reference { reference } => {
                    let reference = reference.clone();
                    self.resolve_component::<Response>(&reference, pointer, "response")?
                }
            };
            let (media, mt) = r.content.iter().find(|(m, _)| is_json(m))?;
            Some((
                SRef::from(mt.schema.as_ref()?),
                format!("{rp}/content/{}/schema", escape_pointer_token(media)),
            ))
        });
        match schema.and_then(|(s, p)| self.schema_at(&s, items, &p)) {
            Some((array, array_pointer)) => {
                match self.lower_schema(&array, &array_pointer, hint) {
                    TypeRef::Vec(item) => Some(*item),
                    TypeRef::Option(inner) => match *inner {
                        TypeRef::Vec(item) => Some(*item),
                        _ => None,
                    },
                    _ => {
                        self.error(DiagnosticKind::BadExtension, at, format!("`items: {items}` does not point at an array in the success response"), "point `items` at the array");
                        None
                    }
                }
            }
            None => {
                self.error(
                    DiagnosticKind::BadExtension,
                    at,
                    format!("`items: {items}` names nothing in the success response schema"),
                    "point `items` at the array inside the 2xx response, e.g. /data/instances",
                );
                None
            }
        }
    }

    /// `x-cloudgen-pagination`: the page parameter, where items and links are.
    pub(super) fn pagination(
        &mut self,
        op: &Operation,
        pointer: &str,
        params: &[ParamIr],
        responses: &[ResponseIr],
    ) -> Option<PaginationIr> {
        let v = op.extensions.get("x-cloudgen-pagination")?;
        let at = pointer_join(pointer, "x-cloudgen-pagination");
        let get = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let (Some(page), Some(items), Some(links)) =
            (get("page-param"), get("items"), get("next-link"))
        else {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                "`x-cloudgen-pagination` needs `page-param`, `items` and `next-link`",
                "see specs/EXTENSIONS.md for the shape",
            );
            return None;
        };
        let Some(param) = params
            .iter()
            .find(|p| p.wire_name == page && p.location == ParamLocation::Query)
        else {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                format!("`page-param: {page}` is not a query parameter of this operation"),
                "name the page-number query parameter",
            );
            return None;
        };
        if !matches!(
            param.ty,
            TypeRef::Prim(crate::ir::Prim::I32 | crate::ir::Prim::I64)
        ) {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                format!("page parameter `{page}` must be an integer"),
                "make the page parameter `type: integer`",
            );
            return None;
        }
        let _ = responses;
        let item = self.success_array_item(
            op,
            pointer,
            &items,
            &at,
            &format!("{}Item", naming::pascal_ident(&param.rust_name, "Page")),
        )?;
        Some(PaginationIr {
            page_param: param.rust_name.clone(),
            page_ty: param.ty.clone(),
            items,
            links,
            item,
        })
    }

    /// `x-cloudgen-error-codes`: the provider codes an operation documents.
    pub(super) fn error_codes(&mut self, op: &Operation, pointer: &str) -> Vec<ErrorCodeIr> {
        let Some(v) = op.extensions.get("x-cloudgen-error-codes") else {
            return Vec::new();
        };
        let at = pointer_join(pointer, "x-cloudgen-error-codes");
        let Some(list) = v.as_array() else {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                "`x-cloudgen-error-codes` must be a list",
                "write a list of `{code, status, description}` entries",
            );
            return Vec::new();
        };
        if self
            .doc
            .openapi
            .extensions
            .get("x-cloudgen-error-code-field")
            .is_none()
        {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                "`x-cloudgen-error-codes` needs `x-cloudgen-error-code-field` at the document root",
                "add e.g. `x-cloudgen-error-code-field: /error/error_code` at the top level",
            );
        }
        let mut scope = Scope::new();
        scope.reserve("Unknown");
        let mut out: Vec<ErrorCodeIr> = Vec::new();
        for (i, entry) in list.iter().enumerate() {
            let Some(code) = entry.get("code").and_then(Value::as_str) else {
                self.error(
                    DiagnosticKind::BadExtension,
                    &format!("{at}/{i}"),
                    "an error code entry has no `code` string",
                    "write `{code: NAME, status: 404, description: ...}`",
                );
                continue;
            };
            if out.iter().any(|c| c.code == code) {
                continue;
            }
            out.push(ErrorCodeIr {
                code: code.to_string(),
                rust_name: scope.unique(&naming::pascal_ident(code, "Code")),
                status: entry
                    .get("status")
                    .and_then(Value::as_u64)
                    .and_then(|s| u16::try_from(s).ok()),
                description: entry
                    .get("description")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            });
        }
        out
    }

    /// `x-cloudgen-split-by` / `x-cloudgen-split-untagged`: one operation per body variant.
    pub(super) fn split_operation(
        &mut self,
        lowered: OperationIr,
        op: &Operation,
        names: &mut Scope,
    ) -> Vec<OperationIr> {
        let by = op.extensions.get("x-cloudgen-split-by");
        let untagged = op.extensions.get("x-cloudgen-split-untagged") == Some(&Value::Bool(true));
        if by.is_none() && !untagged {
            return vec![lowered];
        }
        let at = pointer_join(
            &lowered.pointer,
            if untagged {
                "x-cloudgen-split-untagged"
            } else {
                "x-cloudgen-split-by"
            },
        );
        let variants = match lowered.body.as_ref().map(|b| &b.ty) {
            Some(TypeRef::Named(id)) => match &self.types[id.0].kind {
                crate::ir::TypeKind::Tagged { variants, .. }
                | crate::ir::TypeKind::Untagged { variants } => variants.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        if variants.is_empty() {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                "a split operation needs a request body that is a `oneOf` of `$ref`s",
                "make the JSON request body a oneOf whose variants are component schemas",
            );
            return vec![lowered];
        }
        let mut out = Vec::new();
        for v in variants {
            let TypeRef::Named(id) = v.ty else {
                self.error(
                    DiagnosticKind::BadExtension,
                    &at,
                    format!(
                        "variant `{}` of a split operation is not a component schema",
                        v.rust_name
                    ),
                    "make each variant a `$ref` to a component schema",
                );
                continue;
            };
            let def = &self.types[id.0];
            let component = self
                .components
                .iter()
                .find(|(_, t)| **t == id)
                .map(|(name, _)| name.clone());
            let schema = component
                .as_ref()
                .and_then(|c| {
                    self.doc
                        .openapi
                        .components
                        .as_ref()
                        .and_then(|comps| comps.schemas.get(c))
                })
                .and_then(|s| s.as_item())
                .cloned();
            let ext_name = schema
                .as_ref()
                .and_then(|s| s.schema_data.extensions.get("x-cloudgen-operation-id"))
                .and_then(Value::as_str)
                .map(str::to_string);
            let Some(method) = ext_name else {
                self.error(
                    DiagnosticKind::BadExtension,
                    &def.pointer.clone(),
                    format!(
                        "variant `{}` of a split operation has no `x-cloudgen-operation-id`",
                        def.name
                    ),
                    "name the variant's method with `x-cloudgen-operation-id: camelCaseName`",
                );
                continue;
            };
            if !matches!(def.kind, crate::ir::TypeKind::Struct { .. }) {
                self.error(
                    DiagnosticKind::BadExtension,
                    &def.pointer.clone(),
                    format!(
                        "variant `{}` of a split operation is not an object",
                        def.name
                    ),
                    "make each variant an object schema",
                );
                continue;
            }
            let name = names.unique(&naming::snake_ident(&method, "op"));
            let mut split = lowered.clone();
            split.type_stem = naming::pascal_ident(&name, "Op");
            split.name = name;
            split.doc = Doc {
                summary: schema
                    .as_ref()
                    .and_then(|s| s.schema_data.title.clone())
                    .or_else(|| lowered.doc.summary.clone()),
                description: schema
                    .as_ref()
                    .and_then(|s| s.schema_data.description.clone()),
                example: None,
                default: None,
                deprecated: lowered.doc.deprecated
                    || schema.as_ref().is_some_and(|s| s.schema_data.deprecated),
            };
            if let Some(body) = split.body.as_mut() {
                body.ty = TypeRef::Named(id);
                body.expand = true;
                body.required = true;
            }
            out.push(split);
        }
        out
    }
}

/// What one object of an envelope is, from the last segment of its items pointer in the
/// singular: `/data/instances` is "instance", `/data/service_groups` "service group",
/// `/data/policies` "policy".
fn object_of_items(items: &str) -> String {
    let last = items
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .replace('_', " ");
    if let Some(stem) = last.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = last.strip_suffix('s') {
        stem.to_owned()
    } else {
        last
    }
}
