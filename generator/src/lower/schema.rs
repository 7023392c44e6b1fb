//! Schemas to types: components become named types, inline schemas are named
//! after their parent and field, identical inline schemas share one type.

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::names::Named;
use super::Lowerer;
use crate::diagnostics::{did_you_mean, pointer_join, DiagnosticKind};
use crate::ir::{Doc, EnumVariant, Prim, TypeId, TypeKind, TypeRef};
use crate::naming::{self, Scope};

/// The rules `x-cloudgen-validate` can name; the runtime implements each.
pub(crate) const KNOWN_RULES: &[&str] = &["rfc1035-name", "uuid-or-rfc1035-name"];

/// Deeper nesting than this is refused rather than risking the stack.
pub(super) const MAX_DEPTH: usize = 96;

/// A schema or a reference to one, owned.
#[derive(Debug, Clone)]
pub(crate) enum SRef {
    Ref(String),
    Item(Box<Schema>),
}

impl From<&ReferenceOr<Schema>> for SRef {
    fn from(r: &ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference.clone()),
            ReferenceOr::Item(s) => SRef::Item(Box::new(s.clone())),
        }
    }
}

impl From<&ReferenceOr<Box<Schema>>> for SRef {
    fn from(r: &ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference.clone()),
            ReferenceOr::Item(s) => SRef::Item(s.clone()),
        }
    }
}

/// One view over the typed and untyped forms `openapiv3` gives a schema.
pub(super) struct Norm {
    pub(super) typ: Option<String>,
    pub(super) format: Option<String>,
    pub(super) enum_values: Vec<Value>,
    pub(super) properties: Vec<(String, SRef)>,
    pub(super) required: Vec<String>,
    pub(super) additional: Option<AdditionalProperties>,
    pub(super) items: Option<SRef>,
    pub(super) one_of: Vec<SRef>,
    pub(super) all_of: Vec<SRef>,
    pub(super) any_of: Vec<SRef>,
    pub(super) not: bool,
}

pub(super) fn fmt_of<T: std::fmt::Debug>(
    f: &VariantOrUnknownOrEmpty<T>,
    name: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        VariantOrUnknownOrEmpty::Item(t) => Some(name(t).to_string()),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

pub(super) fn norm(s: &Schema) -> Norm {
    let mut n = Norm {
        typ: None,
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
    let opt = |v: Option<Value>| v.unwrap_or(Value::Null);
    match &s.schema_kind {
        SchemaKind::Type(Type::String(t)) => {
            n.typ = Some("string".into());
            n.format = fmt_of(&t.format, |f| match f {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            });
            n.enum_values = t
                .enumeration
                .iter()
                .map(|v| opt(v.clone().map(Value::String)))
                .collect();
        }
        SchemaKind::Type(Type::Integer(t)) => {
            n.typ = Some("integer".into());
            n.format = fmt_of(&t.format, |f| match f {
                IntegerFormat::Int32 => "int32",
                IntegerFormat::Int64 => "int64",
            });
            n.enum_values = t
                .enumeration
                .iter()
                .map(|v| opt(v.map(Value::from)))
                .collect();
        }
        SchemaKind::Type(Type::Number(t)) => {
            n.typ = Some("number".into());
            n.format = fmt_of(&t.format, |f| match f {
                NumberFormat::Float => "float",
                NumberFormat::Double => "double",
            });
            n.enum_values = t
                .enumeration
                .iter()
                .map(|v| opt(v.map(Value::from)))
                .collect();
        }
        SchemaKind::Type(Type::Boolean(t)) => {
            n.typ = Some("boolean".into());
            n.enum_values = t
                .enumeration
                .iter()
                .map(|v| opt(v.map(Value::Bool)))
                .collect();
        }
        SchemaKind::Type(Type::Object(t)) => {
            n.typ = Some("object".into());
            n.properties = t
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), v.into()))
                .collect();
            n.required = t.required.clone();
            n.additional = t.additional_properties.clone();
        }
        SchemaKind::Type(Type::Array(t)) => {
            n.typ = Some("array".into());
            n.items = t.items.as_ref().map(Into::into);
        }
        SchemaKind::OneOf { one_of } => n.one_of = one_of.iter().map(Into::into).collect(),
        SchemaKind::AllOf { all_of } => n.all_of = all_of.iter().map(Into::into).collect(),
        SchemaKind::AnyOf { any_of } => n.any_of = any_of.iter().map(Into::into).collect(),
        SchemaKind::Not { .. } => n.not = true,
        SchemaKind::Any(a) => {
            n.typ = a.typ.clone();
            n.format = a.format.clone();
            n.enum_values = a.enumeration.clone();
            n.properties = a
                .properties
                .iter()
                .map(|(k, v)| (k.clone(), v.into()))
                .collect();
            n.required = a.required.clone();
            n.additional = a.additional_properties.clone();
            n.items = a.items.as_ref().map(Into::into);
            n.one_of = a.one_of.iter().map(Into::into).collect();
            n.all_of = a.all_of.iter().map(Into::into).collect();
            n.any_of = a.any_of.iter().map(Into::into).collect();
            n.not = a.not.is_some();
            if n.typ.is_none() {
                if !n.properties.is_empty() || n.additional.is_some() {
                    n.typ = Some("object".into());
                } else if n.items.is_some() {
                    n.typ = Some("array".into());
                }
            }
        }
    }
    n
}

/// The documentation of a schema.
pub(crate) fn doc_of(data: &SchemaData, summary: Option<String>) -> Doc {
    Doc {
        summary: summary.or_else(|| data.title.clone()),
        description: data.description.clone(),
        example: data.example.clone(),
        default: data.default.clone(),
        deprecated: data.deprecated,
    }
}

pub(super) fn component_name(reference: &str) -> Option<&str> {
    reference
        .strip_prefix("#/components/schemas/")
        .filter(|n| !n.contains('/'))
}

/// Decodes a JSON pointer token.
pub(super) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A component schema's name, or any other pointer as it is, for messages.
pub(super) fn ref_display_name(pointer: &str) -> String {
    match pointer
        .strip_prefix("/components/schemas/")
        .filter(|n| !n.contains('/'))
    {
        Some(name) => unescape(name),
        None => pointer.to_string(),
    }
}

impl Lowerer<'_> {
    /// For a dangling `#/components/KIND/NAME` reference, the existing component of that
    /// kind whose name is closest to NAME, if one is close enough to be a likely typo.
    pub(crate) fn closest_component(&self, reference: &str) -> Option<String> {
        let (kind, name) = reference
            .strip_prefix("#/components/")?
            .split_once('/')
            .filter(|(_, name)| !name.contains('/'))?;
        let siblings = self.doc.raw.pointer(&format!("/components/{kind}"))?;
        let names = siblings.as_object()?.keys().map(String::as_str);
        did_you_mean(&unescape(name), names).map(str::to_string)
    }

    /// Finds the schema a `$ref` points at, with its pointer. Reports and returns `None` when it cannot.
    pub(crate) fn resolve_schema(&mut self, reference: &str, at: &str) -> Option<(Schema, String)> {
        let Some(local) = reference.strip_prefix('#') else {
            self.error(
                DiagnosticKind::ExternalRef,
                &pointer_join(at, "$ref"),
                format!("`$ref: {reference}` points outside this document"),
                "bundle the spec into one file (e.g. `redocly bundle`) so every $ref starts with `#/`",
            );
            return None;
        };
        let mut seen = vec![local.to_string()];
        let mut pointer = local.to_string();
        loop {
            let Some(value) = self.ref_target(&pointer) else {
                let hint = match component_name(reference) {
                    Some(name) => {
                        let name = unescape(name);
                        match self.closest_component(reference) {
                            Some(close) => format!(
                                "did you mean `{close}`? Otherwise define `{name}` under components/schemas"
                            ),
                            None => {
                                format!("define `{name}` under components/schemas, or fix the name")
                            }
                        }
                    }
                    None => "fix the reference so it names an existing node".to_string(),
                };
                self.error(
                    DiagnosticKind::UnresolvedRef,
                    &pointer_join(at, "$ref"),
                    format!("`$ref: {reference}` points at nothing"),
                    hint,
                );
                return None;
            };
            // Follow a chain of refs.
            if let Some(next) = value.get("$ref").and_then(Value::as_str) {
                let Some(next_local) = next.strip_prefix('#') else {
                    self.error(
                        DiagnosticKind::ExternalRef,
                        &pointer_join(&pointer, "$ref"),
                        format!("`$ref: {next}` points outside this document"),
                        "bundle the spec into one file so every $ref starts with `#/`",
                    );
                    return None;
                };
                if seen.iter().any(|s| s == next_local) {
                    // Each component in a cycle reports it at its own `$ref`; a use
                    // site that only leads into such a cycle would repeat that.
                    let at_in_cycle = seen.iter().any(|s| s == at);
                    let all_components = seen
                        .iter()
                        .all(|p| component_name(&format!("#{p}")).is_some());
                    if at_in_cycle || !all_components {
                        let mut chain: Vec<&str> = vec![at];
                        chain.extend(seen.iter().map(String::as_str));
                        if !at_in_cycle {
                            chain.push(next_local);
                        }
                        let chain: Vec<String> = chain.into_iter().map(ref_display_name).collect();
                        self.error(
                            DiagnosticKind::RefCycle,
                            &pointer_join(at, "$ref"),
                            format!(
                                "reference cycle {} never reaches a schema",
                                chain.join(" -> ")
                            ),
                            "make one of the schemas in the cycle a real schema instead of a bare `$ref`",
                        );
                    }
                    return None;
                }
                seen.push(next_local.to_string());
                pointer = next_local.to_string();
                continue;
            }
            return match serde_json::from_value::<Schema>(value.clone()) {
                Ok(s) => Some((s, pointer)),
                Err(e) => {
                    self.error(
                        DiagnosticKind::InvalidSchema,
                        &pointer,
                        format!("`$ref: {reference}` does not point at a schema: {e}"),
                        "point the reference at a schema object",
                    );
                    None
                }
            };
        }
    }

    /// Lowers one component schema into its reserved type.
    pub(crate) fn lower_component(
        &mut self,
        id: TypeId,
        name: &str,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
    ) {
        match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.lower_ref(reference, pointer, name);
                // A bare alias of another component keeps its own name as a type alias.
                self.types[id.0].kind = TypeKind::Alias { target };
            }
            ReferenceOr::Item(s) => self.define(id, s, pointer),
        }
    }

    /// A use site of a `$ref`.
    pub(crate) fn lower_ref(&mut self, reference: &str, at: &str, hint: &str) -> TypeRef {
        if let Some(name) = component_name(reference) {
            let name = unescape(name);
            if let Some(id) = self.components.get(&name) {
                let id = *id;
                // A component that is only a `$ref` chain: check it ends somewhere.
                if let Some(ReferenceOr::Reference { .. }) = self
                    .doc
                    .openapi
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(&name))
                {
                    if self.resolve_schema(reference, at).is_none() {
                        return TypeRef::Value;
                    }
                }
                // A wrapped-list component is used as the list itself, so the field that
                // refers to it gets the wrapper codec and a plain `Vec` type.
                let wrapped = self
                    .doc
                    .openapi
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(&name))
                    .and_then(|s| s.as_item())
                    .filter(|s| {
                        s.schema_data
                            .extensions
                            .contains_key(super::extensions::WRAPPED_LIST.key)
                    })
                    .cloned();
                if let Some(schema) = wrapped {
                    if self.depth <= MAX_DEPTH {
                        self.depth += 1;
                        let pointer = format!(
                            "/components/schemas/{}",
                            crate::diagnostics::escape_pointer_token(&name)
                        );
                        let t = self.wrapped_list(&schema, &pointer, &name);
                        self.depth -= 1;
                        if let Some(t) = t {
                            return if schema.schema_data.nullable {
                                TypeRef::Option(Box::new(t))
                            } else {
                                t
                            };
                        }
                    }
                }
                // `x-cloudgen-empty-as-absent` on a component applies at every use.
                let empty_as_absent = self
                    .doc
                    .openapi
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(&name))
                    .and_then(|s| s.as_item())
                    .is_some_and(|s| {
                        super::extensions::EMPTY_AS_ABSENT.peek(&s.schema_data.extensions)
                            == Some(true)
                    });
                if empty_as_absent {
                    return TypeRef::EmptyAsNone(Box::new(TypeRef::Named(id)));
                }
                return TypeRef::Named(id);
            }
        }
        if let Some(t) = self.by_pointer.get(reference) {
            return t.clone();
        }
        let Some((schema, pointer)) = self.resolve_schema(reference, at) else {
            return TypeRef::Value;
        };
        // Placeholder first, so a cycle through this pointer terminates.
        self.by_pointer
            .insert(reference.to_string(), TypeRef::Value);
        let hint = pointer
            .rsplit('/')
            .next()
            .map(unescape)
            .unwrap_or_else(|| hint.to_string());
        let t = self.lower_schema(&SRef::Item(Box::new(schema)), &pointer, &hint);
        self.by_pointer.insert(reference.to_string(), t.clone());
        t
    }

    /// A use site of a schema: primitives inline, structured schemas as named types.
    pub(crate) fn lower_schema(&mut self, s: &SRef, pointer: &str, hint: &str) -> TypeRef {
        let s = match s {
            SRef::Ref(r) => return self.lower_ref(r, pointer, hint),
            SRef::Item(s) => s,
        };
        if self.depth > MAX_DEPTH {
            self.error(
                DiagnosticKind::TooDeep,
                pointer,
                format!("schemas nest more than {MAX_DEPTH} levels deep here"),
                "move nested schemas into components/schemas and refer to them",
            );
            return TypeRef::Value;
        }
        self.depth += 1;
        let t = self.lower_schema_item(s, pointer, hint);
        self.depth -= 1;
        if self.empty_as_absent(s, pointer) {
            // `""` and `null` both read as `None`: the type is optional already.
            let inner = match t {
                TypeRef::Option(inner) => *inner,
                other => other,
            };
            return TypeRef::EmptyAsNone(Box::new(inner));
        }
        if s.schema_data.nullable && !t.is_optional() && t != TypeRef::Value {
            TypeRef::Option(Box::new(t))
        } else {
            t
        }
    }

    pub(crate) fn lower_schema_item(&mut self, s: &Schema, pointer: &str, hint: &str) -> TypeRef {
        if let Some(t) = self.inline_type(s, pointer, hint) {
            return t;
        }
        // A structured schema: one named type per distinct inline schema.
        let key = serde_json::to_string(s).unwrap_or_default();
        if let Some(id) = self.dedupe.get(&key) {
            return TypeRef::Named(*id);
        }
        let id = self.new_type(hint, pointer, doc_of(&s.schema_data, None));
        self.dedupe.insert(key, id);
        self.define(id, s, pointer);
        TypeRef::Named(id)
    }

    /// The type of a schema that needs no name of its own, or `None` when it does. A string
    /// that `format: password` or `x-cloudgen-secret` marks is a secret.
    pub(crate) fn inline_type(&mut self, s: &Schema, pointer: &str, hint: &str) -> Option<TypeRef> {
        let t = self.unmarked_inline_type(s, pointer, hint)?;
        Some(self.mark_secret(s, pointer, t))
    }

    /// [`Self::inline_type`] before `x-cloudgen-secret` applies.
    fn unmarked_inline_type(&mut self, s: &Schema, pointer: &str, hint: &str) -> Option<TypeRef> {
        if let Some(p) = self.codec_prim(s, pointer) {
            return Some(TypeRef::Prim(p));
        }
        if let Some(t) = self.formatted_datetime(s, pointer) {
            return Some(t);
        }
        if let Some(t) = self.wrapped_list(s, pointer, hint) {
            return Some(t);
        }
        let n = norm(s);
        if n.not {
            self.warn(
                DiagnosticKind::UnsupportedNot,
                pointer,
                "`not` schemas are not checked; the value is typed as any JSON value",
                "describe what the value is instead of what it is not, if you want a precise type",
            );
            return Some(TypeRef::Value);
        }
        if !n.all_of.is_empty() || !n.one_of.is_empty() || !n.any_of.is_empty() {
            if n.all_of.len() == 1
                && n.one_of.is_empty()
                && n.any_of.is_empty()
                && n.properties.is_empty()
            {
                return Some(self.lower_schema(&n.all_of[0], &format!("{pointer}/allOf/0"), hint));
            }
            for (list, key) in [(&n.one_of, "oneOf"), (&n.any_of, "anyOf")] {
                if list.len() == 1 && n.all_of.is_empty() && n.properties.is_empty() {
                    return Some(self.lower_schema(&list[0], &format!("{pointer}/{key}/0"), hint));
                }
            }
            return None;
        }
        if let Some(t) = self.enum_fallback(&n, pointer) {
            return Some(t);
        }
        match n.typ.as_deref() {
            Some("string") => {
                if self.string_enum_values(&n).is_some() {
                    return None;
                }
                Some(TypeRef::Prim(string_prim(n.format.as_deref())))
            }
            Some("integer") => Some(TypeRef::Prim(if n.format.as_deref() == Some("int32") {
                Prim::I32
            } else {
                Prim::I64
            })),
            Some("number") => Some(TypeRef::Prim(if n.format.as_deref() == Some("float") {
                Prim::F32
            } else {
                Prim::F64
            })),
            Some("boolean") => Some(TypeRef::Prim(Prim::Bool)),
            Some("array") => {
                let item = match &n.items {
                    Some(items) => self.lower_schema(
                        items,
                        &format!("{pointer}/items"),
                        &format!("{hint}Item"),
                    ),
                    None => TypeRef::Value,
                };
                Some(TypeRef::Vec(Box::new(item)))
            }
            Some("object") => {
                if !n.properties.is_empty() {
                    return None;
                }
                match &n.additional {
                    Some(AdditionalProperties::Schema(ap)) => {
                        let ap: SRef = ap.as_ref().into();
                        let v = self.lower_schema(
                            &ap,
                            &format!("{pointer}/additionalProperties"),
                            &format!("{hint}Value"),
                        );
                        Some(TypeRef::Map(Box::new(v)))
                    }
                    Some(AdditionalProperties::Any(false)) => {
                        // An object with no properties at all: nothing to carry.
                        Some(TypeRef::Map(Box::new(TypeRef::Value)))
                    }
                    _ => Some(TypeRef::Value),
                }
            }
            None => {
                if !n.enum_values.is_empty() {
                    if self.string_enum_values(&n).is_some() {
                        return None;
                    }
                    return Some(TypeRef::Value);
                }
                Some(TypeRef::Value)
            }
            Some(other) => {
                const TYPES: [&str; 6] =
                    ["string", "integer", "number", "boolean", "array", "object"];
                let hint = match did_you_mean(other, TYPES) {
                    Some(close) => {
                        format!("did you mean `{close}`? The types are {}", TYPES.join(", "))
                    }
                    None => format!("use one of {}", TYPES.join(", ")),
                };
                self.error(
                    DiagnosticKind::UnknownType,
                    &pointer_join(pointer, "type"),
                    format!("unknown schema type `{other}`"),
                    hint,
                );
                Some(TypeRef::Value)
            }
        }
    }

    /// Values of a string enum, or `None` when the schema is no string enum. Enums whose
    /// values do not fit one type were given a type by [`Self::enum_fallback`] already.
    pub(super) fn string_enum_values(&self, n: &Norm) -> Option<Vec<String>> {
        let non_null: Vec<&Value> = n.enum_values.iter().filter(|v| !v.is_null()).collect();
        if non_null.is_empty() || !non_null.iter().all(|v| v.is_string()) {
            return None;
        }
        let mut out: Vec<String> = Vec::new();
        for v in non_null {
            let s = v.as_str().unwrap_or_default().to_string();
            if !out.contains(&s) {
                out.push(s);
            }
        }
        Some(out)
    }

    /// The type of an enum that is not one of strings, integers, numbers or booleans of the
    /// schema's type: `enum: [null]` (Dropshot's empty answers) is `()`; values that mix
    /// kinds, or do not match `type`, are kept as any JSON value with a `mixed-enum` warning,
    /// so that the document still generates and every value the API sends still decodes.
    /// `None` for a consistent enum (or no enum), which the schema's type describes.
    fn enum_fallback(&mut self, n: &Norm, pointer: &str) -> Option<TypeRef> {
        if n.enum_values.is_empty() {
            return None;
        }
        let non_null: Vec<&Value> = n.enum_values.iter().filter(|v| !v.is_null()).collect();
        if non_null.is_empty() {
            return Some(TypeRef::Unit);
        }
        let fits: fn(&Value) -> bool = match n.typ.as_deref() {
            Some("string") | None => Value::is_string,
            Some("integer") => |v: &Value| v.is_i64() || v.is_u64(),
            Some("number") => Value::is_number,
            Some("boolean") => Value::is_boolean,
            _ => return None,
        };
        if non_null.iter().all(|v| fits(v)) {
            return None;
        }
        let listed = n
            .enum_values
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let message = match n.typ.as_deref() {
            Some(t) => format!("enum values do not all match `type: {t}`: {listed}; the value is typed as any JSON value"),
            None => format!("enum values mix types: {listed}; the value is typed as any JSON value"),
        };
        self.warn(
            DiagnosticKind::MixedEnum,
            &pointer_join(pointer, "enum"),
            message,
            "make every enum value of one type (quote numbers and booleans of a string enum in YAML)",
        );
        Some(TypeRef::Value)
    }

    /// Gives a reserved type its definition.
    pub(crate) fn define(&mut self, id: TypeId, s: &Schema, pointer: &str) {
        let hint = self.types[id.0].name.clone();
        let kind = self.define_kind(s, pointer, &hint);
        self.types[id.0].kind = kind;
    }

    pub(crate) fn define_kind(&mut self, s: &Schema, pointer: &str, hint: &str) -> TypeKind {
        let nullable = s.schema_data.nullable;
        let wrap = |t: TypeRef| {
            if nullable {
                TypeRef::Option(Box::new(t))
            } else {
                t
            }
        };
        if let Some(t) = self.inline_type(s, pointer, hint) {
            let t = wrap(t);
            let validate = self.validation_rule(s, pointer, &t);
            return match t {
                // `rt::Secret` is a distinct type already, and a newtype around it would
                // need `Display` (used for path and query values) to show the secret.
                TypeRef::Prim(Prim::Secret) => TypeKind::Alias { target: t },
                TypeRef::Prim(_) => TypeKind::Newtype { inner: t, validate },
                other => TypeKind::Alias { target: other },
            };
        }
        self.refuse_structured_secret(s, pointer);
        let n = norm(s);
        if !n.all_of.is_empty() {
            return self.merge_all_of(&n, pointer, hint);
        }
        if !n.one_of.is_empty() || !n.any_of.is_empty() {
            let (list, key) = if !n.one_of.is_empty() {
                (&n.one_of, "oneOf")
            } else {
                (&n.any_of, "anyOf")
            };
            if !n.properties.is_empty() {
                self.warn(
                    DiagnosticKind::MixedUnion,
                    pointer,
                    format!("properties beside `{key}` are ignored; the type is the union alone"),
                    format!("move the shared properties into each `{key}` variant, or use allOf"),
                );
            }
            return self.union(s, list, &format!("{pointer}/{key}"), hint);
        }
        if let Some(values) = self.string_enum_values(&n) {
            return self.string_enum(values, pointer);
        }
        // An object with properties.
        let mut fields = Vec::new();
        let mut scope = Scope::new();
        self.object_fields(&n, pointer, hint, &mut scope, &mut fields);
        self.exclusive(s, pointer, hint, &mut fields, &mut scope);
        let additional = self.additional(&n, pointer, hint);
        TypeKind::Struct { fields, additional }
    }

    /// The schema `s` stands for: itself, or the target of its `$ref`, in which case `at`
    /// moves to where the target is.
    pub(crate) fn deref_schema(&mut self, s: &SRef, at: &mut String) -> Option<Schema> {
        match s {
            SRef::Ref(r) => {
                let (schema, target) = self.resolve_schema(&r.clone(), at)?;
                *at = target;
                Some(schema)
            }
            SRef::Item(s) => Some((**s).clone()),
        }
    }

    /// A string enum: one variant per value, named from the value or from `x-enum-varnames`;
    /// `Unknown` keeps any other value.
    fn string_enum(&mut self, values: Vec<String>, pointer: &str) -> TypeKind {
        let chosen = self.enum_varnames(pointer, values.len());
        let mut scope = Scope::new();
        scope.reserve("Unknown");
        let mut variants = Vec::with_capacity(values.len());
        for (i, wire) in values.into_iter().enumerate() {
            let source = chosen
                .as_ref()
                .map_or(wire.as_str(), |names| names[i].as_str());
            let fallback = if source.is_empty() { "Empty" } else { "V" };
            let base = naming::pascal_ident(source, fallback);
            let rust_name = self.claim_name(&mut scope, &base, Named::EnumValue, &wire, pointer);
            variants.push(EnumVariant { rust_name, wire });
        }
        TypeKind::StringEnum { variants }
    }

    /// The schema found at a JSON pointer *inside the instance* described by `s`
    /// (for `x-cloudgen-unwrap`): follows properties and array indices.
    pub(crate) fn schema_at(
        &mut self,
        s: &SRef,
        instance_pointer: &str,
        at: &str,
    ) -> Option<(SRef, String)> {
        let mut current = s.clone();
        let mut current_pointer = at.to_string();
        for token in instance_pointer.split('/').skip(1) {
            let token = unescape(token);
            let schema = self.deref_schema(&current, &mut current_pointer)?;
            let n = norm(&schema);
            if let Some((_, p)) = n.properties.iter().find(|(k, _)| *k == token) {
                current_pointer = format!(
                    "{}/{}",
                    pointer_join(&current_pointer, "properties"),
                    crate::diagnostics::escape_pointer_token(&token)
                );
                current = p.clone();
            } else if let (Some(items), true) = (&n.items, token.parse::<usize>().is_ok()) {
                current_pointer = format!("{current_pointer}/items");
                current = items.clone();
            } else {
                return None;
            }
        }
        Some((current, current_pointer))
    }
}

pub(super) fn string_prim(format: Option<&str>) -> Prim {
    match format {
        Some("date-time") => Prim::DateTime,
        Some("date") => Prim::Date,
        Some("uuid") => Prim::Uuid,
        Some("byte") => Prim::Base64,
        Some("binary") => Prim::Binary,
        Some("password") => Prim::Secret,
        _ => Prim::String,
    }
}

pub(super) fn type_word(t: &TypeRef) -> &'static str {
    match t {
        TypeRef::Prim(Prim::String) => "String",
        TypeRef::Prim(Prim::Secret) => "Secret",
        TypeRef::Prim(Prim::Bool | Prim::YesNo | Prim::BoolString) => "Boolean",
        TypeRef::Prim(Prim::I32 | Prim::I64 | Prim::StringI64) => "Integer",
        TypeRef::Prim(Prim::F32 | Prim::F64 | Prim::StringF64) => "Number",
        TypeRef::Prim(Prim::DateTime) | TypeRef::FormattedDateTime(_) => "DateTime",
        TypeRef::Prim(Prim::Date) => "Date",
        TypeRef::Prim(Prim::Uuid) => "Uuid",
        TypeRef::Prim(Prim::Base64 | Prim::Binary | Prim::Bytes) => "Bytes",
        TypeRef::Prim(Prim::Multipart) => "Multipart",
        TypeRef::Vec(_) | TypeRef::WrappedList { .. } => "Array",
        TypeRef::Map(_) => "Map",
        TypeRef::Option(_) | TypeRef::EmptyAsNone(_) | TypeRef::Nullable(_) => "Nullable",
        TypeRef::Boxed(inner) => type_word(inner),
        TypeRef::Value | TypeRef::Named(_) => "Value",
        TypeRef::Unit => "Empty",
    }
}
