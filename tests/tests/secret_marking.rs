//! Every string in the provider specs whose name says it holds a credential (a password, a
//! secret, a token, a private key, an auth code, ...) is marked `format: password` or
//! `x-cloudgen-secret: true`, so that the generated type is a `runtime::Secret` that `Debug`
//! never shows. A name that only looks like one (a public key, a label key, a token's id) is in
//! `NOT_SECRETS` with the reason; an entry there that no longer matches anything fails too, so
//! the list stays honest as the specs change.

use std::collections::BTreeSet;

use serde_yaml::Value;

const SPECS: &[&str] = &[
    "upcloud.yaml",
    "upcloud_metadata.yaml",
    "transip.yaml",
    "unikraft.yaml",
];

/// (spec, where: `Schema.property` or `parameter name@path`, why it is no secret).
const NOT_SECRETS: &[(&str, &str, &str)] = &[
    (
        "upcloud.yaml",
        "NetworkInterfaceLabel.key",
        "the name of a label",
    ),
    ("upcloud.yaml", "Label.key", "the name of a label"),
    ("upcloud.yaml", "SshKeyList.ssh_key", "public SSH keys"),
    (
        "upcloud_metadata.yaml",
        "Metadata.public_keys",
        "public SSH keys",
    ),
    ("transip.yaml", "SshKey.key", "a public SSH key"),
    (
        "transip.yaml",
        "SshKeyCreateRequest.sshKey",
        "a public SSH key",
    ),
    ("transip.yaml", "VpsOrder.sshKeys", "public SSH keys"),
    ("transip.yaml", "VpsOrderRequest.sshKeys", "public SSH keys"),
    (
        "transip.yaml",
        "VpsOperatingSystemInstallRequest.sshKeys",
        "public SSH keys",
    ),
    (
        "transip.yaml",
        "DnsSecEntry.publicKey",
        "a public DNSSEC key",
    ),
    (
        "transip.yaml",
        "OpenStackToken.tokenId",
        "the id of the token, used in paths to name it; the secret half is `secretKey`",
    ),
    (
        "transip.yaml",
        "OpenStackToken.accessKey",
        "the S3 access key id, which names the credential (the secret half is `secretKey`)",
    ),
    (
        "transip.yaml",
        "tokenId@OpenStackTokenId",
        "the id of an S3 token, not the token",
    ),
    ("transip.yaml", "KubernetesTaint.key", "the name of a taint"),
    ("transip.yaml", "KubernetesLabel.key", "the name of a label"),
];

/// Whether a property or parameter name says that its value is a credential.
fn looks_secret(name: &str) -> bool {
    let flat: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    const PARTS: &[&str] = &[
        "password",
        "passwd",
        "passphrase",
        "secret",
        "token",
        "credential",
        "privatekey",
        "pkey",
        "authcode",
        "apikey",
    ];
    PARTS.iter().any(|p| flat.contains(p)) || flat.ends_with("key") || flat.ends_with("keys")
}

/// What a property's schema holds, as far as secrecy goes.
enum Holds {
    /// A plain string (or a list of them) marked as a secret.
    Secret,
    /// A plain string (or a list of them) not marked.
    Text,
    /// Anything else: a number, a boolean, an enum, a codec value, an object.
    Other,
}

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_mapping().and_then(|m| m.get(key))
}

/// The schema a `$ref` names (local references only), or the schema itself.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let Some(reference) = get(schema, "$ref").and_then(Value::as_str) else {
        return schema;
    };
    let mut node = root;
    for token in reference.trim_start_matches("#/").split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        match get(node, &token) {
            Some(next) => node = next,
            None => panic!("unresolved reference {reference}"),
        }
    }
    resolve(root, node)
}

fn holds(root: &Value, schema: &Value) -> Holds {
    let schema = resolve(root, schema);
    let marked = get(schema, "x-cloudgen-secret").and_then(Value::as_bool);
    match get(schema, "type").and_then(Value::as_str) {
        Some("array") => match get(schema, "items") {
            Some(items) => holds(root, items),
            None => Holds::Other,
        },
        Some("string") => {
            let codec = get(schema, "enum").is_some()
                || ["x-cloudgen-yes-no", "x-cloudgen-bool-string"]
                    .iter()
                    .any(|k| get(schema, k).is_some());
            let password = get(schema, "format").and_then(Value::as_str) == Some("password");
            match (codec, marked, password) {
                (true, _, _) => Holds::Other,
                (false, Some(true), _) | (false, None, true) => Holds::Secret,
                _ => Holds::Text,
            }
        }
        _ => Holds::Other,
    }
}

/// Every (place, schema) of a property or parameter whose name looks secret, in `node`, which
/// `keys` lead to from the root. A property's place is `Owner.name`, the owner being the key
/// above `properties` (a component's name); a parameter's is `name@/its/path`, or
/// `name@Component` for one under `components/parameters`.
fn candidates<'a>(node: &'a Value, keys: &mut Vec<String>, out: &mut Vec<(String, &'a Value)>) {
    match node {
        Value::Mapping(map) => {
            if let Some(Value::Mapping(props)) = map.get("properties") {
                let owner = keys.last().cloned().unwrap_or_default();
                for (name, schema) in props {
                    let name = name.as_str().unwrap_or_default();
                    if looks_secret(name) {
                        out.push((format!("{owner}.{name}"), schema));
                    }
                }
            }
            let is_parameter = map.get("in").is_some_and(Value::is_string);
            if let (true, Some(name), Some(schema)) = (
                is_parameter,
                map.get("name").and_then(Value::as_str),
                map.get("schema"),
            ) {
                if looks_secret(name) {
                    let at = if keys.first().is_some_and(|k| k == "paths") {
                        keys.get(1).cloned().unwrap_or_default()
                    } else {
                        keys.last().cloned().unwrap_or_default()
                    };
                    out.push((format!("{name}@{at}"), schema));
                }
            }
            for (key, value) in map {
                keys.push(key.as_str().unwrap_or_default().to_string());
                candidates(value, keys, out);
                keys.pop();
            }
        }
        Value::Sequence(items) => {
            for item in items {
                candidates(item, keys, out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_string_named_like_a_credential_is_marked_secret() {
    let mut unmarked = Vec::new();
    let mut allowed_and_used = BTreeSet::new();
    let mut secrets = 0;
    for spec in SPECS {
        let path = cloudgen_tests::repo_root().join("specs").join(spec);
        let text = std::fs::read_to_string(&path).expect("the spec is readable");
        let root: Value = serde_yaml::from_str(&text).expect("the spec is YAML");
        let mut found = Vec::new();
        candidates(&root, &mut Vec::new(), &mut found);
        for (place, schema) in found {
            let allowed = NOT_SECRETS
                .iter()
                .find(|(s, p, _)| s == spec && *p == place);
            match (holds(&root, schema), allowed) {
                (Holds::Secret, Some(_)) => {
                    panic!("{spec}: {place} is marked secret but listed in NOT_SECRETS")
                }
                (Holds::Secret, None) => secrets += 1,
                (Holds::Text, Some(_)) => {
                    allowed_and_used.insert((spec.to_string(), place));
                }
                (Holds::Text, None) => unmarked.push(format!("{spec}: {place}")),
                (Holds::Other, _) => {}
            }
        }
    }
    assert!(
        unmarked.is_empty(),
        "strings named like credentials without `format: password` or `x-cloudgen-secret: true` \
         (mark them, or list them in NOT_SECRETS with the reason):\n{}",
        unmarked.join("\n")
    );
    let stale: Vec<String> = NOT_SECRETS
        .iter()
        .filter(|(s, p, _)| !allowed_and_used.contains(&(s.to_string(), p.to_string())))
        .map(|(s, p, why)| format!("{s}: {p} ({why})"))
        .collect();
    assert!(
        stale.is_empty(),
        "NOT_SECRETS entries that match no unmarked string any more:\n{}",
        stale.join("\n")
    );
    // The specs mark 34 such strings today; far fewer means the walk went wrong.
    assert!(secrets >= 30, "only {secrets} marked secrets found");
}

#[test]
fn names_of_credentials_are_recognised() {
    for name in [
        "password",
        "remote_access_password",
        "newPassword",
        "hashedPassword",
        "passphrase",
        "secretKey",
        "certificateKey",
        "pkey",
        "private_key",
        "auth_token",
        "token",
        "authCode",
        "api_key",
        "key",
    ] {
        assert!(looks_secret(name), "{name} is not recognised");
    }
    for name in [
        "hostname",
        "keyTag",
        "monkey_business_id",
        "title",
        "created_at",
    ] {
        assert!(!looks_secret(name), "{name} is taken for a credential");
    }
}
