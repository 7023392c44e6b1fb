//! `oneOf` and `anyOf`: tagged, untagged and single-property unions.

use openapiv3::{AdditionalProperties, Schema};
use serde_json::Value;

use super::schema::{component_name, norm, type_word, unescape, SRef};
use super::Lowerer;
use crate::diagnostics::{pointer_join, DiagnosticKind};
use crate::ir::{TypeKind, TypeRef, UnionVariant};
use crate::naming::{self, Scope};

impl Lowerer<'_> {
    /// `oneOf` / `anyOf`.
    pub(super) fn union(
        &mut self,
        s: &Schema,
        list: &[SRef],
        pointer: &str,
        hint: &str,
    ) -> TypeKind {
        if s.schema_data.discriminator.is_none() {
            if let Some(kind) = self.single_key_union(list, pointer, hint) {
                return kind;
            }
        }
        let mut scope = Scope::new();
        scope.reserve("Unknown");
        let mut variants = Vec::new();
        let disc = s.schema_data.discriminator.clone();
        let mut tagged = disc.is_some();
        for (i, v) in list.iter().enumerate() {
            let at = format!("{pointer}/{i}");
            let ty = self.lower_schema(v, &at, &format!("{hint}Variant{}", i + 1));
            let base = self.variant_base_name(v, &ty, i);
            let mut tag_values = Vec::new();
            if let Some(d) = &disc {
                if let SRef::Ref(r) = v {
                    let cname = component_name(r).map(unescape);
                    for (key, target) in &d.mapping {
                        if target == r || cname.as_deref() == Some(target.as_str()) {
                            tag_values.push(key.clone());
                        }
                    }
                    if tag_values.is_empty() {
                        if let Some(c) = cname {
                            tag_values.push(c);
                        }
                    }
                } else if let SRef::Item(item) = v {
                    // An inline variant names its tag through a single-valued enum.
                    let n = norm(item);
                    if let Some((_, SRef::Item(p))) =
                        n.properties.iter().find(|(k, _)| *k == d.property_name)
                    {
                        if let Some(Value::String(t)) = norm(p).enum_values.first() {
                            tag_values.push(t.clone());
                        }
                    }
                }
                if tag_values.is_empty() || !matches!(ty, TypeRef::Named(_)) {
                    tagged = false;
                }
            }
            variants.push(UnionVariant {
                rust_name: scope.unique(&naming::pascal_ident(&base, "Variant")),
                tag_values,
                ty,
                boxed: false,
            });
        }
        if disc.is_none() || !tagged {
            self.catch_alls_last(&mut variants, pointer);
        }
        match disc {
            Some(d) if tagged => TypeKind::Tagged {
                tag: d.property_name,
                variants,
            },
            Some(_) => {
                self.warn(
                    DiagnosticKind::UntaggedDiscriminator,
                    pointer,
                    "the discriminator cannot be applied (a variant is inline without a single tag value, or not an object); the variants are tried in order",
                    "make each variant a $ref to a component schema, or give it a single-valued enum for the tag",
                );
                TypeKind::Untagged { variants }
            }
            None => TypeKind::Untagged { variants },
        }
    }

    /// The name of a union variant says what it holds: the component it refers to, its
    /// `title`, the named type it is, or its item type for a list (`ServerList`).
    fn variant_base_name(&self, v: &SRef, ty: &TypeRef, index: usize) -> String {
        if let SRef::Ref(r) = v {
            if let Some(name) = component_name(r) {
                return unescape(name);
            }
        }
        if let SRef::Item(item) = v {
            if let Some(title) = item.schema_data.title.as_deref().filter(|t| !t.is_empty()) {
                return title.to_string();
            }
        }
        let word = |t: &TypeRef| match t {
            TypeRef::Named(id) => self.types[id.0].name.clone(),
            other => type_word(other).to_string(),
        };
        match ty {
            TypeRef::Named(_) if matches!(v, SRef::Item(_)) => format!("Variant{}", index + 1),
            TypeRef::Vec(item) | TypeRef::WrappedList { item, .. } => format!("{}List", word(item)),
            TypeRef::Map(item) => format!("{}Map", word(item)),
            other => word(other),
        }
    }

    /// Untagged variants are tried in order, so a variant that accepts any value would shadow
    /// every typed one after it: such catch-alls move to the end, with a warning.
    fn catch_alls_last(&mut self, variants: &mut [UnionVariant], pointer: &str) {
        fn catch_all(t: &TypeRef) -> bool {
            match t {
                TypeRef::Value => true,
                TypeRef::Option(inner) => catch_all(inner),
                _ => false,
            }
        }
        let Some(first) = variants.iter().position(|v| catch_all(&v.ty)) else {
            return;
        };
        if variants[first..].iter().all(|v| catch_all(&v.ty)) {
            return;
        }
        let names: Vec<String> = variants
            .iter()
            .filter(|v| catch_all(&v.ty))
            .map(|v| v.rust_name.clone())
            .collect();
        variants.sort_by_key(|v| catch_all(&v.ty));
        self.warn(
            DiagnosticKind::UnionCatchAll,
            pointer,
            format!(
                "variant(s) {} accept any JSON value and would shadow the typed variants after them; they are tried last",
                names.join(", ")
            ),
            "give the variant a type, or list it last",
        );
    }

    /// A `oneOf` whose variants are objects with exactly one property each, all
    /// required and all different: `{"uuid": ...}` or `{"name": ...}`. Serde's
    /// externally tagged enums have exactly this shape.
    pub(super) fn single_key_union(
        &mut self,
        list: &[SRef],
        pointer: &str,
        hint: &str,
    ) -> Option<TypeKind> {
        if list.len() < 2 {
            return None;
        }
        let mut keys: Vec<(String, SRef, String)> = Vec::new();
        for (i, v) in list.iter().enumerate() {
            let at = format!("{pointer}/{i}");
            let (schema, schema_pointer) = match v {
                SRef::Item(s) => ((**s).clone(), at),
                SRef::Ref(r) => {
                    let r = r.clone();
                    // Resolve quietly: a broken ref is reported when the variant is lowered normally.
                    let local = r.strip_prefix('#')?;
                    let value = self.ref_target(local)?;
                    (
                        serde_json::from_value::<Schema>(value.clone()).ok()?,
                        local.to_string(),
                    )
                }
            };
            let n = norm(&schema);
            if n.properties.len() != 1
                || !n.one_of.is_empty()
                || !n.all_of.is_empty()
                || !n.any_of.is_empty()
            {
                return None;
            }
            if matches!(
                n.additional,
                Some(AdditionalProperties::Schema(_)) | Some(AdditionalProperties::Any(true))
            ) {
                return None;
            }
            let (key, prop) = n.properties[0].clone();
            if n.required != vec![key.clone()] || keys.iter().any(|(k, ..)| *k == key) {
                return None;
            }
            let prop_pointer = format!(
                "{}/{}",
                pointer_join(&schema_pointer, "properties"),
                crate::diagnostics::escape_pointer_token(&key)
            );
            keys.push((key, prop, prop_pointer));
        }
        let mut scope = Scope::new();
        let mut variants = Vec::new();
        for (key, prop, prop_pointer) in keys {
            let rust_name = scope.unique(&naming::pascal_ident(&key, "Variant"));
            let ty = self.lower_schema(&prop, &prop_pointer, &format!("{hint}{rust_name}"));
            variants.push(UnionVariant {
                rust_name,
                tag_values: vec![key],
                ty,
                boxed: false,
            });
        }
        Some(TypeKind::SingleKey { variants })
    }
}
