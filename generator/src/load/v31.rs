//! OpenAPI 3.1 input: the document is rewritten, as a JSON value and before it
//! is deserialised, into the OpenAPI 3.0 shape `openapiv3` models.
//!
//! The rewrite happens in place, so every node keeps its JSON pointer and the
//! source map still places diagnostics on the user's own lines. What has no 3.0
//! equivalent is kept where harmless and otherwise reported as a warning naming
//! the keyword and its location; nothing is dropped silently except
//! validation-only keywords that cloudgen ignores in 3.0 documents too
//! (`pattern`-like constraints: `contains`, `propertyNames`, `dependentRequired`,
//! `$comment`, ...). The mapping:
//!
//! | 3.1 | 3.0 |
//! |-----|-----|
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: [A, B]` | `oneOf` of one schema per type (`[integer, number]` is `number`) |
//! | `type: "null"` | `enum: [null]` (the unit type) |
//! | `oneOf`/`anyOf` with a `{type: "null"}` branch | the other branches, `nullable: true` |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, ...]` (schema) | `example: a` |
//! | `exclusiveMinimum: n` | `minimum: n`, `exclusiveMinimum: true` (same for maximum) |
//! | `$ref` with sibling keywords | `allOf: [{$ref}]` beside the siblings |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` |
//! | `contentEncoding: base64` | `format: byte` |
//! | `contentMediaType` of a non-text type | `format: binary` |
//! | `prefixItems` | `items` (the common item schema, else any value, with a warning) |
//! | `patternProperties` / `unevaluatedProperties` schema | `additionalProperties` |
//! | path item `$ref` (`components/pathItems`) | the path item itself |
//! | `paths` absent / operation without `responses` | empty `paths` / `responses` |
//! | `webhooks` | ignored, with a warning |

use serde_json::{json, Map, Value};

use crate::diagnostics::{escape_pointer_token, Diagnostic, DiagnosticKind};

/// The OpenAPI 3.1 default schema dialect.
const OAS_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Methods of a path item.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Schema keywords that shape a value but have no equivalent in the generated types.
const UNSUPPORTED: [&str; 6] = [
    "if",
    "then",
    "else",
    "dependentSchemas",
    "$dynamicRef",
    "$recursiveRef",
];

/// Keywords of one schema type, moved into its branch when a type array becomes a `oneOf`.
fn keywords_of(typ: &str) -> &'static [&'static str] {
    match typ {
        "string" => &["minLength", "maxLength", "pattern"],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &["items", "minItems", "maxItems", "uniqueItems"],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
        _ => &[],
    }
}

/// Rewrites a 3.1 document into the 3.0 shape; returns the warnings.
pub(crate) fn normalize(file: &str, raw: &mut Value) -> Vec<Diagnostic> {
    let mut n = Normalizer {
        file,
        warnings: Vec::new(),
    };
    n.document(raw);
    n.warnings
}

struct Normalizer<'a> {
    file: &'a str,
    warnings: Vec<Diagnostic>,
}

fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape_pointer_token(key))
}

/// Calls `f` on every value of the mapping at `key` of `m`, with its pointer.
fn each_value(
    m: &mut Map<String, Value>,
    key: &str,
    pointer: &str,
    mut f: impl FnMut(&mut Value, &str),
) {
    if let Some(Value::Object(inner)) = m.get_mut(key) {
        let at = child(pointer, key);
        for (k, v) in inner.iter_mut() {
            f(v, &child(&at, k));
        }
    }
}

/// Calls `f` on every item of the list at `key` of `m`, with its pointer.
fn each_item(
    m: &mut Map<String, Value>,
    key: &str,
    pointer: &str,
    mut f: impl FnMut(&mut Value, &str),
) {
    if let Some(Value::Array(items)) = m.get_mut(key) {
        let at = child(pointer, key);
        for (i, v) in items.iter_mut().enumerate() {
            f(v, &format!("{at}/{i}"));
        }
    }
}

impl Normalizer<'_> {
    fn warn(&mut self, kind: DiagnosticKind, pointer: &str, message: String, hint: &str) {
        self.warnings.push(
            Diagnostic::warning(kind, self.file, message)
                .at(pointer)
                .hint(hint),
        );
    }

    fn document(&mut self, raw: &mut Value) {
        let Value::Object(root) = raw else { return };
        if let Some(dialect) = root.get("jsonSchemaDialect").and_then(Value::as_str) {
            if dialect != OAS_DIALECT {
                let message = format!(
                    "`jsonSchemaDialect` is {dialect}; cloudgen reads schemas as the OpenAPI 3.1 \
                     dialect ({OAS_DIALECT})"
                );
                self.warn(
                    DiagnosticKind::JsonSchemaDialect,
                    "/jsonSchemaDialect",
                    message,
                    "keywords of other dialects are ignored; remove `jsonSchemaDialect` if the \
                     schemas use the default dialect",
                );
            }
        }
        if let Some(Value::Object(hooks)) = root.get("webhooks") {
            if !hooks.is_empty() {
                let names: Vec<&str> = hooks.keys().map(String::as_str).collect();
                let message = format!(
                    "{} webhook(s) ({}) are not generated: a client makes calls, webhooks are \
                     calls the API makes",
                    names.len(),
                    names.join(", ")
                );
                self.warn(
                    DiagnosticKind::WebhooksIgnored,
                    "/webhooks",
                    message,
                    "handle webhook requests in your server; their schemas under \
                     `components/schemas` are still generated",
                );
            }
        }
        if !root.contains_key("paths") {
            root.insert("paths".to_string(), json!({}));
        }
        self.inline_path_item_refs(root);
        each_value(root, "paths", "", |v, p| self.path_item(v, p));
        let Some(Value::Object(components)) = root.get_mut("components") else {
            return;
        };
        let c = "/components";
        each_value(components, "schemas", c, |v, p| self.schema(v, p));
        each_value(components, "parameters", c, |v, p| self.parameter(v, p));
        each_value(components, "headers", c, |v, p| self.parameter(v, p));
        each_value(components, "responses", c, |v, p| self.response(v, p));
        each_value(components, "requestBodies", c, |v, p| {
            self.request_body(v, p)
        });
        each_value(components, "pathItems", c, |v, p| self.path_item(v, p));
        each_value(components, "callbacks", c, |v, p| self.callback(v, p));
    }

    /// A path item that is a local `$ref` (3.1 keeps reusable ones in
    /// `components/pathItems`) becomes a copy of its target, with the
    /// reference's `summary` and `description` taking precedence.
    fn inline_path_item_refs(&mut self, root: &mut Map<String, Value>) {
        let Some(Value::Object(paths)) = root.get("paths") else {
            return;
        };
        let mut copies: Vec<(String, Value)> = Vec::new();
        for (path, item) in paths {
            let Some(Value::String(r)) = item.get("$ref") else {
                continue;
            };
            let Some(local) = r.strip_prefix('#') else {
                continue;
            };
            match lookup(root, local).cloned() {
                Some(Value::Object(mut target)) if !target.contains_key("$ref") => {
                    for (k, v) in item.as_object().into_iter().flatten() {
                        if k != "$ref" {
                            target.insert(k.clone(), v.clone());
                        }
                    }
                    copies.push((path.clone(), Value::Object(target)));
                }
                _ => {}
            }
        }
        if let Some(Value::Object(paths)) = root.get_mut("paths") {
            for (path, item) in copies {
                paths.insert(path, item);
            }
        }
    }

    fn path_item(&mut self, v: &mut Value, p: &str) {
        let Value::Object(m) = v else { return };
        each_item(m, "parameters", p, |v, p| self.parameter(v, p));
        for method in METHODS {
            if let Some(Value::Object(op)) = m.get_mut(method) {
                self.operation(op, &child(p, method));
            }
        }
    }

    fn callback(&mut self, v: &mut Value, p: &str) {
        if let Value::Object(m) = v {
            if self.reference(m, p) {
                return;
            }
            for (k, item) in m.iter_mut() {
                self.path_item(item, &child(p, k));
            }
        }
    }

    fn operation(&mut self, op: &mut Map<String, Value>, p: &str) {
        if !op.contains_key("responses") {
            op.insert("responses".to_string(), json!({}));
        }
        each_item(op, "parameters", p, |v, p| self.parameter(v, p));
        if let Some(body) = op.get_mut("requestBody") {
            self.request_body(body, &child(p, "requestBody"));
        }
        each_value(op, "responses", p, |v, p| self.response(v, p));
        each_value(op, "callbacks", p, |v, p| self.callback(v, p));
    }

    /// A parameter or a header.
    fn parameter(&mut self, v: &mut Value, p: &str) {
        let Value::Object(m) = v else { return };
        if self.reference(m, p) {
            return;
        }
        if let Some(s) = m.get_mut("schema") {
            self.schema(s, &child(p, "schema"));
        }
        each_value(m, "content", p, |v, p| self.media_type(v, p));
    }

    fn request_body(&mut self, v: &mut Value, p: &str) {
        let Value::Object(m) = v else { return };
        if self.reference(m, p) {
            return;
        }
        each_value(m, "content", p, |v, p| self.media_type(v, p));
    }

    fn response(&mut self, v: &mut Value, p: &str) {
        let Value::Object(m) = v else { return };
        if self.reference(m, p) {
            return;
        }
        each_value(m, "headers", p, |v, p| self.parameter(v, p));
        each_value(m, "content", p, |v, p| self.media_type(v, p));
    }

    fn media_type(&mut self, v: &mut Value, p: &str) {
        let Value::Object(m) = v else { return };
        if let Some(s) = m.get_mut("schema") {
            self.schema(s, &child(p, "schema"));
        }
        if let Some(Value::Object(encodings)) = m.get_mut("encoding") {
            let at = child(p, "encoding");
            for (k, e) in encodings.iter_mut() {
                if let Value::Object(e) = e {
                    let at = child(&at, k);
                    each_value(e, "headers", &at, |v, p| self.parameter(v, p));
                }
            }
        }
    }

    /// True when `m` is a Reference Object (not a schema). Its `summary` and
    /// `description` would override the target's; cloudgen documents the target.
    fn reference(&mut self, m: &Map<String, Value>, p: &str) -> bool {
        if !m.contains_key("$ref") {
            return false;
        }
        let overrides: Vec<&str> = ["summary", "description"]
            .into_iter()
            .filter(|k| m.contains_key(*k))
            .collect();
        if !overrides.is_empty() {
            let message = format!(
                "the `{}` beside this `$ref` is not used; the generated code documents the \
                 referenced object with its own text",
                overrides.join("` and `")
            );
            self.warn(
                DiagnosticKind::RefSiblingIgnored,
                p,
                message,
                "move the text into the referenced object if it should appear in the client",
            );
        }
        true
    }
}

// ---------------------------------------------------------------------------
// schemas

impl Normalizer<'_> {
    /// A schema and, first, every schema inside it.
    fn schema(&mut self, v: &mut Value, p: &str) {
        if let Value::Bool(b) = v {
            *v = if *b { json!({}) } else { json!({ "not": {} }) };
            return;
        }
        let Value::Object(m) = v else { return };
        for key in [
            "properties",
            "patternProperties",
            "$defs",
            "dependentSchemas",
        ] {
            each_value(m, key, p, |v, p| self.schema(v, p));
        }
        for key in [
            "items",
            "not",
            "contains",
            "if",
            "then",
            "else",
            "propertyNames",
        ] {
            if let Some(s) = m.get_mut(key) {
                self.schema(s, &child(p, key));
            }
        }
        for key in [
            "additionalProperties",
            "unevaluatedProperties",
            "unevaluatedItems",
        ] {
            // `true`/`false` here mean "any"/"none", as in 3.0: only schemas are rewritten.
            if let Some(s @ Value::Object(_)) = m.get_mut(key) {
                self.schema(s, &child(p, key));
            }
        }
        for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            each_item(m, key, p, |v, p| self.schema(v, p));
        }
        const_to_enum(m);
        examples_to_example(m);
        exclusive_bounds(m);
        self.content_keywords(m, p);
        self.prefix_items(m, p);
        self.pattern_properties(m, p);
        self.type_keyword(m, p);
        null_branches(m);
        ref_siblings(m);
        for key in UNSUPPORTED {
            if m.contains_key(key) {
                let message = format!(
                    "the JSON Schema keyword `{key}` has no equivalent in the generated types; \
                     it is ignored"
                );
                self.warn(
                    DiagnosticKind::UnsupportedKeyword,
                    &child(p, key),
                    message,
                    "describe the value with `oneOf`/`allOf` and plain properties for a precise type",
                );
            }
        }
    }

    /// `contentEncoding` and `contentMediaType`: the 3.1 spelling of 3.0's
    /// `format: byte` and `format: binary`.
    fn content_keywords(&mut self, m: &mut Map<String, Value>, p: &str) {
        let encoding = m.remove("contentEncoding");
        let media = m.remove("contentMediaType");
        let format = match (&encoding, &media) {
            (Some(Value::String(e)), _) if e.eq_ignore_ascii_case("base64") => Some("byte"),
            (Some(e), _) => {
                let message = format!(
                    "`contentEncoding: {}` has no 3.0 format; the value is typed as the \
                     encoded string",
                    value_text(e)
                );
                self.warn(
                    DiagnosticKind::UnsupportedKeyword,
                    &child(p, "contentEncoding"),
                    message,
                    "decode the string yourself, or use `contentEncoding: base64` for bytes",
                );
                None
            }
            (None, Some(Value::String(t))) if is_binary_media_type(t) => Some("binary"),
            _ => None,
        };
        if let Some(format) = format {
            if !m.contains_key("format") {
                m.insert("format".to_string(), json!(format));
            }
            if !m.contains_key("type") {
                m.insert("type".to_string(), json!("string"));
            }
        }
    }

    /// `prefixItems` (a tuple): one item schema when every position has the same,
    /// otherwise a list of any JSON values, with a warning.
    fn prefix_items(&mut self, m: &mut Map<String, Value>, p: &str) {
        let Some(Value::Array(prefix)) = m.remove("prefixItems") else {
            return;
        };
        let mut schemas: Vec<&Value> = prefix.iter().collect();
        let closed = matches!(m.get("items"), Some(Value::Object(i)) if i.get("not") == Some(&json!({})) && i.len() == 1);
        if let Some(items) = m.get("items").filter(|_| !closed) {
            schemas.push(items);
        }
        let common = match schemas.split_first() {
            Some((first, rest)) if rest.iter().all(|s| s == first) => Some((*first).clone()),
            _ => None,
        };
        if !m.contains_key("type") {
            m.insert("type".to_string(), json!("array"));
        }
        match common {
            Some(items) => {
                m.insert("items".to_string(), items);
            }
            None => {
                m.insert("items".to_string(), json!({}));
                self.warn(
                    DiagnosticKind::UnsupportedKeyword,
                    &child(p, "prefixItems"),
                    "`prefixItems` gives the positions of this tuple different schemas, which \
                     a Rust list cannot carry; the items are typed as any JSON value"
                        .to_string(),
                    "give every position the same schema (`items`), or use an object with \
                     named properties",
                );
            }
        }
    }

    /// `patternProperties` and an `unevaluatedProperties` schema as `additionalProperties`.
    fn pattern_properties(&mut self, m: &mut Map<String, Value>, p: &str) {
        if let Some(Value::Object(patterns)) = m.remove("patternProperties") {
            let mut values = patterns.values();
            let first = values.next().cloned();
            let same = values.all(|v| Some(v) == first.as_ref());
            match first {
                Some(schema) if same && !m.contains_key("additionalProperties") => {
                    m.insert("additionalProperties".to_string(), schema);
                }
                Some(_) => {
                    let message = "`patternProperties` with schemas that differ by pattern \
                                   (or beside `additionalProperties`) cannot be typed; the \
                                   matching properties are read as `additionalProperties`"
                        .to_string();
                    self.warn(
                        DiagnosticKind::UnsupportedKeyword,
                        &child(p, "patternProperties"),
                        message,
                        "give every pattern the same schema, or name the properties",
                    );
                }
                None => {}
            }
        }
        if let Some(s @ Value::Object(_)) = m.remove("unevaluatedProperties") {
            if !m.contains_key("additionalProperties") {
                m.insert("additionalProperties".to_string(), s);
            }
        }
    }

    /// `type` arrays and `type: "null"`.
    fn type_keyword(&mut self, m: &mut Map<String, Value>, p: &str) {
        let types: Vec<String> = match m.get("type") {
            Some(Value::String(t)) if t == "null" => vec![t.clone()],
            Some(Value::Array(list)) => list.iter().map(value_text).collect(),
            _ => return,
        };
        m.remove("type");
        let mut others: Vec<String> = Vec::new();
        for t in types.iter().filter(|t| *t != "null") {
            if !others.contains(t) {
                others.push(t.clone());
            }
        }
        if others.contains(&"number".to_string()) {
            others.retain(|t| t != "integer");
        }
        let nullable = types.len() > others.len();
        match others.as_slice() {
            [] => {
                m.insert("enum".to_string(), json!([null]));
                return;
            }
            [one] => {
                m.insert("type".to_string(), json!(one));
            }
            many => {
                if m.contains_key("oneOf") && m.contains_key("anyOf") {
                    let message = format!(
                        "`type: [{}]` beside both `oneOf` and `anyOf` cannot be expressed; \
                         the value is typed by its `oneOf`",
                        many.join(", ")
                    );
                    self.warn(
                        DiagnosticKind::UnsupportedKeyword,
                        &child(p, "type"),
                        message,
                        "list the types as `oneOf` branches",
                    );
                } else {
                    let branches: Vec<Value> = many.iter().map(|t| type_branch(m, t)).collect();
                    for t in many {
                        for k in keywords_of(t) {
                            m.remove(*k);
                        }
                    }
                    m.remove("format");
                    m.remove("enum");
                    let key = if m.contains_key("oneOf") {
                        "anyOf"
                    } else {
                        "oneOf"
                    };
                    m.insert(key.to_string(), Value::Array(branches));
                }
            }
        }
        if nullable {
            m.insert("nullable".to_string(), json!(true));
            if let Some(Value::Array(values)) = m.get_mut("enum") {
                if !values.contains(&Value::Null) {
                    values.push(Value::Null);
                }
            }
        }
    }
}

/// The branch of one type of a type array: the type and the keywords that apply to it.
fn type_branch(m: &Map<String, Value>, typ: &str) -> Value {
    let mut b = Map::new();
    b.insert("type".to_string(), json!(typ));
    for k in keywords_of(typ) {
        if let Some(v) = m.get(*k) {
            b.insert((*k).to_string(), v.clone());
        }
    }
    if let Some(Value::String(f)) = m.get("format") {
        let numeric = matches!(f.as_str(), "int32" | "int64" | "float" | "double");
        if numeric == matches!(typ, "integer" | "number")
            && matches!(typ, "string" | "integer" | "number")
        {
            b.insert("format".to_string(), json!(f));
        }
    }
    if let Some(Value::Array(values)) = m.get("enum") {
        let fits: Vec<Value> = values
            .iter()
            .filter(|v| match typ {
                "string" => v.is_string(),
                "integer" => v.is_i64() || v.is_u64(),
                "number" => v.is_number(),
                "boolean" => v.is_boolean(),
                "array" => v.is_array(),
                "object" => v.is_object(),
                _ => false,
            })
            .cloned()
            .collect();
        if !fits.is_empty() {
            b.insert("enum".to_string(), Value::Array(fits));
        }
    }
    Value::Object(b)
}

fn const_to_enum(m: &mut Map<String, Value>) {
    if let Some(c) = m.remove("const") {
        m.insert("enum".to_string(), Value::Array(vec![c]));
    }
}

/// A schema's `examples` list: its first entry is the 3.0 `example`.
fn examples_to_example(m: &mut Map<String, Value>) {
    if !matches!(m.get("examples"), Some(Value::Array(_))) {
        return;
    }
    if let Some(Value::Array(mut list)) = m.remove("examples") {
        if !m.contains_key("example") && !list.is_empty() {
            m.insert("example".to_string(), list.swap_remove(0));
        }
    }
}

/// Numeric `exclusiveMinimum`/`exclusiveMaximum` as a bound plus the 3.0 flag;
/// of two lower (upper) bounds, the stricter is kept.
fn exclusive_bounds(m: &mut Map<String, Value>) {
    for (exclusive, bound, lower) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        let Some(Value::Number(x)) = m.get(exclusive).cloned() else {
            continue;
        };
        m.remove(exclusive);
        let xf = x.as_f64().unwrap_or(0.0);
        let stricter = match m.get(bound).and_then(Value::as_f64) {
            Some(b) => (lower && xf >= b) || (!lower && xf <= b),
            None => true,
        };
        if stricter {
            m.insert(bound.to_string(), Value::Number(x));
            m.insert(exclusive.to_string(), json!(true));
        }
    }
}

/// True for a branch that only admits `null` (a rewritten `type: "null"`).
fn is_null_branch(v: &Value) -> bool {
    v.get("enum") == Some(&json!([null]))
        && v.as_object().is_some_and(|m| {
            m.keys()
                .all(|k| matches!(k.as_str(), "enum" | "description" | "title" | "nullable"))
        })
}

/// `oneOf`/`anyOf` with a null branch: the other branches, nullable.
fn null_branches(m: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(list)) = m.get_mut(key) else {
            continue;
        };
        let before = list.len();
        list.retain(|v| !is_null_branch(v));
        if list.len() == before {
            continue;
        }
        if list.is_empty() {
            m.remove(key);
            m.insert("enum".to_string(), json!([null]));
        } else {
            m.insert("nullable".to_string(), json!(true));
        }
    }
}

/// A `$ref` with sibling keywords, which 3.1 applies (3.0 ignores them): the
/// reference moves into `allOf`, so the siblings stay in force.
fn ref_siblings(m: &mut Map<String, Value>) {
    if !m.contains_key("$ref") {
        return;
    }
    for k in ["$comment", "$schema", "$id", "$anchor", "$dynamicAnchor"] {
        m.remove(k);
    }
    if m.len() == 1 {
        return;
    }
    let Some(r) = m.remove("$ref") else { return };
    let reference = json!({ "$ref": r });
    match m.get_mut("allOf") {
        Some(Value::Array(list)) => list.insert(0, reference),
        _ => {
            m.insert("allOf".to_string(), json!([reference]));
        }
    }
}

/// The node a local pointer names, from the root mapping.
fn lookup<'v>(root: &'v Map<String, Value>, local: &str) -> Option<&'v Value> {
    let rest = local.strip_prefix('/')?;
    let (first, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let node = root.get(&first.replace("~1", "/").replace("~0", "~"))?;
    if tail.is_empty() {
        Some(node)
    } else {
        node.pointer(&format!("/{tail}"))
    }
}

/// Media types whose content is bytes rather than text.
fn is_binary_media_type(t: &str) -> bool {
    let t = t
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    !(t.starts_with("text/")
        || t.ends_with("json")
        || t.ends_with("xml")
        || t.ends_with("+yaml")
        || t == "application/x-www-form-urlencoded")
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
