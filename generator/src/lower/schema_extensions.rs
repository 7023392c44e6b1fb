//! The schema-level `x-cloudgen-*` keys: codecs (`yes-no`, `string-number`,
//! `datetime-format`), wrapped lists, validation rules and exclusive properties.

use openapiv3::Schema;
use serde_json::Value;

use super::schema::{norm, SRef, KNOWN_RULES};
use super::Lowerer;
use crate::diagnostics::{pointer_join, DiagnosticKind};
use crate::ir::{Doc, Field, Presence, Prim, TypeId, TypeKind, TypeRef, UnionVariant};
use crate::naming::{self, Scope};

impl Lowerer<'_> {
    /// `x-cloudgen-validate`: a named rule a string newtype's values must pass.
    pub(super) fn validation_rule(
        &mut self,
        s: &Schema,
        pointer: &str,
        t: &TypeRef,
    ) -> Option<String> {
        let v = s.schema_data.extensions.get("x-cloudgen-validate")?;
        let at = pointer_join(pointer, "x-cloudgen-validate");
        match v.as_str() {
            Some(rule) if KNOWN_RULES.contains(&rule) => {
                if *t == TypeRef::Prim(Prim::String) {
                    Some(rule.to_string())
                } else {
                    self.error(
                        DiagnosticKind::BadExtension,
                        &at,
                        "`x-cloudgen-validate` applies to named string schemas only",
                        "put it on a component schema of `type: string`",
                    );
                    None
                }
            }
            _ => {
                self.error(
                    DiagnosticKind::BadExtension,
                    &at,
                    format!("unknown validation rule {v}"),
                    format!("use one of: {}", KNOWN_RULES.join(", ")),
                );
                None
            }
        }
    }

    /// `x-cloudgen-exclusive`: exactly one of some optional properties is set. They
    /// become one flattened enum field (reusing an identical single-key `oneOf` type).
    pub(super) fn exclusive(
        &mut self,
        s: &Schema,
        pointer: &str,
        hint: &str,
        fields: &mut Vec<Field>,
        scope: &mut Scope,
    ) {
        let Some(v) = s.schema_data.extensions.get("x-cloudgen-exclusive") else {
            return;
        };
        let at = pointer_join(pointer, "x-cloudgen-exclusive");
        let names: Vec<String> = v
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if names.len() < 2 {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                "`x-cloudgen-exclusive` needs a list of two or more property names",
                "write e.g. `x-cloudgen-exclusive: [uuid, name]`",
            );
            return;
        }
        let mut variants = Vec::new();
        let mut vscope = Scope::new();
        for name in &names {
            let Some(pos) = fields
                .iter()
                .position(|f| &f.wire_name == name && !f.flatten)
            else {
                self.error(DiagnosticKind::BadExtension, &at, format!("`x-cloudgen-exclusive` names `{name}`, which is not a property of this object"), "list property names of this schema");
                return;
            };
            let f = &fields[pos];
            variants.push(UnionVariant {
                rust_name: vscope.unique(&naming::pascal_ident(name, "Variant")),
                tag_values: vec![name.clone()],
                ty: f.ty.clone(),
                boxed: false,
            });
        }
        fields.retain(|f| !names.contains(&f.wire_name) || f.flatten);
        let same = |kind: &TypeKind| match kind {
            TypeKind::SingleKey { variants: other } => {
                other.len() == variants.len()
                    && other
                        .iter()
                        .zip(&variants)
                        .all(|(a, b)| a.tag_values == b.tag_values && a.ty == b.ty)
            }
            _ => false,
        };
        let id = match self.types.iter().position(|t| same(&t.kind)) {
            Some(i) => TypeId(i),
            None => {
                let doc = Doc {
                    summary: Some(format!(
                        "Exactly one of {}.",
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                    ..Doc::default()
                };
                let id = self.new_type(&format!("{hint}Ref"), pointer, doc);
                self.types[id.0].kind = TypeKind::SingleKey { variants };
                id
            }
        };
        let rust_name = scope.unique("reference");
        fields.insert(
            0,
            Field {
                rust_name,
                wire_name: String::new(),
                ty: TypeRef::Named(id),
                required: true,
                nullable: false,
                presence: Presence::Required,
                boxed: false,
                flatten: true,
                doc: Doc {
                    summary: Some(format!("Which object: by {}.", names.join(" or by "))),
                    ..Doc::default()
                },
            },
        );
    }

    /// `x-cloudgen-datetime-format`.
    pub(super) fn formatted_datetime(&mut self, s: &Schema, pointer: &str) -> Option<TypeRef> {
        let v = s.schema_data.extensions.get("x-cloudgen-datetime-format")?;
        match v.as_str() {
            Some(f) if !f.is_empty() && f.contains('%') => {
                Some(TypeRef::FormattedDateTime(f.to_string()))
            }
            _ => {
                self.error(
                    DiagnosticKind::BadExtension,
                    &pointer_join(pointer, "x-cloudgen-datetime-format"),
                    format!("`x-cloudgen-datetime-format` must be a strftime pattern, found {v}"),
                    "write e.g. `x-cloudgen-datetime-format: \"%Y-%m-%d %H:%M:%S\"`",
                );
                None
            }
        }
    }

    /// `x-cloudgen-empty-as-absent`: whether `""` on the wire means "no value".
    pub(super) fn empty_as_absent(&mut self, s: &Schema, pointer: &str) -> bool {
        let Some(v) = s.schema_data.extensions.get("x-cloudgen-empty-as-absent") else {
            return false;
        };
        if v == &Value::Bool(true) {
            return true;
        }
        if v != &Value::Bool(false) {
            self.error(
                DiagnosticKind::BadExtension,
                &pointer_join(pointer, "x-cloudgen-empty-as-absent"),
                format!("`x-cloudgen-empty-as-absent` must be `true`, found {v}"),
                "write `x-cloudgen-empty-as-absent: true` or remove the key",
            );
        }
        false
    }

    /// `x-cloudgen-secret`: `true` makes a plain string a secret (`rt::Secret`), `false` keeps
    /// a `format: password` string a plain `String`. `t` is the schema's type without it.
    pub(super) fn mark_secret(&mut self, s: &Schema, pointer: &str, t: TypeRef) -> TypeRef {
        let Some(v) = s.schema_data.extensions.get("x-cloudgen-secret") else {
            return t;
        };
        let at = pointer_join(pointer, "x-cloudgen-secret");
        match (v, &t) {
            (Value::Bool(true), TypeRef::Prim(Prim::String | Prim::Secret)) => {
                TypeRef::Prim(Prim::Secret)
            }
            (Value::Bool(false), TypeRef::Prim(Prim::Secret)) => TypeRef::Prim(Prim::String),
            (Value::Bool(false), _) => t,
            (Value::Bool(true), _) => {
                self.error(
                    DiagnosticKind::BadExtension,
                    &at,
                    "`x-cloudgen-secret` applies to plain `type: string` schemas only",
                    "put it on a string without a format or codec; for a list of secrets, on its `items`",
                );
                t
            }
            _ => {
                self.error(
                    DiagnosticKind::BadExtension,
                    &at,
                    format!("`x-cloudgen-secret` must be `true` or `false`, found {v}"),
                    "write `x-cloudgen-secret: true` or remove the key",
                );
                t
            }
        }
    }

    /// `x-cloudgen-secret` on a schema that becomes a named structured type (an object, a
    /// union, an enum): refused, since only a plain string can be a secret.
    pub(super) fn refuse_structured_secret(&mut self, s: &Schema, pointer: &str) {
        if s.schema_data.extensions.contains_key("x-cloudgen-secret") {
            self.error(
                DiagnosticKind::BadExtension,
                &pointer_join(pointer, "x-cloudgen-secret"),
                "`x-cloudgen-secret` applies to plain `type: string` schemas only, not to objects, unions or enums",
                "put it on the string properties that hold the secrets",
            );
        }
    }

    /// `x-cloudgen-yes-no`, `x-cloudgen-bool-string` and `x-cloudgen-string-number`.
    pub(super) fn codec_prim(&mut self, s: &Schema, pointer: &str) -> Option<Prim> {
        let ext = &s.schema_data.extensions;
        if let Some(v) = ext.get("x-cloudgen-yes-no") {
            if v == &Value::Bool(true) {
                return Some(Prim::YesNo);
            }
            self.error(
                DiagnosticKind::BadExtension,
                &pointer_join(pointer, "x-cloudgen-yes-no"),
                format!("`x-cloudgen-yes-no` must be `true`, found {v}"),
                "write `x-cloudgen-yes-no: true` or remove the key",
            );
        }
        if let Some(v) = ext.get("x-cloudgen-bool-string") {
            if v == &Value::Bool(true) {
                return Some(Prim::BoolString);
            }
            self.error(
                DiagnosticKind::BadExtension,
                &pointer_join(pointer, "x-cloudgen-bool-string"),
                format!("`x-cloudgen-bool-string` must be `true`, found {v}"),
                "write `x-cloudgen-bool-string: true` or remove the key",
            );
        }
        if let Some(v) = ext.get("x-cloudgen-string-number") {
            match v.as_str() {
                Some("integer") => return Some(Prim::StringI64),
                Some("number") => return Some(Prim::StringF64),
                _ => self.error(
                    DiagnosticKind::BadExtension,
                    &pointer_join(pointer, "x-cloudgen-string-number"),
                    format!("`x-cloudgen-string-number` must be `integer` or `number`, found {v}"),
                    "write `x-cloudgen-string-number: integer` (or `number`)",
                ),
            }
        }
        None
    }

    /// `x-cloudgen-wrapped-list`.
    pub(super) fn wrapped_list(
        &mut self,
        s: &Schema,
        pointer: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        let v = s.schema_data.extensions.get("x-cloudgen-wrapped-list")?;
        let at = pointer_join(pointer, "x-cloudgen-wrapped-list");
        let Some(key) = v.as_str() else {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                format!("`x-cloudgen-wrapped-list` must name the list property, found {v}"),
                "write `x-cloudgen-wrapped-list: <property>`",
            );
            return None;
        };
        let n = norm(s);
        let Some((_, prop)) = n.properties.iter().find(|(k, _)| k == key) else {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                format!("`x-cloudgen-wrapped-list: {key}` names no property of this object"),
                "name the single array property that holds the list",
            );
            return None;
        };
        let prop_pointer = format!(
            "{}/{}",
            pointer_join(pointer, "properties"),
            crate::diagnostics::escape_pointer_token(key)
        );
        let items = match prop {
            SRef::Item(p) => norm(p).items,
            SRef::Ref(r) => {
                let r = r.clone();
                self.resolve_schema(&r, &prop_pointer)
                    .and_then(|(p, _)| norm(&p).items)
            }
        };
        let Some(items) = items else {
            self.error(
                DiagnosticKind::BadExtension,
                &at,
                format!("property `{key}` of a wrapped list must be an array with `items`"),
                "make the property `type: array` with `items`",
            );
            return None;
        };
        let item = self.lower_schema(
            &items,
            &format!("{prop_pointer}/items"),
            &format!("{hint}Item"),
        );
        Some(TypeRef::WrappedList {
            key: key.to_string(),
            item: Box::new(item),
        })
    }
}
