//! The schema-level `x-cloudgen-*` keys: codecs (`yes-no`, `string-number`,
//! `datetime-format`), wrapped lists, validation rules and exclusive properties.

use openapiv3::Schema;

use super::extensions::{self, StringNumber};
use super::schema::{norm, SRef};
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
        let rule = self.ext(&extensions::VALIDATE, &s.schema_data.extensions, pointer)?;
        if *t == TypeRef::Prim(Prim::String) {
            return Some(rule.0);
        }
        self.error(
            DiagnosticKind::BadExtension,
            &pointer_join(pointer, extensions::VALIDATE.key),
            "`x-cloudgen-validate` applies to named string schemas only",
            "put it on a component schema of `type: string`",
        );
        None
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
        let Some(names) = self.ext(&extensions::EXCLUSIVE, &s.schema_data.extensions, pointer)
        else {
            return;
        };
        let names = names.0;
        let at = pointer_join(pointer, extensions::EXCLUSIVE.key);
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
                optional: false,
            },
        );
    }

    /// `x-cloudgen-datetime-format`.
    pub(super) fn formatted_datetime(&mut self, s: &Schema, pointer: &str) -> Option<TypeRef> {
        let ext = &s.schema_data.extensions;
        let format = self.ext(&extensions::DATETIME_FORMAT, ext, pointer)?;
        Some(TypeRef::FormattedDateTime(format.0))
    }

    /// `x-cloudgen-empty-as-absent`: whether `""` on the wire means "no value".
    pub(super) fn empty_as_absent(&mut self, s: &Schema, pointer: &str) -> bool {
        let ext = &s.schema_data.extensions;
        self.ext(&extensions::EMPTY_AS_ABSENT, ext, pointer)
            .unwrap_or(false)
    }

    /// `x-cloudgen-secret`: `true` makes a plain string a secret (`rt::Secret`), `false` keeps
    /// a `format: password` string a plain `String`. `t` is the schema's type without it.
    pub(super) fn mark_secret(&mut self, s: &Schema, pointer: &str, t: TypeRef) -> TypeRef {
        let Some(secret) = self.ext(&extensions::SECRET, &s.schema_data.extensions, pointer) else {
            return t;
        };
        match (secret, &t) {
            (true, TypeRef::Prim(Prim::String | Prim::Secret)) => TypeRef::Prim(Prim::Secret),
            (false, TypeRef::Prim(Prim::Secret)) => TypeRef::Prim(Prim::String),
            (false, _) => t,
            (true, _) => {
                self.error(
                    DiagnosticKind::BadExtension,
                    &pointer_join(pointer, extensions::SECRET.key),
                    "`x-cloudgen-secret` applies to plain `type: string` schemas only",
                    "put it on a string without a format or codec; for a list of secrets, on its `items`",
                );
                t
            }
        }
    }

    /// `x-cloudgen-secret` on a schema that becomes a named structured type (an object, a
    /// union, an enum): refused, since only a plain string can be a secret.
    pub(super) fn refuse_structured_secret(&mut self, s: &Schema, pointer: &str) {
        if s.schema_data
            .extensions
            .contains_key(extensions::SECRET.key)
        {
            self.error(
                DiagnosticKind::BadExtension,
                &pointer_join(pointer, extensions::SECRET.key),
                "`x-cloudgen-secret` applies to plain `type: string` schemas only, not to objects, unions or enums",
                "put it on the string properties that hold the secrets",
            );
        }
    }

    /// `x-cloudgen-yes-no`, `x-cloudgen-bool-string` and `x-cloudgen-string-number`.
    pub(super) fn codec_prim(&mut self, s: &Schema, pointer: &str) -> Option<Prim> {
        let ext = &s.schema_data.extensions;
        if self.ext(&extensions::YES_NO, ext, pointer).is_some() {
            return Some(Prim::YesNo);
        }
        if self.ext(&extensions::BOOL_STRING, ext, pointer).is_some() {
            return Some(Prim::BoolString);
        }
        match self.ext(&extensions::STRING_NUMBER, ext, pointer)? {
            StringNumber::Integer => Some(Prim::StringI64),
            StringNumber::Number => Some(Prim::StringF64),
        }
    }

    /// `x-cloudgen-wrapped-list`.
    pub(super) fn wrapped_list(
        &mut self,
        s: &Schema,
        pointer: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        let key = self.ext(
            &extensions::WRAPPED_LIST,
            &s.schema_data.extensions,
            pointer,
        )?;
        let key = key.as_str();
        let at = pointer_join(pointer, extensions::WRAPPED_LIST.key);
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
