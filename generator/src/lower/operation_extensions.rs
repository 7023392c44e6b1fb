//! The operation-level `x-cloudgen-*` keys: error codes, split operations,
//! envelopes, pagination and waiters.

use openapiv3::{Operation, ReferenceOr, Response, StatusCode};

use super::extensions;
use super::names::Named;
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
        let waiter = self.ext(&extensions::WAITER, &op.extensions, pointer)?;
        let at = pointer_join(pointer, extensions::WAITER.key);
        let (name, field) = (waiter.name, waiter.field.0);
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
        let local = self.ext(&extensions::ENVELOPE, &op.extensions, pointer)?;
        let at = pointer_join(pointer, extensions::ENVELOPE.key);
        let root = extensions::ROOT_ENVELOPE
            .peek(&self.doc.openapi.extensions)
            .unwrap_or_default();
        let pick = |local: Option<extensions::JsonPointer>,
                    root: Option<extensions::JsonPointer>| {
            local.or(root).map(|p| p.0)
        };
        let Some(items) = pick(local.items, root.items) else {
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
        Some(EnvelopeIr {
            status: pick(local.status, root.status).unwrap_or_default(),
            message: pick(local.message, root.message).unwrap_or_default(),
            errors: pick(local.errors, root.errors).unwrap_or_default(),
            object: local
                .object
                .or(root.object)
                .unwrap_or_else(|| object_of_items(&items)),
            items,
            item,
            single: local.single,
        })
    }

    /// The root `x-cloudgen-envelope`, read once for its shape, and its `codes`: the numeric
    /// item error codes the API documents, each `{code, name, meaning}`.
    pub(super) fn item_error_codes(&mut self) -> Vec<ItemErrorCodeIr> {
        let doc = self.doc;
        let root = self.ext(&extensions::ROOT_ENVELOPE, &doc.openapi.extensions, "");
        root.map(|r| r.codes)
            .unwrap_or_default()
            .into_iter()
            .map(|entry| ItemErrorCodeIr {
                code: entry.code,
                const_name: naming::snake_ident(&entry.name, "code")
                    .trim_start_matches("r#")
                    .to_uppercase(),
                meaning: entry.meaning,
            })
            .collect()
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
        let pagination = self.ext(&extensions::PAGINATION, &op.extensions, pointer)?;
        let at = pointer_join(pointer, extensions::PAGINATION.key);
        let (page, items, links) = (
            pagination.page_param,
            pagination.items.0,
            pagination.next_link.0,
        );
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
        let Some(list) = self.ext(&extensions::ERROR_CODES, &op.extensions, pointer) else {
            return Vec::new();
        };
        let at = pointer_join(pointer, extensions::ERROR_CODES.key);
        if self
            .doc
            .openapi
            .extensions
            .get(extensions::ERROR_CODE_FIELD.key)
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
        for entry in list {
            if out.iter().any(|c| c.code == entry.code) {
                continue;
            }
            out.push(ErrorCodeIr {
                rust_name: scope.unique(&naming::pascal_ident(&entry.code, "Code")),
                code: entry.code,
                status: entry.status,
                description: entry.description,
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
        let by = self.ext(&extensions::SPLIT_BY, &op.extensions, &lowered.pointer);
        let untagged = self
            .ext(
                &extensions::SPLIT_UNTAGGED,
                &op.extensions,
                &lowered.pointer,
            )
            .unwrap_or(false);
        if by.is_none() && !untagged {
            return vec![lowered];
        }
        let at = pointer_join(
            &lowered.pointer,
            if untagged {
                extensions::SPLIT_UNTAGGED.key
            } else {
                extensions::SPLIT_BY.key
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
            let def_pointer = def.pointer.clone();
            let ext_name = schema.as_ref().and_then(|s| {
                self.ext(
                    &extensions::OPERATION_ID,
                    &s.schema_data.extensions,
                    &def_pointer,
                )
            });
            let def = &self.types[id.0];
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
            let at = pointer_join(&def_pointer, extensions::OPERATION_ID.key);
            let base = naming::snake_ident(&method, "op");
            let name = self.claim_name(names, &base, Named::SplitVariant, &method, &at);
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
