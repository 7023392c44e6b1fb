//! Mutated YAML: a seed spec (a provider spec or a fixture), parsed into a YAML
//! tree, then changed where the fuzzer's bytes say: values replaced by values of
//! the wrong type, `$ref`s pointed elsewhere, keys removed, subtrees copied into
//! other places. Byte-level mutation rarely gets past the YAML parser; this keeps
//! the document well-formed so lowering and emission see the odd shapes.
//! Half of the mutants are declared OpenAPI 3.1, and replacements include schemas
//! spelled with 3.1 keywords, so the 3.1 normalisation sees them too.
//! load + lower + emit + format must return code or diagnostics, never panic,
//! hang or report an internal error.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use serde_yaml::{Mapping, Value};

include!(concat!(env!("OUT_DIR"), "/seeds.rs"));

/// The seeds, parsed once; seeds that do not parse (broken fixtures) are skipped.
fn trees() -> &'static [(&'static str, Value)] {
    static TREES: OnceLock<Vec<(&'static str, Value)>> = OnceLock::new();
    TREES.get_or_init(|| {
        SEEDS
            .iter()
            .filter_map(|(name, text)| Some((*name, serde_yaml::from_str(text).ok()?)))
            .collect()
    })
}

/// Reads the fuzzer's bytes as a stream of choices.
struct Choices<'a>(&'a [u8]);

impl Choices<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    fn below(&mut self, n: usize) -> Option<usize> {
        if n == 0 {
            return Some(0);
        }
        let wide = u16::from_le_bytes([self.byte()?, self.byte().unwrap_or(0)]);
        Some(usize::from(wide) % n)
    }
}

/// Values of the kinds a spec holds, and of the kinds it must not.
fn replacement(choices: &mut Choices<'_>, refs: &[String]) -> Option<Value> {
    let strings = [
        "",
        "object",
        "array",
        "string",
        "integer",
        "number",
        "boolean",
        "null",
        "int64",
        "date-time",
        "uuid",
        "binary",
        "byte",
        "{id}",
        "/{a}/{a}",
        "200",
        "default",
        "type",
        "self",
        "Self",
        "r#type",
        "_",
        "0abc",
        "日本語",
        "\u{0}",
        "#",
        "#/",
        "#/components",
    ];
    Some(match choices.below(14)? {
        12 => openapi31_schema(choices, refs)?,
        13 => Value::Sequence(vec!["string".into(), "null".into()]),
        0 => Value::Null,
        1 => Value::Bool(choices.byte()? % 2 == 0),
        2 => Value::Number((i64::from(choices.byte()?) - 128).into()),
        3 => Value::Number(serde_yaml::Number::from(1e300)),
        4 => Value::Number(u64::MAX.into()),
        5 | 6 => Value::String(strings[choices.below(strings.len())?].to_owned()),
        7 => Value::Sequence(Vec::new()),
        8 => Value::Mapping(Mapping::new()),
        _ if refs.is_empty() => Value::Null,
        9 | 10 => {
            let mut map = Mapping::new();
            let target = refs[choices.below(refs.len())?].clone();
            map.insert("$ref".into(), target.into());
            Value::Mapping(map)
        }
        _ => {
            let mut map = Mapping::new();
            let target = format!("{}/nope", refs[choices.below(refs.len())?]);
            map.insert("$ref".into(), target.into());
            Value::Mapping(map)
        }
    })
}

/// A schema spelled with OpenAPI 3.1 keywords, which the loader rewrites into the 3.0 model.
fn openapi31_schema(choices: &mut Choices<'_>, refs: &[String]) -> Option<Value> {
    let yaml = match choices.below(12)? {
        0 => "type: [string, 'null']",
        1 => "type: [integer, string, boolean, 'null']",
        2 => "type: 'null'",
        3 => "const: 7",
        4 => "{type: integer, exclusiveMinimum: 1, exclusiveMaximum: 0}",
        5 => "{type: array, prefixItems: [{type: string}, true], items: false}",
        6 => "{type: string, contentEncoding: base64, contentMediaType: image/png}",
        7 => "{examples: [1, 'a'], patternProperties: {'^a': {}, '^b': {type: string}}}",
        8 => "{oneOf: [{type: 'null'}, {type: 'null'}]}",
        9 => "{$defs: {A: {type: [object, array]}}, if: {}, then: false}",
        10 => "{anyOf: [{type: 'null'}], type: [number, integer]}",
        _ => "{description: sibling, nullable: true}",
    };
    let mut value: Value = serde_yaml::from_str(yaml).ok()?;
    // Half of them become a `$ref` with these keywords as siblings.
    if let (Value::Mapping(map), false) = (&mut value, refs.is_empty()) {
        if choices.byte()? % 2 == 0 {
            let target = refs[choices.below(refs.len())?].clone();
            map.insert("$ref".into(), target.into());
        }
    }
    Some(value)
}

/// JSON pointers of every node, and of the nodes a `$ref` can name.
fn walk(value: &Value, pointer: &mut String, nodes: &mut Vec<String>, refs: &mut Vec<String>) {
    nodes.push(pointer.clone());
    if pointer.starts_with("/components/") && pointer.matches('/').count() == 3 {
        refs.push(format!("#{pointer}"));
    }
    let len = pointer.len();
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                let key = match key {
                    Value::String(s) => s.replace('~', "~0").replace('/', "~1"),
                    _ => continue,
                };
                pointer.push('/');
                pointer.push_str(&key);
                walk(child, pointer, nodes, refs);
                pointer.truncate(len);
            }
        }
        Value::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                pointer.push_str(&format!("/{i}"));
                walk(child, pointer, nodes, refs);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

fn node_mut<'a>(root: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    let mut node = root;
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        node = match node {
            Value::Mapping(map) => map.get_mut(token.as_str())?,
            Value::Sequence(items) => items.get_mut(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// One mutation; `None` when the bytes ran out.
fn mutate(doc: &mut Value, choices: &mut Choices<'_>) -> Option<()> {
    let (mut nodes, mut refs) = (Vec::new(), Vec::new());
    walk(doc, &mut String::new(), &mut nodes, &mut refs);
    let at = nodes[choices.below(nodes.len())?].clone();
    match choices.below(4)? {
        // Replace the node.
        0 | 1 => {
            let value = replacement(choices, &refs)?;
            *node_mut(doc, &at)? = value;
        }
        // Remove it from its parent.
        2 => {
            let (parent, key) = at.rsplit_once('/')?;
            let key = key.replace("~1", "/").replace("~0", "~");
            match node_mut(doc, parent)? {
                Value::Mapping(map) => {
                    map.remove(key.as_str());
                }
                Value::Sequence(items) => {
                    let i = key.parse::<usize>().ok()?;
                    if i < items.len() {
                        items.remove(i);
                    }
                }
                _ => {}
            }
        }
        // Copy another subtree over it (a schema where a parameter was, a path
        // item into a schema, a node into its own child).
        _ => {
            let from = &nodes[choices.below(nodes.len())?];
            let copy = node_mut(&mut doc.clone(), from)?.clone();
            *node_mut(doc, &at)? = copy;
        }
    }
    Some(())
}

fuzz_target!(|data: &[u8]| {
    let mut choices = Choices(data);
    let trees = trees();
    let Some(pick) = choices.below(trees.len()) else {
        return;
    };
    let (name, tree) = &trees[pick];
    let mut doc = tree.clone();
    // Half of the mutants of 3.0 seeds are read as OpenAPI 3.1 documents.
    if choices.byte().unwrap_or(0) % 2 == 0 {
        if let Value::Mapping(map) = &mut doc {
            if map.contains_key("openapi") {
                map.insert("openapi".into(), "3.1.0".into());
            }
        }
    }
    let rounds = 1 + choices.byte().unwrap_or(0) % 4;
    for _ in 0..rounds {
        if mutate(&mut doc, &mut choices).is_none() {
            break;
        }
    }
    let Ok(text) = serde_yaml::to_string(&doc) else {
        return;
    };
    let result = cloudgen::Generator::new()
        .module_name("fuzzed")
        .runtime_path("cloudapi::runtime")
        .generate_str(name, &text);
    if let Err(diagnostics) = result {
        assert!(
            !diagnostics.iter().any(|d| d.kind == "internal"),
            "internal error in a mutant of {name}:\n{diagnostics}\n--- mutant ---\n{text}"
        );
    }
});
