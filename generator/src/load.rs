//! Phase 1: file bytes to an `openapiv3::OpenAPI` document plus a source map.
//!
//! The document is read twice: once into a generic JSON value (to check the
//! version before trusting the structure, and to keep extension values as they
//! were written), and once by an event parser that records where each node
//! starts, so later phases can turn a JSON pointer into a line and column.

use std::collections::HashMap;

use serde_json::Value;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diagnostics::{escape_pointer_token, Diagnostic, Diagnostics};

/// A loaded spec, ready to be lowered.
#[derive(Debug, Clone)]
pub struct Document {
    /// The file name used in diagnostics.
    pub file: String,
    /// The typed document.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as a generic value, for pointer lookups.
    pub raw: Value,
    /// Where each node starts in the source text.
    pub source_map: SourceMap,
}

/// JSON pointer to 1-based line and column.
///
/// The map is built on first use: only documents with diagnostics need it, and
/// for a large document it costs more than parsing (2 s for a 20 MB JSON file).
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    text: std::sync::Arc<str>,
    positions: std::sync::OnceLock<HashMap<String, (usize, usize)>>,
}

impl SourceMap {
    /// The map of a YAML or JSON text, empty when the text cannot be parsed
    /// (syntax errors are reported elsewhere). Built lazily, on first lookup.
    pub fn build(text: &str) -> SourceMap {
        SourceMap {
            text: text.into(),
            positions: std::sync::OnceLock::new(),
        }
    }

    fn positions(&self) -> &HashMap<String, (usize, usize)> {
        self.positions.get_or_init(|| {
            let mut recorder = Recorder::default();
            let mut parser = Parser::new_from_str(&self.text);
            if parser.load(&mut recorder, false).is_err() {
                return HashMap::new();
            }
            recorder.positions
        })
    }

    /// The line and column of `pointer`, or of its nearest ancestor that is known.
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        let positions = self.positions();
        let mut p = pointer;
        loop {
            if let Some(pos) = positions.get(p) {
                return Some(*pos);
            }
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        }
    }

    /// Fills in the line and column of a diagnostic from its pointer.
    pub fn place(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        if diagnostic.line.is_none() {
            if let Some(pointer) = &diagnostic.pointer {
                if let Some((line, column)) = self.locate(pointer) {
                    diagnostic.line = Some(line);
                    diagnostic.column = Some(column);
                }
            }
        }
        diagnostic
    }
}

enum Frame {
    Map {
        pointer: String,
        key: Option<String>,
    },
    Seq {
        pointer: String,
        index: usize,
    },
}

#[derive(Default)]
struct Recorder {
    stack: Vec<Frame>,
    positions: HashMap<String, (usize, usize)>,
}

impl Recorder {
    /// The pointer of the node that starts now, and whether it is a map key.
    fn next_node(&mut self) -> Option<(String, bool)> {
        match self.stack.last_mut() {
            None => Some((String::new(), false)),
            Some(Frame::Map { key: None, .. }) => None,
            Some(Frame::Map {
                pointer,
                key: Some(key),
            }) => Some((format!("{pointer}/{}", escape_pointer_token(key)), false)),
            Some(Frame::Seq { pointer, index }) => {
                let p = format!("{pointer}/{index}");
                *index += 1;
                Some((p, false))
            }
        }
    }

    fn value_done(&mut self) {
        if let Some(Frame::Map { key, .. }) = self.stack.last_mut() {
            *key = None;
        }
    }
}

impl MarkedEventReceiver for Recorder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let position = (mark.line(), mark.col() + 1);
        match ev {
            Event::Scalar(value, ..) => {
                if let Some(Frame::Map { pointer, key }) = self.stack.last_mut() {
                    if key.is_none() {
                        // The parser marks a block mapping at the `:` after its first
                        // key; the mapping really starts at that key.
                        if let Some(start) = self.positions.get_mut(pointer.as_str()) {
                            if *start > position {
                                *start = position;
                            }
                        }
                        let p = format!("{pointer}/{}", escape_pointer_token(&value));
                        self.positions.entry(p).or_insert(position);
                        *key = Some(value);
                        return;
                    }
                }
                if let Some((p, _)) = self.next_node() {
                    self.positions.entry(p).or_insert(position);
                }
                self.value_done();
            }
            Event::Alias(_) => {
                if let Some((p, _)) = self.next_node() {
                    self.positions.entry(p).or_insert(position);
                }
                self.value_done();
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let pointer = match self.next_node() {
                    Some((p, _)) => p,
                    // A complex mapping key; track it under a throwaway pointer.
                    None => String::from("/?"),
                };
                self.positions.entry(pointer.clone()).or_insert(position);
                if matches!(ev, Event::MappingStart(..)) {
                    self.stack.push(Frame::Map { pointer, key: None });
                } else {
                    self.stack.push(Frame::Seq { pointer, index: 0 });
                }
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.value_done();
            }
            _ => {}
        }
    }
}

/// Reads and loads a spec file.
pub fn load_file(path: &std::path::Path) -> Result<Document, Diagnostics> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        Diagnostic::error("io", &file, format!("cannot read the spec: {e}"))
            .hint("check that the path exists and is a UTF-8 text file")
    })?;
    load_str(&file, &text)
}

/// Loads a spec from text; `file` names it in diagnostics.
pub fn load_str(file: &str, text: &str) -> Result<Document, Diagnostics> {
    let raw = parse_value(file, text)?;
    let source_map = SourceMap::build(text);
    let place = |d: Diagnostic| -> Diagnostics { source_map.place(d).into() };

    let Some(root) = raw.as_object() else {
        return Err(place(
            Diagnostic::error(
                "not-a-mapping",
                file,
                format!(
                    "the document root is {}, not a mapping",
                    describe_value(&raw)
                ),
            )
            .at("")
            .hint("an OpenAPI document is a mapping with `openapi`, `info` and `paths` at the top"),
        ));
    };
    match root.get("openapi") {
        None => {
            let d = if let Some(v) = root.get("swagger") {
                Diagnostic::error(
                    "unsupported-version",
                    file,
                    format!(
                        "this is a Swagger {} document; cloudgen supports OpenAPI 3.0.x",
                        value_text(v)
                    ),
                )
                .at("/swagger")
                .hint("convert it to OpenAPI 3.0 first, for example with swagger2openapi")
            } else {
                Diagnostic::error(
                    "missing-version",
                    file,
                    "the document has no `openapi` field",
                )
                .at("")
                .hint("add `openapi: 3.0.3` at the top of the document")
            };
            return Err(place(d));
        }
        Some(v) => {
            let version = value_text(v);
            if !version.starts_with("3.0") {
                let hint = if version.starts_with("3.1") {
                    "OpenAPI 3.1 is not supported yet; if the document uses no other 3.1-only \
                     features (`const`, `examples` in schemas, webhooks), set `openapi: 3.0.3` and \
                     write `nullable: true` instead of a `\"null\"` entry in a type array"
                } else {
                    "cloudgen reads OpenAPI 3.0.0 to 3.0.3 documents; set `openapi: 3.0.3`"
                };
                return Err(place(
                    Diagnostic::error(
                        "unsupported-version",
                        file,
                        format!("found OpenAPI version {version}; cloudgen supports OpenAPI 3.0.x"),
                    )
                    .at("/openapi")
                    .hint(hint),
                ));
            }
        }
    }

    let openapi: openapiv3::OpenAPI = match serde_path_to_error::deserialize(&raw) {
        Ok(o) => o,
        Err(e) => {
            let pointer = serde_path_to_pointer(e.path());
            let inner = e.into_inner().to_string();
            return Err(place(
                Diagnostic::error(
                    "invalid-structure",
                    file,
                    format!("the document does not follow the OpenAPI 3.0 structure: {inner}"),
                )
                .at(pointer)
                .hint("compare this node with the OpenAPI 3.0.3 specification of its object type"),
            ));
        }
    };
    Ok(Document {
        file: file.to_string(),
        openapi,
        raw,
        source_map,
    })
}

fn parse_value(file: &str, text: &str) -> Result<Value, Diagnostics> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return serde_json::from_str::<Value>(text).map_err(|e| {
            Diagnostic::error("json-syntax", file, format!("invalid JSON: {e}"))
                .line_col(e.line(), e.column())
                .hint("fix the JSON syntax at this position (a trailing comma or a missing quote is typical)")
                .into()
        });
    }
    let yaml: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let mut d = Diagnostic::error("yaml-syntax", file, format!("invalid YAML: {e}"))
                .hint("fix the YAML syntax at this position (indentation and unquoted `: ` are typical causes)");
            if let Some(loc) = e.location() {
                d = d.line_col(loc.line(), loc.column());
            }
            return Err(d.into());
        }
    };
    let mut yaml = yaml;
    if let Err(e) = yaml.apply_merge() {
        return Err(
            Diagnostic::error("yaml-syntax", file, format!("invalid YAML merge key: {e}"))
                .hint("`<<` must be followed by a mapping or a list of mappings")
                .into(),
        );
    }
    yaml_to_json(&yaml).map_err(|m| {
        Diagnostic::error("yaml-value", file, m)
            .hint("use only values JSON can represent (no binary or non-finite numbers)")
            .into()
    })
}

fn yaml_to_json(v: &serde_yaml::Value) -> Result<Value, String> {
    use serde_yaml::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| format!("the number {n} has no JSON representation"))?
            }
        }
        Y::String(s) => Value::String(s.clone()),
        Y::Sequence(items) => {
            Value::Array(items.iter().map(yaml_to_json).collect::<Result<_, _>>()?)
        }
        Y::Mapping(m) => {
            let mut out = serde_json::Map::new();
            for (k, v) in m {
                let key = match k {
                    Y::String(s) => s.clone(),
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    other => {
                        return Err(format!("a mapping key must be a scalar, found {other:?}"))
                    }
                };
                out.insert(key, yaml_to_json(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => yaml_to_json(&t.value)?,
    })
}

fn serde_path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape_pointer_token(key));
            }
            Segment::Enum { variant } => {
                out.push('/');
                out.push_str(&escape_pointer_token(variant));
            }
            Segment::Unknown => {}
        }
    }
    out
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn describe_value(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}
