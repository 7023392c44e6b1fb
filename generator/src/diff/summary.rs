//! The API summary: what a user of one generated module sees, as data.
//!
//! `regenerate` writes one per module to `generated/api/<module>.json`; the next regenerate
//! compares the new summary with that one (no git needed), and `cloudgen diff` compares the
//! summaries of two specs. Only what the Rust API or the wire exposes is recorded (names,
//! Rust types, constructors, methods and paths, statuses, error codes), never documentation,
//! so a reworded description is no change.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::emit::{non_exhaustive, rust_type_text};
use crate::ir::{
    Api, ErrorIr, Field, OperationIr, ParamLocation, StatusMatch, SuccessIr, TypeDef, TypeKind,
    TypeRef,
};

/// One module's API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiSummary {
    /// The module name (and cargo feature).
    pub module: String,
    /// The version of the crate it was generated for (empty outside `regenerate`).
    pub crate_version: String,
    /// The spec's `info.version`.
    pub spec_version: String,
    /// The client methods, by Rust name.
    pub operations: BTreeMap<String, OperationSummary>,
    /// The types of the `types` module, by Rust name.
    pub types: BTreeMap<String, TypeSummary>,
    /// The variants of the module's `ErrorCode` enum: Rust name → code as sent.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub error_codes: BTreeMap<String, String>,
    /// Whether `ErrorCode` is `#[non_exhaustive]`.
    #[serde(default)]
    pub error_codes_non_exhaustive: bool,
}

/// One client method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperationSummary {
    /// HTTP method.
    pub method: String,
    /// Path template.
    pub path: String,
    /// Parameters, in method order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamSummary>,
    /// The request body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<BodySummary>,
    /// What `send()` gives: the Rust type.
    pub success: String,
    /// The variants of the success enum, when there are several successes: variant → type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub success_variants: BTreeMap<String, String>,
    /// The documented error responses: variant of the error enum → status and type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub errors: BTreeMap<String, ErrorSummary>,
    /// Whether the error enum is `#[non_exhaustive]`.
    #[serde(default)]
    pub errors_non_exhaustive: bool,
    /// The provider error codes the operation documents (`ErrorCode` variants).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<String>,
    /// The waiter method polling this operation, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiter: Option<String>,
    /// Whether the builder also streams every item of every page.
    #[serde(default)]
    pub paginated: bool,
}

/// One parameter of a method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamSummary {
    /// Rust name: the argument or the builder setter.
    pub name: String,
    /// `path`, `query` or `header`, and the wire name.
    pub wire: String,
    /// The Rust type.
    pub ty: String,
    /// Required: a method argument; otherwise a builder setter.
    pub required: bool,
}

/// A request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BodySummary {
    /// The Rust type.
    pub ty: String,
    /// Required.
    pub required: bool,
    /// How it is encoded.
    pub encoding: String,
    /// Its fields are the method's inputs.
    #[serde(default)]
    pub expanded: bool,
}

/// One documented error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorSummary {
    /// The statuses it covers.
    pub status: String,
    /// The Rust type of its body.
    pub ty: String,
}

/// One named type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeSummary {
    /// `struct`, `enum`, `tagged union`, `single-key union`, `untagged union`, `newtype`, `alias`.
    pub kind: String,
    /// Struct fields: Rust name → field.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, FieldSummary>,
    /// Enum and union variants: Rust name → wire value (enums) or payload type (unions).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub variants: BTreeMap<String, String>,
    /// The wrapped type of a newtype, the target of an alias.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inner: Option<String>,
    /// The arguments of `new`, when the type has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constructor: Option<Vec<String>>,
    /// Whether it implements `Default`.
    #[serde(default)]
    pub default: bool,
    /// Whether it is `#[non_exhaustive]`.
    #[serde(default)]
    pub non_exhaustive: bool,
}

/// One struct field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSummary {
    /// The Rust type, with the `Option` or `Nullable` of its presence.
    pub ty: String,
    /// The JSON property name.
    pub wire: String,
}

/// The summary of a lowered API, for crate version `crate_version`.
pub fn summarize(api: &Api, crate_version: &str) -> ApiSummary {
    let operations = api
        .operations
        .iter()
        .map(|op| (bare(&op.name), operation(api, op)))
        .collect();
    let types = api
        .types
        .iter()
        .filter(|t| !matches!(t.kind, TypeKind::Pending))
        .map(|t| (t.name.clone(), type_summary(api, t)))
        .collect();
    ApiSummary {
        module: api.module.clone(),
        crate_version: crate_version.to_string(),
        spec_version: api.version.clone(),
        operations,
        types,
        // The module has an `ErrorCode` enum only when error bodies say where the code is.
        error_codes: api
            .error_codes
            .iter()
            .filter(|_| api.error_code_pointer.is_some())
            .map(|c| (c.rust_name.clone(), c.code.clone()))
            .collect(),
        error_codes_non_exhaustive: non_exhaustive::ERROR_CODES,
    }
}

/// The summary as the JSON text `regenerate` writes.
pub fn to_json(summary: &ApiSummary) -> String {
    let mut text = serde_json::to_string_pretty(summary).unwrap_or_default();
    text.push('\n');
    text
}

fn bare(name: &str) -> String {
    name.trim_start_matches("r#").to_string()
}

fn status_text(s: StatusMatch) -> String {
    match s {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(n) => format!("{n}XX"),
        StatusMatch::Default => "default".to_string(),
    }
}

fn operation(api: &Api, op: &OperationIr) -> OperationSummary {
    let ty = |t: &TypeRef| rust_type_text(api, t);
    let params = op
        .params
        .iter()
        .map(|p| ParamSummary {
            name: bare(&p.rust_name),
            wire: format!(
                "{} {}",
                match p.location {
                    ParamLocation::Path => "path",
                    ParamLocation::Query => "query",
                    ParamLocation::Header => "header",
                },
                p.wire_name
            ),
            ty: ty(&p.ty),
            required: p.required,
        })
        .collect();
    let body = op.body.as_ref().map(|b| BodySummary {
        ty: ty(&b.ty),
        required: b.required,
        encoding: format!("{:?}", b.encoding),
        expanded: b.expand,
    });
    let (success, success_variants) = match &op.success {
        SuccessIr::Single(item) => (ty(item), BTreeMap::new()),
        SuccessIr::Batch(item) => (format!("rt::Batch<{}>", ty(item)), BTreeMap::new()),
        SuccessIr::Unit => ("()".to_string(), BTreeMap::new()),
        SuccessIr::One(one) => (ty(one), BTreeMap::new()),
        SuccessIr::Enum(name) => (
            name.clone(),
            op.responses
                .iter()
                .filter(|r| r.success)
                .map(|r| (r.variant.clone(), ty(&r.ty)))
                .collect(),
        ),
    };
    let errors = op
        .responses
        .iter()
        .filter(|r| !r.success && matches!(op.error, ErrorIr::Enum(_)))
        .map(|r| {
            let summary = ErrorSummary {
                status: status_text(r.status),
                ty: ty(&r.ty),
            };
            (r.variant.clone(), summary)
        })
        .collect();
    OperationSummary {
        method: op.method.clone(),
        path: op.path.clone(),
        params,
        body,
        success,
        success_variants,
        errors,
        errors_non_exhaustive: non_exhaustive::ERROR_ENUMS,
        error_codes: op.error_codes.iter().map(|c| c.rust_name.clone()).collect(),
        waiter: op.waiter.as_ref().map(|w| bare(&w.name)),
        paginated: op.pagination.is_some(),
    }
}

fn type_summary(api: &Api, t: &TypeDef) -> TypeSummary {
    let ty = |r: &TypeRef| rust_type_text(api, r);
    let mut s = TypeSummary {
        kind: String::new(),
        fields: BTreeMap::new(),
        variants: BTreeMap::new(),
        inner: None,
        constructor: None,
        default: false,
        non_exhaustive: non_exhaustive::of_type(&t.kind),
    };
    match &t.kind {
        TypeKind::Struct { fields, additional } => {
            s.kind = "struct".to_string();
            for f in fields {
                let field = FieldSummary {
                    ty: ty(&f.full_type()),
                    wire: f.wire_name.clone(),
                };
                s.fields.insert(bare(&f.rust_name), field);
            }
            if let Some((extra, name)) = additional.as_ref().zip(t.additional_field.clone()) {
                let field = FieldSummary {
                    ty: format!("BTreeMap<String, {}>", ty(extra)),
                    wire: "*".to_string(),
                };
                s.fields.insert(name, field);
            }
            s.default = t.derives.default;
            let args: Vec<&Field> = fields
                .iter()
                .filter(|f| f.is_constructor_arg(&api.types))
                .collect();
            if t.sent && !args.is_empty() {
                s.constructor = Some(args.iter().map(|f| bare(&f.rust_name)).collect());
            }
        }
        TypeKind::StringEnum { variants } => {
            s.kind = "enum".to_string();
            s.variants = variants
                .iter()
                .map(|v| (v.rust_name.clone(), v.wire.clone()))
                .collect();
        }
        TypeKind::Tagged { variants, .. }
        | TypeKind::SingleKey { variants }
        | TypeKind::Untagged { variants } => {
            s.kind = match &t.kind {
                TypeKind::Tagged { .. } => "tagged union",
                TypeKind::SingleKey { .. } => "single-key union",
                _ => "untagged union",
            }
            .to_string();
            s.variants = variants
                .iter()
                .map(|v| (v.rust_name.clone(), ty(&v.ty)))
                .collect();
        }
        TypeKind::Newtype { inner, .. } => {
            s.kind = "newtype".to_string();
            s.inner = Some(ty(inner));
        }
        TypeKind::Alias { target } => {
            s.kind = "alias".to_string();
            s.inner = Some(ty(target));
        }
        TypeKind::Pending => {}
    }
    s
}
