//! Every broken fixture spec (tests/fixtures/broken/, see its README.md) is refused with exactly
//! the diagnostic a user needs: the kind, the message, the file, line:column, the JSON pointer and
//! a hint. Nothing panics.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use cloudgen::{Diagnostic, Diagnostics, Generator, Severity};

/// One expected diagnostic: (kind, pointer, line:column, message, hint).
type Expected<'a> = (
    &'a str,
    Option<&'a str>,
    Option<(usize, usize)>,
    &'a str,
    &'a str,
);

fn broken_dir() -> PathBuf {
    cloudgen_tests::repo_root().join("tests/fixtures/broken")
}

/// The file name diagnostics of `fixture` carry.
fn rel(fixture: &str) -> String {
    format!("tests/fixtures/broken/{fixture}")
}

/// Loads and lowers a broken fixture, which must fail without panicking.
fn diagnose(fixture: &str) -> Diagnostics {
    let text = std::fs::read_to_string(broken_dir().join(fixture)).expect("the fixture exists");
    let file = rel(fixture);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        Generator::new().lower_str(&file, &text)
    }));
    match outcome {
        Ok(Err(diagnostics)) => diagnostics,
        Ok(Ok((api, warnings))) => panic!(
            "{fixture} was accepted ({} operations) but must be refused; warnings:\n{warnings}",
            api.operations.len()
        ),
        Err(_) => panic!("the generator panicked on {fixture}"),
    }
}

/// A diagnostic's kind, pointer, line:column, message and hint, comparable as one value.
type Shape = (
    String,
    Option<String>,
    Option<(usize, usize)>,
    String,
    String,
);

fn shape(d: &Diagnostic) -> Shape {
    let at = match (d.line, d.column) {
        (Some(line), Some(column)) => Some((line, column)),
        _ => None,
    };
    (
        d.kind.to_string(),
        d.pointer.clone(),
        at,
        d.message.clone(),
        d.hint.clone().unwrap_or_default(),
    )
}

/// Lowers a fixture of `tests/fixtures/` that must generate, with its warnings' shapes.
fn warned(fixture: &str) -> (cloudgen::ir::Api, Vec<Shape>) {
    let file = format!("tests/fixtures/{fixture}");
    let text = std::fs::read_to_string(cloudgen_tests::repo_root().join(&file))
        .expect("the fixture exists");
    let (api, warnings) = Generator::new()
        .lower_str(&file, &text)
        .unwrap_or_else(|d| panic!("{fixture} must generate:\n{d}"));
    for d in warnings.iter() {
        assert_eq!(d.severity, Severity::Warning, "{d}");
        assert_eq!(d.file, file, "{d}");
    }
    (api, warnings.iter().map(shape).collect())
}

/// Asserts that `fixture` gives exactly `expected`, all errors, all in that file.
fn assert_diagnostics(fixture: &str, expected: &[Expected<'_>]) {
    let diagnostics = diagnose(fixture);
    for d in diagnostics.iter() {
        assert_eq!(d.severity, Severity::Error, "{d}");
        assert_eq!(d.file, rel(fixture), "{d}");
    }
    let actual: Vec<_> = diagnostics.iter().map(shape).collect();
    let expected: Vec<Shape> = expected
        .iter()
        .map(|(kind, pointer, at, message, hint)| {
            (
                kind.to_string(),
                pointer.map(str::to_string),
                *at,
                message.to_string(),
                hint.to_string(),
            )
        })
        .collect();
    assert_eq!(
        actual, expected,
        "all diagnostics of {fixture}:\n{diagnostics}"
    );
}

#[test]
fn yaml_syntax_error_points_at_the_misindented_key() {
    assert_diagnostics(
        "yaml_bad_indentation.yaml",
        &[(
            "yaml-syntax",
            None,
            Some((12, 6)),
            "invalid YAML: did not find expected key at line 12 column 6, while parsing a block mapping at line 10 column 5",
            "fix the YAML syntax at this position (indentation and unquoted `: ` are typical causes)",
        )],
    );
}

#[test]
fn json_is_parsed_strictly_and_a_trailing_comma_is_located() {
    assert_diagnostics(
        "json_trailing_comma.json",
        &[(
            "json-syntax",
            None,
            Some((14, 9)),
            "invalid JSON: trailing comma at line 14 column 9",
            "fix the JSON syntax at this position (a trailing comma or a missing quote is typical)",
        )],
    );
}

#[test]
fn swagger_2_is_refused_with_a_conversion_hint() {
    assert_diagnostics(
        "swagger_2_0.yaml",
        &[(
            "unsupported-version",
            Some("/swagger"),
            Some((2, 1)),
            "this is a Swagger 2.0 (OpenAPI 2.0) document; cloudgen reads OpenAPI 3.0 and 3.1",
            "convert it to OpenAPI 3 first, for example with `npx swagger2openapi SPEC.json -o \
             SPEC.yaml` (or Edit > Convert to OpenAPI 3 in editor.swagger.io), then generate \
             from the converted file",
        )],
    );
}

#[test]
fn openapi_3_2_is_refused_naming_the_version_found() {
    assert_diagnostics(
        "openapi_3_2_0.yaml",
        &[(
            "unsupported-version",
            Some("/openapi"),
            Some((2, 1)),
            "found OpenAPI version 3.2.0; cloudgen reads OpenAPI 3.0.x and 3.1.x",
            "a document that uses none of the additions of its version reads as OpenAPI 3.1: \
             set `openapi: 3.1.1`",
        )],
    );
}

#[test]
fn a_3_1_type_array_with_an_unknown_type_points_at_its_line() {
    assert_diagnostics(
        "openapi31_bad_type.yaml",
        &[(
            "unknown-type",
            Some("/paths/~1ping/get/responses/200/content/application~1json/schema/properties/message/type"),
            Some((22, 21)),
            "unknown schema type `strng`",
            "did you mean `string`? The types are string, integer, number, boolean, array, object",
        )],
    );
}

#[test]
fn openapi_3_1_keywords_without_a_3_0_equivalent_are_warnings_at_their_lines() {
    let (api, warnings) = warned("warnings/openapi31_unsupported.yaml");
    assert_eq!(api.operations.len(), 1);
    let shape = |kind: &str, pointer: &str, at: (usize, usize), message: &str, hint: &str| {
        (
            kind.to_string(),
            Some(pointer.to_string()),
            Some(at),
            message.to_string(),
            hint.to_string(),
        )
    };
    let keyword_hint =
        "describe the value with `oneOf`/`allOf` and plain properties for a precise type";
    let keyword = |k: &str, line: usize| {
        shape(
            "unsupported-keyword",
            &format!("/components/schemas/Shape/{k}"),
            (line, 7),
            &format!(
                "the JSON Schema keyword `{k}` has no equivalent in the generated types; it is ignored"
            ),
            keyword_hint,
        )
    };
    assert_eq!(
        warnings,
        vec![
            shape(
                "json-schema-dialect",
                "/jsonSchemaDialect",
                (7, 1),
                "`jsonSchemaDialect` is https://json-schema.org/draft/2020-12/schema; cloudgen \
                 reads schemas as the OpenAPI 3.1 dialect \
                 (https://spec.openapis.org/oas/3.1/dialect/base)",
                "keywords of other dialects are ignored; remove `jsonSchemaDialect` if the \
                 schemas use the default dialect",
            ),
            shape(
                "ref-sibling-ignored",
                "/paths/~1shapes/get/parameters/0",
                (16, 11),
                "the `description` beside this `$ref` is not used; the generated code documents \
                 the referenced object with its own text",
                "move the text into the referenced object if it should appear in the client",
            ),
            shape(
                "unsupported-keyword",
                "/components/schemas/Shape/properties/position/prefixItems",
                (42, 11),
                "`prefixItems` gives the positions of this tuple different schemas, which a Rust \
                 list cannot carry; the items are typed as any JSON value",
                "give every position the same schema (`items`), or use an object with named \
                 properties",
            ),
            shape(
                "unsupported-keyword",
                "/components/schemas/Shape/properties/checksum/contentEncoding",
                (47, 11),
                "`contentEncoding: base32` has no 3.0 format; the value is typed as the encoded \
                 string",
                "decode the string yourself, or use `contentEncoding: base64` for bytes",
            ),
            keyword("if", 48),
            keyword("then", 52),
        ]
    );
}

#[test]
fn openapi_3_1_webhooks_are_not_generated_with_a_warning() {
    let (api, warnings) = warned("openapi31_refs.yaml");
    let ids: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        ids,
        ["list_images"],
        "the path item from components/pathItems is generated"
    );
    assert_eq!(
        warnings,
        vec![(
            "webhooks-ignored".to_string(),
            Some("/webhooks".to_string()),
            Some((18, 1)),
            "1 webhook(s) (imageReady) are not generated: a client makes calls, webhooks are \
             calls the API makes"
                .to_string(),
            "handle webhook requests in your server; their schemas under `components/schemas` \
             are still generated"
                .to_string(),
        )]
    );
}

#[test]
fn missing_openapi_field_points_at_the_root() {
    assert_diagnostics(
        "missing_openapi_field.yaml",
        &[(
            "missing-version",
            Some(""),
            Some((2, 1)),
            "the document has no `openapi` field",
            "add `openapi: 3.1.0` (or `openapi: 3.0.3`) at the top of the document",
        )],
    );
}

#[test]
fn a_root_that_is_a_list_is_refused() {
    assert_diagnostics(
        "top_level_list.yaml",
        &[(
            "not-a-mapping",
            Some(""),
            Some((2, 1)),
            "the document root is a list, not a mapping",
            "an OpenAPI document is a mapping with `openapi`, `info` and `paths` at the top",
        )],
    );
}

#[test]
fn ref_to_missing_schema_names_the_pointer_and_the_fix() {
    assert_diagnostics(
        "ref_missing_schema.yaml",
        &[(
            "unresolved-ref",
            Some("/paths/~1servers/get/responses/200/content/application~1json/schema/$ref"),
            Some((19, 17)),
            "`$ref: #/components/schemas/Servr` points at nothing",
            "did you mean `Server`? Otherwise define `Servr` under components/schemas",
        )],
    );
}

#[test]
fn parameter_ref_to_nothing_is_reported_once_at_its_ref_key() {
    // The path parameter this ref was meant to declare is not reported again as undeclared.
    assert_diagnostics(
        "ref_missing_parameter.yaml",
        &[(
            "unresolved-ref",
            Some("/paths/~1zones~1{zone}/get/parameters/0/$ref"),
            Some((14, 11)),
            "`$ref: #/components/parameters/ZoneId` points at nothing",
            "did you mean `Zone`? Otherwise define the parameter it names, or fix the reference",
        )],
    );
}

#[test]
fn ref_to_another_file_asks_for_a_bundled_spec() {
    assert_diagnostics(
        "ref_external_file.yaml",
        &[(
            "external-ref",
            Some("/paths/~1ping/get/responses/default/content/application~1json/schema/$ref"),
            Some((21, 17)),
            "`$ref: ./common.yaml#/components/schemas/Error` points outside this document",
            "bundle the spec into one file (e.g. `redocly bundle`) so every $ref starts with `#/`",
        )],
    );
}

#[test]
fn ref_cycle_is_reported_once_per_member_without_hanging() {
    let hint = "make one of the schemas in the cycle a real schema instead of a bare `$ref`";
    assert_diagnostics(
        "ref_cycle.yaml",
        &[
            (
                "ref-cycle",
                Some("/components/schemas/A/$ref"),
                Some((23, 7)),
                "reference cycle A -> B -> A never reaches a schema",
                hint,
            ),
            (
                "ref-cycle",
                Some("/components/schemas/B/$ref"),
                Some((25, 7)),
                "reference cycle B -> A -> B never reaches a schema",
                hint,
            ),
        ],
    );
}

#[test]
fn undeclared_path_parameter_is_declared_as_a_string_with_a_warning() {
    let (api, warnings) = warned("path_param_undefined.yaml");
    assert_eq!(
        warnings,
        [(
            "undeclared-path-param".to_string(),
            Some("/paths/~1zones~1{zone}~1servers/get".to_string()),
            Some((10, 5)),
            "path parameter `{zone}` of `/zones/{zone}/servers` is not declared; it is taken as a required string".to_string(),
            "add a parameter with `name: zone` and `in: path` to the operation or its path item".to_string(),
        )]
    );
    let param = &api.operations[0].params[0];
    assert_eq!((param.wire_name.as_str(), param.required), ("zone", true));
    assert_eq!(
        param.ty,
        cloudgen::ir::TypeRef::Prim(cloudgen::ir::Prim::String)
    );
}

#[test]
fn path_parameter_missing_from_the_template_is_reported_at_the_parameter() {
    assert_diagnostics(
        "path_param_not_in_template.yaml",
        &[(
            "unused-path-param",
            Some("/paths/~1servers~1{id}/get/parameters/1"),
            Some((19, 11)),
            "path parameter `server_id` does not appear in `/servers/{id}`",
            "remove it, or add `{server_id}` to the path",
        )],
    );
}

#[test]
fn duplicate_operation_id_names_both_operations() {
    assert_diagnostics(
        "duplicate_operation_id.yaml",
        &[(
            "duplicate-operation-id",
            Some("/paths/~1servers~1{id}~1details/get/operationId"),
            Some((28, 7)),
            "operationId `getServer` is also used at /paths/~1servers~1{id}/get",
            "give every operation a unique operationId",
        )],
    );
}

#[test]
fn misspelled_type_suggests_the_right_one() {
    assert_diagnostics(
        "invalid_type.yaml",
        &[(
            "unknown-type",
            Some("/components/schemas/Server/properties/hostname/type"),
            Some((28, 11)),
            "unknown schema type `strng`",
            "did you mean `string`? The types are string, integer, number, boolean, array, object",
        )],
    );
}

#[test]
fn required_property_that_does_not_exist_is_a_warning_with_a_suggestion() {
    // Legal JSON Schema that real specs use, so generation goes on; the warning points at it.
    let path =
        cloudgen_tests::repo_root().join("tests/fixtures/warnings/required_missing_property.yaml");
    let text = std::fs::read_to_string(&path).expect("the fixture is readable");
    let file = "tests/fixtures/warnings/required_missing_property.yaml";
    let generated = Generator::new()
        .generate_str(file, &text)
        .expect("the spec still generates");
    let warnings: Vec<_> = generated.warnings.iter().collect();
    assert_eq!(warnings.len(), 1, "{}", generated.warnings);
    let w = warnings[0];
    assert_eq!(w.severity, Severity::Warning);
    assert_eq!(w.kind, "required-not-defined");
    assert_eq!(
        w.pointer.as_deref(),
        Some("/components/schemas/Server/required/1")
    );
    assert_eq!((w.line, w.column), (Some(28), Some(11)));
    assert_eq!(
        w.message,
        "`required` lists `hostnme`, which is not a property of this object"
    );
    assert_eq!(
        w.hint.as_deref(),
        Some("did you mean `hostname`? Otherwise add `hostnme` under `properties`, or remove it from `required`")
    );
}

#[test]
fn a_mixed_enum_is_any_json_value_with_a_warning_listing_the_values() {
    let (api, warnings) = warned("enum_mixed_types.yaml");
    assert_eq!(
        warnings,
        [(
            "mixed-enum".to_string(),
            Some("/components/schemas/Size/enum".to_string()),
            Some((24, 7)),
            "enum values do not all match `type: string`: \"small\", 2, 2.5, true, null, {\"big\":\"yes\"}; the value is typed as any JSON value".to_string(),
            "make every enum value of one type (quote numbers and booleans of a string enum in YAML)".to_string(),
        )]
    );
    let size = api
        .types
        .iter()
        .find(|t| t.name == "Size")
        .expect("the Size type");
    assert!(
        matches!(
            &size.kind,
            cloudgen::ir::TypeKind::Alias {
                target: cloudgen::ir::TypeRef::Value
            }
        ),
        "{:?}",
        size.kind
    );
}

#[test]
fn an_enum_of_only_null_is_the_unit_type() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: getX\n      responses:\n        '200':\n          description: Nothing.\n          content:\n            application/json:\n              schema: {enum: [null]}\n";
    let (api, warnings) = Generator::new()
        .lower_str("null_enum.yaml", text)
        .expect("enum: [null] generates");
    assert!(warnings.is_empty(), "{warnings}");
    assert_eq!(
        api.operations[0].responses[0].ty,
        cloudgen::ir::TypeRef::Unit
    );
}

#[test]
fn diagnostics_display_shows_file_line_pointer_and_hint() {
    let shown = diagnose("ref_missing_schema.yaml").to_string();
    assert_eq!(
        shown,
        "error[unresolved-ref]: `$ref: #/components/schemas/Servr` points at nothing\n  \
         --> tests/fixtures/broken/ref_missing_schema.yaml:19:17 at \
         /paths/~1servers/get/responses/200/content/application~1json/schema/$ref\n  \
         = hint: did you mean `Server`? Otherwise define `Servr` under components/schemas\n\
         1 error(s), 0 warning(s)"
    );
}

/// One document with five unrelated problems: the user sees all of them in one run.
const SEVERAL_PROBLEMS: &str = r##"openapi: 3.0.3
info:
  title: Several problems
  version: 1.0.0
paths:
  /servers/{id}:
    get:
      operationId: getServer
      responses:
        "200":
          description: A server.
          content:
            application/json:
              schema:
                $ref: "#/components/schemas/Servr"
  /zones:
    get:
      operationId: getServer
      responses:
        "204":
          description: Nothing.
components:
  schemas:
    Server:
      type: object
      required: [uuid]
      properties:
        hostname:
          type: strng
"##;

#[test]
fn every_problem_of_a_document_is_reported_in_one_run() {
    let outcome = catch_unwind(|| Generator::new().lower_str("several.yaml", SEVERAL_PROBLEMS));
    let diagnostics = match outcome {
        Ok(Err(d)) => d,
        Ok(Ok(_)) => panic!("a document with five problems was accepted"),
        Err(_) => panic!("the generator panicked"),
    };
    let shown = diagnostics.to_string();
    let mut kinds: Vec<&str> = diagnostics.iter().map(|d| d.kind.as_str()).collect();
    kinds.sort_unstable();
    assert_eq!(
        kinds,
        [
            "duplicate-operation-id",
            "required-not-defined",
            "undeclared-path-param",
            "unknown-type",
            "unresolved-ref",
        ],
        "{shown}"
    );
    for expected in [
        "error[unresolved-ref]: `$ref: #/components/schemas/Servr` points at nothing\n  --> several.yaml:15:17 at /paths/~1servers~1{id}/get/responses/200/content/application~1json/schema/$ref",
        "error[unknown-type]: unknown schema type `strng`\n  --> several.yaml:29:11 at /components/schemas/Server/properties/hostname/type",
        "warning[required-not-defined]: `required` lists `uuid`, which is not a property of this object\n  --> several.yaml:26:18 at /components/schemas/Server/required/0",
        "error[duplicate-operation-id]: operationId `getServer` is also used at /paths/~1servers~1{id}/get\n  --> several.yaml:18:7 at /paths/~1zones/get/operationId",
        "warning[undeclared-path-param]: path parameter `{id}` of `/servers/{id}` is not declared; it is taken as a required string\n  --> several.yaml:7:5 at /paths/~1servers~1{id}/get",
    ] {
        assert!(shown.contains(expected), "missing:\n{expected}\n\nin:\n{shown}");
    }
    assert!(
        shown.ends_with("\n3 error(s), 2 warning(s)"),
        "the summary counts every problem:\n{shown}"
    );
}

#[test]
fn every_broken_fixture_is_refused_without_panicking_through_the_whole_pipeline() {
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(broken_dir())
        .expect("tests/fixtures/broken exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    fixtures.sort();
    assert!(
        fixtures.len() >= 12,
        "only {} broken fixtures",
        fixtures.len()
    );
    for path in fixtures {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).expect("the fixture is readable");
        // load + lower + emit + format, as `cloudgen generate` runs them.
        let outcome = catch_unwind(|| Generator::new().generate_str(&name, &text));
        match outcome {
            Ok(Err(diagnostics)) => {
                assert!(diagnostics.has_errors(), "{name}: refused without an error");
                for d in diagnostics.errors() {
                    assert!(d.hint.is_some(), "{name}: no hint in\n{d}");
                    assert!(
                        d.line.is_some() && d.column.is_some(),
                        "{name}: no line:column in\n{d}"
                    );
                }
            }
            Ok(Ok(_)) => panic!("{name} was accepted but must be refused"),
            Err(_) => panic!("the generator panicked on {name}"),
        }
    }
}

#[test]
fn the_broken_fixture_readme_lists_every_fixture() {
    let readme =
        std::fs::read_to_string(broken_dir().join("README.md")).expect("the README exists");
    for entry in std::fs::read_dir(broken_dir()).expect("tests/fixtures/broken exists") {
        let name = entry.expect("a directory entry").file_name();
        let name = name.to_string_lossy();
        if name != "README.md" {
            assert!(
                readme.contains(&format!("`{name}`")),
                "{name} is not in the README table"
            );
        }
    }
}

#[test]
fn a_request_wrapper_with_other_properties_is_refused() {
    assert_diagnostics(
        "wrap_not_a_wrapper.yaml",
        &[(
            "bad-extension",
            Some("/paths/~1server/post/requestBody/content/application~1json/x-cloudgen-wrap"),
            Some((15, 13)),
            "`x-cloudgen-wrap: /server`: the object at /paths/~1server/post/requestBody/content/application~1json/schema must have `server` as its only property",
            "point `x-cloudgen-wrap` at the property of a one-property wrapper object, like /server for `{\"server\": {...}}`",
        )],
    );
}

#[test]
fn a_secret_marker_that_is_not_a_boolean_is_refused() {
    assert_diagnostics(
        "secret_not_boolean.yaml",
        &[(
            "bad-extension",
            Some("/paths/~1login/post/requestBody/content/application~1json/schema/properties/password/x-cloudgen-secret"),
            Some((20, 19)),
            "`x-cloudgen-secret` must be `true` or `false`: invalid type: string \"yes\", expected a boolean",
            "write e.g. `x-cloudgen-secret: true` (see specs/EXTENSIONS.md)",
        )],
    );
}

#[test]
fn a_malformed_entry_inside_an_extension_is_located_at_the_entry() {
    assert_diagnostics(
        "error_code_status_not_a_number.yaml",
        &[(
            "bad-extension",
            Some("/paths/~1servers~1{id}/get/x-cloudgen-error-codes/0/status"),
            Some((19, 37)),
            "`x-cloudgen-error-codes` must be a list of `{code, status, description}` (a string, an HTTP status and a text): invalid type: string \"404\", expected u16 (at `0/status`)",
            "write e.g. `x-cloudgen-error-codes: [{code: SERVER_NOT_FOUND, status: 404, description: The server does not exist.}]` (see specs/EXTENSIONS.md)",
        )],
    );
}

#[test]
fn a_secret_marker_on_an_object_is_refused() {
    assert_diagnostics(
        "secret_not_a_string.yaml",
        &[(
            "bad-extension",
            Some("/paths/~1login/post/requestBody/content/application~1json/schema/x-cloudgen-secret"),
            Some((17, 15)),
            "`x-cloudgen-secret` applies to plain `type: string` schemas only, not to objects, unions or enums",
            "put it on the string properties that hold the secrets",
        )],
    );
}

#[test]
fn every_kind_of_name_collision_is_renamed_with_a_warning_saying_how_to_choose() {
    let (api, warnings) = warned("name_collisions.yaml");
    let renamed: Vec<(String, String)> = warnings
        .iter()
        .map(|(kind, pointer, _, message, _)| {
            assert_eq!(kind, "name-collision", "{message}");
            (pointer.clone().unwrap_or_default(), message.clone())
        })
        .collect();
    let expect = [
        ("/components/schemas/Pet/properties/fooBar", "property `fooBar` would be named `foo_bar` in Rust, which another item already uses; it is named `foo_bar_2`"),
        ("/components/schemas/PetStatus", "enum value `in_progress` would be named `InProgress` in Rust, which another item already uses; it is named `InProgress2`"),
        ("/paths/~1rate-limit/get", "operation `rateLimit` would be named `rate_limit` in Rust, which another item already uses; it is named `rate_limit_2`"),
        ("/paths/~1runtime/get", "operation `runtime` would be named `runtime` in Rust, which another item already uses; it is named `runtime_2`"),
        ("/paths/~1search/get/parameters/1", "parameter `page_size` would be named `page_size` in Rust, which another item already uses; it is named `page_size_2`"),
        ("/paths/~1search/get/parameters/2", "parameter `send` would be named `send` in Rust, which another item already uses; it is named `send_2`"),
        ("/paths/~1legacy~1pets~1{id}/get", "operation `get_pet` would be named `get_pet` in Rust, which another item already uses; it is named `get_pet_2`"),
        ("/paths/~1search/get/x-cloudgen-waiter", "waiter `wait_for_pet` would be named `wait_for_pet` in Rust, which another item already uses; it is named `wait_for_pet_2`"),
    ];
    for (pointer, message) in expect {
        assert!(
            renamed.contains(&(pointer.to_string(), message.to_string())),
            "missing {pointer}: {message}\nin {renamed:#?}"
        );
    }
    assert_eq!(renamed.len(), 17, "{renamed:#?}");
    let hint_of = |pointer: &str| {
        warnings
            .iter()
            .find(|w| w.1.as_deref() == Some(pointer))
            .map(|w| w.4.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        hint_of("/paths/~1runtime/get"),
        "set `x-cloudgen-name` on the operation to choose its method name"
    );
    assert_eq!(
        hint_of("/components/schemas/Pet/properties/fooBar"),
        "set `x-cloudgen-name` on the property to choose its field name"
    );

    // The chosen names are used, and no warning is given for them.
    let methods: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert!(methods.contains(&"duplicate_everything"), "{methods:?}");
    assert!(!methods.contains(&"clone"), "{methods:?}");
    let search = api
        .operations
        .iter()
        .find(|o| o.name == "search")
        .expect("search");
    let params: Vec<&str> = search.params.iter().map(|p| p.rust_name.as_str()).collect();
    assert_eq!(
        params,
        [
            "page_size",
            "page_size_2",
            "send_2",
            "header_2",
            "options_2",
            "query_text"
        ]
    );
    let types: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert!(
        types.contains(&"LegacyPet") && types.contains(&"Pet"),
        "{types:?}"
    );
    let stems: Vec<&str> = api
        .operations
        .iter()
        .map(|o| o.type_stem.as_str())
        .collect();
    let mut unique = stems.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), stems.len(), "type stems meet: {stems:?}");
    let status = api
        .types
        .iter()
        .find(|t| t.name == "Status")
        .expect("Status");
    let cloudgen::ir::TypeKind::StringEnum { variants } = &status.kind else {
        panic!("Status is a string enum");
    };
    let names: Vec<&str> = variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(names, ["Dashed", "Underscored", "Shouting"]);
}
