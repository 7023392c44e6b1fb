//! Rust-shape decisions that need the whole API: which optional fields must be able to send
//! an explicit `null`, the marker types that carry codec parameters, and what emit prints
//! for each type and operation (optional fields, derives, the extra-properties field, result
//! types, expanded body arguments), so that emit only reads them.

use crate::ir::{
    Derives, ErrorCodeIr, ErrorIr, OperationIr, ParamLocation, Presence, Prim, ResponseIr,
    SuccessIr, TypeDef, TypeKind, TypeRef, WireMarker, WireMarkerKind,
};
use crate::naming::{self, Scope};

/// Calls `f` on every type reference directly inside `t` (not through named types).
fn each_ref(t: &TypeRef, f: &mut dyn FnMut(&TypeRef)) {
    f(t);
    match t {
        TypeRef::Vec(inner)
        | TypeRef::Map(inner)
        | TypeRef::Option(inner)
        | TypeRef::EmptyAsNone(inner)
        | TypeRef::Nullable(inner)
        | TypeRef::Boxed(inner) => each_ref(inner, f),
        TypeRef::WrappedList { item, .. } => each_ref(item, f),
        TypeRef::Named(_)
        | TypeRef::Prim(_)
        | TypeRef::FormattedDateTime(_)
        | TypeRef::Value
        | TypeRef::Unit => {}
    }
}

/// The type references a named type holds, in declaration order.
fn refs_of(def: &TypeDef) -> Vec<&TypeRef> {
    match &def.kind {
        TypeKind::Struct { fields, additional } => fields
            .iter()
            .map(|f| &f.ty)
            .chain(additional.iter())
            .collect(),
        TypeKind::Tagged { variants, .. }
        | TypeKind::SingleKey { variants }
        | TypeKind::Untagged { variants } => variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Newtype { inner, .. } => vec![inner],
        TypeKind::Alias { target } => vec![target],
        TypeKind::StringEnum { .. } | TypeKind::Pending => Vec::new(),
    }
}

/// The type references an operation uses, in a fixed order.
fn op_refs(op: &OperationIr) -> Vec<&TypeRef> {
    let mut out: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
    out.extend(op.body.iter().map(|b| &b.ty));
    out.extend(op.responses.iter().map(|r| &r.ty));
    out.extend(op.envelope.iter().map(|e| &e.item));
    if let Some(p) = &op.pagination {
        out.push(&p.page_ty);
        out.push(&p.item);
    }
    out.extend(op.waiter.iter().map(|w| &w.ty));
    out
}

/// Marks the types that request bodies send (`TypeDef::sent`), which get constructors and
/// setters. Their optional nullable fields become tri-state, so that a request can leave a
/// field out or send an explicit `null` (for APIs where `null` clears a value and absence
/// leaves it unchanged). Types only read from responses keep `Option`.
pub(super) fn tristate_request_fields(types: &mut [TypeDef], operations: &[OperationIr]) {
    let mut sent = vec![false; types.len()];
    let mut stack: Vec<usize> = Vec::new();
    let visit = |t: &TypeRef, stack: &mut Vec<usize>| {
        each_ref(t, &mut |r| {
            if let TypeRef::Named(id) = r {
                stack.push(id.0);
            }
        });
    };
    for op in operations {
        if let Some(body) = &op.body {
            visit(&body.ty, &mut stack);
        }
    }
    while let Some(i) = stack.pop() {
        if i >= sent.len() || sent[i] {
            continue;
        }
        sent[i] = true;
        for r in refs_of(&types[i]) {
            visit(r, &mut stack);
        }
    }
    for (i, def) in types.iter_mut().enumerate() {
        if !sent[i] {
            continue;
        }
        def.sent = true;
        if let TypeKind::Struct { fields, .. } = &mut def.kind {
            for f in fields {
                if f.presence == Presence::Optional && f.nullable && !f.ty.is_optional() {
                    f.presence = Presence::Tristate;
                }
            }
        }
    }
}

/// Decides, once fields are final (after cycle boxing and tri-state), which fields are
/// optional, what each type derives and the name of a struct's extra-properties field.
pub(super) fn decide_types(types: &mut [TypeDef]) {
    for def in types.iter_mut() {
        if let TypeKind::Struct { fields, .. } = &mut def.kind {
            for f in fields.iter_mut() {
                f.optional = !f.required || f.nullable;
            }
        }
    }
    let derives: Vec<Derives> = types.iter().map(|def| derives_of(types, def)).collect();
    for (def, derives) in types.iter_mut().zip(derives) {
        def.derives = derives;
        def.additional_field = match &def.kind {
            TypeKind::Struct {
                fields,
                additional: Some(_),
            } => {
                let mut name = "additional_properties".to_string();
                while fields.iter().any(|f| f.rust_name == name) {
                    name.push('_');
                }
                Some(name)
            }
            _ => None,
        };
    }
}

/// What a type derives beyond `Debug`, `Clone` and `PartialEq`: `Default` for a struct of
/// fields that all have a natural empty value, `Eq` and `Hash` for string enums and for
/// newtypes of exactly comparable values.
fn derives_of(types: &[TypeDef], def: &TypeDef) -> Derives {
    match &def.kind {
        TypeKind::Struct { fields, .. } => Derives {
            eq_hash: false,
            default: fields
                .iter()
                .all(|f| !f.flatten && f.full_type_is_defaultable()),
        },
        TypeKind::StringEnum { .. } => Derives {
            eq_hash: true,
            default: false,
        },
        TypeKind::Newtype { inner, validate } => Derives {
            // A validated newtype holds a checked string.
            eq_hash: validate.is_some() || hashable(types, inner, 0),
            default: false,
        },
        TypeKind::Tagged { .. }
        | TypeKind::SingleKey { .. }
        | TypeKind::Untagged { .. }
        | TypeKind::Alias { .. }
        | TypeKind::Pending => Derives::default(),
    }
}

/// Whether values of this type can derive `Eq` and `Hash`.
fn hashable(types: &[TypeDef], t: &TypeRef, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match t {
        TypeRef::Prim(Prim::F32 | Prim::F64 | Prim::StringF64) => false,
        TypeRef::Prim(_) | TypeRef::Unit => true,
        TypeRef::Vec(i) | TypeRef::Option(i) => hashable(types, i, depth + 1),
        TypeRef::Named(id) => match &types[id.0].kind {
            TypeKind::Newtype { inner, .. } => hashable(types, inner, depth + 1),
            TypeKind::StringEnum { .. } => true,
            _ => false,
        },
        _ => false,
    }
}

/// Decides what each operation's method returns and fails with, once type stems are final:
/// several success responses make an enum `<Stem>Response`, documented errors an enum
/// `<Stem>Error`, and an envelope a batch (or, with `single`, the one object).
pub(super) fn result_types(operations: &mut [OperationIr]) {
    for op in operations {
        let successes: Vec<&ResponseIr> = op.responses.iter().filter(|r| r.success).collect();
        op.success = match (&op.envelope, successes.as_slice()) {
            (Some(env), _) if env.single => SuccessIr::Single(env.item.clone()),
            (Some(env), _) => SuccessIr::Batch(env.item.clone()),
            (None, []) => SuccessIr::Unit,
            (None, [one]) => SuccessIr::One(one.ty.clone()),
            (None, _) => SuccessIr::Enum(format!("{}Response", op.type_stem)),
        };
        op.error = if op.envelope.is_some() {
            ErrorIr::Batch
        } else if op.responses.iter().any(|r| !r.success) {
            ErrorIr::Enum(format!("{}Error", op.type_stem))
        } else {
            ErrorIr::None
        };
    }
}

/// Names the arguments and setters of expanded bodies (split operations): each field of the
/// body struct that is not filled in gets its own name, unique among the builder's inputs
/// (its parameters and the builder's own fields).
pub(super) fn expanded_args(types: &[TypeDef], operations: &mut [OperationIr]) {
    for op in operations {
        let Some(body) = op.body.as_mut().filter(|b| b.expand) else {
            continue;
        };
        let TypeRef::Named(id) = &body.ty else {
            continue;
        };
        let TypeKind::Struct { fields, .. } = &types[id.0].kind else {
            continue;
        };
        let mut scope = Scope::new();
        for reserved in ["client", "options", "body", "path", "request"] {
            scope.reserve(reserved);
        }
        for p in &op.params {
            scope.reserve(&p.rust_name);
        }
        body.expanded_args = fields
            .iter()
            .map(|f| match f.fixed_value(types) {
                Some(_) => None,
                None => Some(scope.unique(f.rust_name.trim_start_matches("r#"))),
            })
            .collect();
    }
}

/// The API's error codes, once each in code order, named uniquely across the API; each
/// operation's codes take those names. One `ErrorCode` enum for the module instead of one per
/// operation: the same code (`SERVER_NOT_FOUND`) is then one value that every operation's
/// `code()` returns.
pub(super) fn api_error_codes(operations: &mut [OperationIr]) -> Vec<ErrorCodeIr> {
    let mut all: std::collections::BTreeMap<String, ErrorCodeIr> = Default::default();
    for op in operations.iter() {
        for c in &op.error_codes {
            all.entry(c.code.clone()).or_insert_with(|| c.clone());
        }
    }
    let mut scope = Scope::new();
    scope.reserve("Unknown");
    let codes: Vec<ErrorCodeIr> = all
        .into_values()
        .map(|mut c| {
            c.rust_name = scope.unique(&naming::pascal_ident(&c.code, "Code"));
            c
        })
        .collect();
    for op in operations.iter_mut() {
        for c in &mut op.error_codes {
            if let Some(api) = codes.iter().find(|a| a.code == c.code) {
                c.rust_name = api.rust_name.clone();
            }
        }
    }
    codes
}

/// One marker type per distinct wrapper key (of wrapped lists and wrapped bodies) and
/// date-time pattern, in first-use order over the types, the operations and then the body
/// wrappers, with names unique among themselves.
pub(super) fn wire_markers(types: &[TypeDef], operations: &[OperationIr]) -> Vec<WireMarker> {
    let mut kinds: Vec<WireMarkerKind> = Vec::new();
    let mut note = |t: &TypeRef| {
        each_ref(t, &mut |r| {
            let kind = match r {
                TypeRef::WrappedList { key, .. } => WireMarkerKind::Key(key.clone()),
                TypeRef::FormattedDateTime(f) => WireMarkerKind::DateTimeFormat(f.clone()),
                _ => return,
            };
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        });
    };
    for def in types {
        for r in refs_of(def) {
            note(r);
        }
    }
    for op in operations {
        for r in op_refs(op) {
            note(r);
        }
    }
    for key in operations
        .iter()
        .flat_map(|op| op.body.iter().flat_map(|b| &b.wrap))
    {
        let kind = WireMarkerKind::Key(key.clone());
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    let mut scope = Scope::new();
    kinds
        .into_iter()
        .map(|kind| {
            let base = match &kind {
                WireMarkerKind::Key(key) => {
                    format!("{}Key", naming::pascal_ident(key, "List"))
                }
                WireMarkerKind::DateTimeFormat(f) => {
                    let letters: String = f.chars().filter(char::is_ascii_alphanumeric).collect();
                    format!("Format{letters}")
                }
            };
            WireMarker {
                name: scope.unique(&base),
                kind,
            }
        })
        .collect()
}

/// Marks the path parameters whose type is built from text by a check that can fail: a newtype
/// of a parsed primitive (a UUID, a number, a date) or one with `x-cloudgen-validate`. Their
/// methods take anything `TryInto` the type, so an ID or a name can be given as a string. A
/// newtype of a plain string already converts from `&str` without a check.
pub(super) fn checked_params(types: &[TypeDef], operations: &mut [OperationIr]) {
    for op in operations {
        for param in &mut op.params {
            let TypeRef::Named(id) = &param.ty else {
                continue;
            };
            param.checked = param.location == ParamLocation::Path
                && match &types[id.0].kind {
                    TypeKind::Newtype {
                        validate: Some(_), ..
                    } => true,
                    TypeKind::Newtype {
                        inner: TypeRef::Prim(p),
                        ..
                    } => p.parses_from_text(),
                    _ => false,
                };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Doc, Field, TypeId};

    fn field(name: &str, ty: TypeRef, required: bool, nullable: bool) -> Field {
        Field {
            rust_name: name.into(),
            wire_name: name.into(),
            ty,
            required,
            nullable,
            presence: Presence::of(required),
            boxed: false,
            flatten: false,
            doc: Doc::default(),
            optional: !required || nullable,
        }
    }

    fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
        TypeDef {
            name: name.into(),
            pointer: String::new(),
            doc: Doc::default(),
            sent: false,
            derives: Derives::default(),
            additional_field: None,
            kind: TypeKind::Struct {
                fields,
                additional: None,
            },
        }
    }

    #[test]
    fn marker_names_follow_the_key_and_the_pattern_and_stay_unique() {
        let list = |k: &str| TypeRef::WrappedList {
            key: k.into(),
            item: Box::new(TypeRef::Prim(crate::ir::Prim::String)),
        };
        let types = vec![strukt(
            "A",
            vec![
                field("a", list("ip_address"), true, false),
                field("b", TypeRef::Vec(Box::new(list("ipAddress"))), true, false),
                field(
                    "c",
                    TypeRef::FormattedDateTime("%Y-%m-%d".into()),
                    true,
                    false,
                ),
                field("d", list("ip_address"), true, false),
            ],
        )];
        let names: Vec<String> = wire_markers(&types, &[])
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert_eq!(names, ["IpAddressKey", "IpAddressKey2", "FormatYmd"]);
    }

    #[test]
    fn only_sent_types_get_tristate_fields() {
        let mut types = vec![
            strukt(
                "Sent",
                vec![field(
                    "a",
                    TypeRef::Prim(crate::ir::Prim::String),
                    false,
                    true,
                )],
            ),
            strukt(
                "Read",
                vec![field(
                    "a",
                    TypeRef::Prim(crate::ir::Prim::String),
                    false,
                    true,
                )],
            ),
        ];
        let op = OperationIr {
            name: "op".into(),
            type_stem: "Op".into(),
            method: "POST".into(),
            path: "/".into(),
            pointer: String::new(),
            doc: Doc::default(),
            params: Vec::new(),
            body: Some(crate::ir::BodyIr {
                encoding: crate::ir::BodyEncoding::Json,
                ty: TypeRef::Named(TypeId(0)),
                required: true,
                doc: Doc::default(),
                expand: false,
                wrap: Vec::new(),
                expanded_args: Vec::new(),
            }),
            responses: Vec::new(),
            retry_safe: false,
            error_codes: Vec::new(),
            envelope: None,
            pagination: None,
            waiter: None,
            success: SuccessIr::Unit,
            error: ErrorIr::None,
        };
        tristate_request_fields(&mut types, &[op]);
        let presence = |t: &TypeDef| match &t.kind {
            TypeKind::Struct { fields, .. } => fields[0].presence,
            _ => unreachable!("the test builds structs"),
        };
        assert_eq!(presence(&types[0]), Presence::Tristate);
        assert_eq!(presence(&types[1]), Presence::Optional);
    }
}
