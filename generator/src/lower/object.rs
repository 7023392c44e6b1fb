//! Objects: properties, `additionalProperties` and merged `allOf` parts.

use openapiv3::AdditionalProperties;
use serde_json::Value;

use super::names::Named;
use super::schema::{doc_of, norm, Norm, SRef};
use super::Lowerer;
use crate::diagnostics::{did_you_mean, pointer_join, DiagnosticKind};
use crate::ir::{Doc, Field, Presence, TypeKind, TypeRef};
use crate::naming::{self, Scope};

impl Lowerer<'_> {
    pub(super) fn additional(&mut self, n: &Norm, pointer: &str, hint: &str) -> Option<TypeRef> {
        match &n.additional {
            Some(AdditionalProperties::Schema(ap)) => {
                let ap: SRef = ap.as_ref().into();
                Some(self.lower_schema(
                    &ap,
                    &format!("{pointer}/additionalProperties"),
                    &format!("{hint}Value"),
                ))
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Value),
            _ => None,
        }
    }

    pub(super) fn object_fields(
        &mut self,
        n: &Norm,
        pointer: &str,
        hint: &str,
        scope: &mut Scope,
        fields: &mut Vec<Field>,
    ) {
        // A required name without a property is legal JSON Schema but usually a typo:
        // say so, with the closest property name.
        let raw = self.doc.raw.pointer(pointer);
        let raw_required = raw
            .and_then(|s| s.get("required"))
            .and_then(Value::as_array);
        for name in &n.required {
            if !n.properties.iter().any(|(k, _)| k == name) && n.all_of.is_empty() {
                let at = match raw_required
                    .and_then(|r| r.iter().position(|v| v.as_str() == Some(name.as_str())))
                {
                    Some(i) => format!("{}/{i}", pointer_join(pointer, "required")),
                    None => pointer_join(pointer, "required"),
                };
                let names = n.properties.iter().map(|(k, _)| k.as_str());
                let hint = match did_you_mean(name, names) {
                    Some(close) => format!(
                        "did you mean `{close}`? Otherwise add `{name}` under `properties`, or remove it from `required`"
                    ),
                    None => format!("add `{name}` under `properties`, or remove it from `required`"),
                };
                let message =
                    format!("`required` lists `{name}`, which is not a property of this object");
                // JSON Schema allows `required` names without a property, and real specs
                // (GitHub's, for one) have them: a warning, never a refusal.
                self.warn(DiagnosticKind::RequiredNotDefined, &at, message, hint);
            }
        }
        for (name, prop) in &n.properties {
            let p = format!(
                "{}/{}",
                pointer_join(pointer, "properties"),
                crate::diagnostics::escape_pointer_token(name)
            );
            let field_hint = format!("{hint}{}", naming::pascal_ident(name, "Field"));
            let ty = self.lower_schema(prop, &p, &field_hint);
            let (ty, nullable) = match ty {
                TypeRef::Option(inner) => (*inner, true),
                other => (other, false),
            };
            let doc = match prop {
                SRef::Item(s) => doc_of(&s.schema_data, None),
                SRef::Ref(_) => Doc::default(),
            };
            let source = self.chosen_name(&p).unwrap_or_else(|| name.clone());
            let base = naming::snake_ident(&source, "field");
            let rust_name = self.claim_name(scope, &base, Named::Property, name, &p);
            fields.push(Field {
                rust_name,
                wire_name: name.clone(),
                ty,
                required: n.required.contains(name),
                nullable,
                presence: Presence::of(n.required.contains(name)),
                boxed: false,
                flatten: false,
                doc,
                // Decided once presence is final: see `shape::decide_types`.
                optional: false,
            });
        }
    }

    /// `allOf`: object parts merge into one struct; other parts are flattened in.
    pub(super) fn merge_all_of(&mut self, n: &Norm, pointer: &str, hint: &str) -> TypeKind {
        let mut merged = Norm {
            typ: Some("object".into()),
            format: None,
            enum_values: Vec::new(),
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
            items: None,
            one_of: Vec::new(),
            all_of: Vec::new(),
            any_of: Vec::new(),
            not: false,
        };
        let mut flatten: Vec<(SRef, String)> = Vec::new();
        let mut queue: Vec<(SRef, String)> = n
            .all_of
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), format!("{pointer}/allOf/{i}")))
            .collect();
        queue.reverse();
        let mut guard = 0;
        while let Some((part, at)) = queue.pop() {
            guard += 1;
            if guard > 512 {
                self.error(
                    DiagnosticKind::RefCycle,
                    pointer,
                    "allOf parts refer back to each other without end",
                    "remove the allOf cycle",
                );
                break;
            }
            let (schema, schema_pointer) = match &part {
                SRef::Ref(r) => match self.resolve_schema(r, &at) {
                    Some(x) => x,
                    None => continue,
                },
                SRef::Item(s) => ((**s).clone(), at.clone()),
            };
            let pn = norm(&schema);
            if !pn.all_of.is_empty() {
                for (i, p) in pn.all_of.iter().enumerate().rev() {
                    queue.push((p.clone(), format!("{schema_pointer}/allOf/{i}")));
                }
            }
            let object_like = pn.typ.as_deref() == Some("object") || !pn.properties.is_empty();
            if object_like
                || (pn.typ.is_none()
                    && pn.one_of.is_empty()
                    && pn.any_of.is_empty()
                    && pn.enum_values.is_empty())
            {
                for (k, v) in pn.properties {
                    if let Some(slot) = merged.properties.iter_mut().find(|(name, _)| *name == k) {
                        slot.1 = v;
                    } else {
                        merged.properties.push((k, v));
                    }
                }
                for r in pn.required {
                    if !merged.required.contains(&r) {
                        merged.required.push(r);
                    }
                }
                if pn.additional.is_some() {
                    merged.additional = pn.additional;
                }
            } else {
                flatten.push((part, at));
            }
        }
        // The schema's own properties override same-named ones from its parts.
        for (k, v) in &n.properties {
            if let Some(slot) = merged.properties.iter_mut().find(|(name, _)| name == k) {
                slot.1 = v.clone();
            } else {
                merged.properties.push((k.clone(), v.clone()));
            }
        }
        for r in &n.required {
            if !merged.required.contains(r) {
                merged.required.push(r.clone());
            }
        }
        let mut fields = Vec::new();
        let mut scope = Scope::new();
        self.object_fields(&merged, pointer, hint, &mut scope, &mut fields);
        for (part, at) in flatten {
            let ty = self.lower_schema(&part, &at, &format!("{hint}Part"));
            let base = match &ty {
                TypeRef::Named(id) => naming::snake_ident(&self.types[id.0].name, "part"),
                _ => "part".to_string(),
            };
            if !matches!(ty, TypeRef::Named(_) | TypeRef::Map(_) | TypeRef::Value) {
                self.warn(
                    DiagnosticKind::AllofPrimitive,
                    &at,
                    "an allOf part that is not an object cannot be merged into an object; it is ignored",
                    "allOf should combine object schemas only",
                );
                continue;
            }
            fields.push(Field {
                rust_name: scope.unique(&base),
                wire_name: String::new(),
                ty,
                required: true,
                nullable: false,
                presence: Presence::Required,
                boxed: false,
                flatten: true,
                doc: Doc::default(),
                // Decided once presence is final: see `shape::decide_types`.
                optional: false,
            });
        }
        let additional = self.additional(&merged, pointer, hint);
        TypeKind::Struct { fields, additional }
    }
}
