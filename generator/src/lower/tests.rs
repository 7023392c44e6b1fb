//! Unit tests of lowering: small documents through the loader and `lower` (the entry points
//! the generator uses), asserting on the IR.

use crate::diagnostics::{Diagnostic, DiagnosticKind};
use crate::ir::{
    Api, ErrorIr, Field, Presence, Prim, SuccessIr, TypeDef, TypeKind, TypeRef, UnionVariant,
};

/// A document with `schemas` under `components/schemas` (YAML indented by four spaces) and
/// `paths` under `paths` (indented by two).
fn doc(paths: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n{paths}\ncomponents:\n  schemas:\n{schemas}\n"
    )
}

/// Lowers `yaml`, which must be accepted; the IR and the warnings.
fn lower(yaml: &str) -> (Api, Vec<Diagnostic>) {
    let document = crate::load::load_str("spec.yaml", yaml).expect("the document loads");
    match super::lower(&document, None) {
        Ok((api, warnings)) => (api, warnings.iter().cloned().collect()),
        Err(d) => panic!("the document must be accepted:\n{d}"),
    }
}

fn api(schemas: &str) -> Api {
    lower(&doc("  {}", schemas)).0
}

fn ty<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name} in {:?}", names(api)))
}

fn names(api: &Api) -> Vec<&str> {
    api.types.iter().map(|t| t.name.as_str()).collect()
}

fn fields<'a>(api: &'a Api, name: &str) -> &'a [Field] {
    match &ty(api, name).kind {
        TypeKind::Struct { fields, .. } => fields,
        other => panic!("{name} is no struct: {other:?}"),
    }
}

fn field<'a>(api: &'a Api, name: &str, wire: &str) -> &'a Field {
    fields(api, name)
        .iter()
        .find(|f| f.wire_name == wire)
        .unwrap_or_else(|| panic!("{name} has no field {wire}"))
}

fn variants<'a>(api: &'a Api, name: &str) -> &'a [UnionVariant] {
    match &ty(api, name).kind {
        TypeKind::Tagged { variants, .. }
        | TypeKind::Untagged { variants }
        | TypeKind::SingleKey { variants } => variants,
        other => panic!("{name} is no union: {other:?}"),
    }
}

fn named(api: &Api, name: &str) -> TypeRef {
    let i = api.types.iter().position(|t| t.name == name).expect(name);
    TypeRef::Named(crate::ir::TypeId(i))
}

fn collisions(warnings: &[Diagnostic]) -> Vec<&str> {
    warnings
        .iter()
        .filter(|w| w.kind == DiagnosticKind::NameCollision)
        .map(|w| w.pointer.as_deref().unwrap_or_default())
        .collect()
}

#[test]
fn an_object_is_a_struct_with_snake_case_fields_and_their_presence() {
    let api = api("    Server:
      type: object
      required: [hostName, zone]
      properties:
        hostName: {type: string}
        zone: {type: string, nullable: true}
        coreCount: {type: integer, format: int32}
");
    let fs = fields(&api, "Server");
    let names: Vec<(&str, &str)> = fs
        .iter()
        .map(|f| (f.rust_name.as_str(), f.wire_name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("host_name", "hostName"),
            ("zone", "zone"),
            ("core_count", "coreCount")
        ]
    );
    let host = &fs[0];
    assert!(host.required && !host.optional && host.presence == Presence::Required);
    assert_eq!(host.full_type(), TypeRef::Prim(Prim::String));
    // Required but nullable: the Rust type is an `Option`, so the field is optional to set.
    let zone = &fs[1];
    assert!(zone.required && zone.nullable && zone.optional);
    assert_eq!(
        zone.full_type(),
        TypeRef::Option(Box::new(TypeRef::Prim(Prim::String)))
    );
    let cores = &fs[2];
    assert!(!cores.required && cores.optional && cores.presence == Presence::Optional);
    assert_eq!(
        cores.full_type(),
        TypeRef::Option(Box::new(TypeRef::Prim(Prim::I32)))
    );
}

#[test]
fn a_string_enum_has_a_variant_per_value_in_pascal_case() {
    let api = api("    State:
      type: string
      enum: [started, stopped, maintenance-mode]
");
    let TypeKind::StringEnum { variants } = &ty(&api, "State").kind else {
        panic!("State is no string enum");
    };
    let vs: Vec<(&str, &str)> = variants
        .iter()
        .map(|v| (v.rust_name.as_str(), v.wire.as_str()))
        .collect();
    assert_eq!(
        vs,
        [
            ("Started", "started"),
            ("Stopped", "stopped"),
            ("MaintenanceMode", "maintenance-mode")
        ]
    );
    assert!(ty(&api, "State").derives.eq_hash);
}

#[test]
fn an_integer_enum_is_a_newtype_of_its_integer() {
    let api = api("    Code:
      type: integer
      format: int32
      enum: [1, 2, 3]
");
    assert!(matches!(
        &ty(&api, "Code").kind,
        TypeKind::Newtype {
            inner: TypeRef::Prim(Prim::I32),
            validate: None
        }
    ));
}

#[test]
fn a_map_and_an_array_are_aliases_of_map_and_vec() {
    let api = api("    Labels:
      type: object
      additionalProperties: {type: string}
    Ids:
      type: array
      items: {type: string, format: uuid}
");
    assert!(matches!(
        &ty(&api, "Labels").kind,
        TypeKind::Alias { target: TypeRef::Map(v) } if **v == TypeRef::Prim(Prim::String)
    ));
    assert!(matches!(
        &ty(&api, "Ids").kind,
        TypeKind::Alias { target: TypeRef::Vec(v) } if **v == TypeRef::Prim(Prim::Uuid)
    ));
}

#[test]
fn primitive_formats_have_their_own_rust_types() {
    let api = api("    Formats:
      type: object
      required: [i32, i64, integer, f32, f64, number, dt, d, u, b, bin, pw, flag, s]
      properties:
        i32: {type: integer, format: int32}
        i64: {type: integer, format: int64}
        integer: {type: integer}
        f32: {type: number, format: float}
        f64: {type: number, format: double}
        number: {type: number}
        dt: {type: string, format: date-time}
        d: {type: string, format: date}
        u: {type: string, format: uuid}
        b: {type: string, format: byte}
        bin: {type: string, format: binary}
        pw: {type: string, format: password}
        flag: {type: boolean}
        s: {type: string, format: hostname}
");
    let prims: Vec<(&str, TypeRef)> = fields(&api, "Formats")
        .iter()
        .map(|f| (f.wire_name.as_str(), f.ty.clone()))
        .collect();
    let p = TypeRef::Prim;
    assert_eq!(
        prims,
        [
            ("i32", p(Prim::I32)),
            ("i64", p(Prim::I64)),
            ("integer", p(Prim::I64)),
            ("f32", p(Prim::F32)),
            ("f64", p(Prim::F64)),
            ("number", p(Prim::F64)),
            ("dt", p(Prim::DateTime)),
            ("d", p(Prim::Date)),
            ("u", p(Prim::Uuid)),
            ("b", p(Prim::Base64)),
            ("bin", p(Prim::Binary)),
            ("pw", p(Prim::Secret)),
            ("flag", p(Prim::Bool)),
            ("s", p(Prim::String)),
        ]
    );
}

#[test]
fn a_newtype_derives_eq_and_hash_unless_it_holds_a_float() {
    let api = api("    Name: {type: string}
    Count: {type: integer}
    Ratio: {type: number}
    Names: {type: array, items: {$ref: '#/components/schemas/Name'}}
    Wrapper:
      type: object
      properties:
        name: {$ref: '#/components/schemas/Name'}
");
    assert!(ty(&api, "Name").derives.eq_hash);
    assert!(ty(&api, "Count").derives.eq_hash);
    assert!(!ty(&api, "Ratio").derives.eq_hash, "f64 is not Eq");
    assert!(
        !ty(&api, "Names").derives.eq_hash,
        "only newtypes and enums get Eq"
    );
    assert!(
        !ty(&api, "Wrapper").derives.eq_hash,
        "structs do not derive Eq"
    );
}

#[test]
fn a_struct_derives_default_only_when_every_field_can_be_empty() {
    let api = api("    Loose:
      type: object
      properties:
        a: {type: string}
        b: {type: integer}
    Strict:
      type: object
      required: [a]
      properties:
        a: {type: string}
        b: {type: integer}
");
    assert!(ty(&api, "Loose").derives.default);
    assert!(!ty(&api, "Strict").derives.default);
}

#[test]
fn the_additional_properties_field_is_named_once_and_avoids_a_property_of_that_name() {
    let api = api("    Plain:
      type: object
      properties:
        a: {type: string}
      additionalProperties: {type: integer}
    Clash:
      type: object
      properties:
        additional_properties: {type: string}
      additionalProperties: {type: integer}
    Closed:
      type: object
      properties:
        a: {type: string}
");
    assert_eq!(
        ty(&api, "Plain").additional_field.as_deref(),
        Some("additional_properties")
    );
    assert_eq!(
        ty(&api, "Clash").additional_field.as_deref(),
        Some("additional_properties_")
    );
    assert_eq!(ty(&api, "Closed").additional_field, None);
}

#[test]
fn all_of_merges_the_fields_and_the_required_lists_of_its_parts() {
    let api = api("    Base:
      type: object
      required: [id]
      properties:
        id: {type: string}
        note: {type: string}
    Server:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: object
          required: [note, zone]
          properties:
            zone: {type: string}
");
    let wires: Vec<&str> = fields(&api, "Server")
        .iter()
        .map(|f| f.wire_name.as_str())
        .collect();
    assert_eq!(wires, ["id", "note", "zone"]);
    assert!(field(&api, "Server", "id").required);
    assert!(
        field(&api, "Server", "note").required,
        "a later part's `required` applies to an earlier part's property"
    );
    assert!(field(&api, "Server", "zone").required);
    assert!(
        !field(&api, "Base", "note").required,
        "the part itself is unchanged"
    );
}

#[test]
fn all_of_with_a_part_that_is_no_object_warns_and_keeps_the_object_parts() {
    let (api, warnings) = lower(&doc(
        "  {}",
        "    Base:
      type: object
      properties:
        id: {type: string}
    Odd:
      allOf:
        - $ref: '#/components/schemas/Base'
        - type: string
",
    ));
    assert_eq!(fields(&api, "Odd").len(), 1);
    let w: Vec<_> = warnings
        .iter()
        .filter(|w| w.kind == DiagnosticKind::AllofPrimitive)
        .collect();
    assert_eq!(w.len(), 1, "{warnings:?}");
    assert_eq!(
        w[0].pointer.as_deref(),
        Some("/components/schemas/Odd/allOf/1")
    );
}

const PETS: &str = "    Cat:
      type: object
      required: [petType]
      properties:
        petType: {type: string}
        meow: {type: boolean}
    Dog:
      type: object
      required: [petType]
      properties:
        petType: {type: string}
        bark: {type: boolean}
";

#[test]
fn one_of_with_a_discriminator_is_tagged_by_the_mapping() {
    let api = api(&format!(
        "{PETS}    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: petType
        mapping: {{kitty: '#/components/schemas/Cat', doggo: '#/components/schemas/Dog'}}
"
    ));
    let TypeKind::Tagged { tag, .. } = &ty(&api, "Pet").kind else {
        panic!("Pet is not tagged");
    };
    assert_eq!(tag, "petType");
    let vs: Vec<(&str, &[String], TypeRef)> = variants(&api, "Pet")
        .iter()
        .map(|v| (v.rust_name.as_str(), v.tag_values.as_slice(), v.ty.clone()))
        .collect();
    assert_eq!(
        vs,
        [
            ("Cat", &["kitty".to_string()][..], named(&api, "Cat")),
            ("Dog", &["doggo".to_string()][..], named(&api, "Dog")),
        ]
    );
}

#[test]
fn one_of_without_a_discriminator_and_any_of_are_untagged_in_order() {
    let api = api(&format!(
        "{PETS}    Either:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
    Loose:
      anyOf:
        - {{type: string}}
        - {{type: integer}}
"
    ));
    assert!(matches!(ty(&api, "Either").kind, TypeKind::Untagged { .. }));
    let either: Vec<TypeRef> = variants(&api, "Either")
        .iter()
        .map(|v| v.ty.clone())
        .collect();
    assert_eq!(either, [named(&api, "Cat"), named(&api, "Dog")]);
    assert!(matches!(ty(&api, "Loose").kind, TypeKind::Untagged { .. }));
    let loose: Vec<(&str, TypeRef)> = variants(&api, "Loose")
        .iter()
        .map(|v| (v.rust_name.as_str(), v.ty.clone()))
        .collect();
    assert_eq!(
        loose,
        [
            ("String", TypeRef::Prim(Prim::String)),
            ("Integer", TypeRef::Prim(Prim::I64))
        ]
    );
}

#[test]
fn one_of_objects_of_one_required_property_each_is_keyed_by_that_property() {
    let api = api("    Shape:
      oneOf:
        - {type: object, required: [circle], properties: {circle: {type: number}}}
        - {type: object, required: [square], properties: {square: {type: number}}}
");
    assert!(matches!(ty(&api, "Shape").kind, TypeKind::SingleKey { .. }));
    let keys: Vec<(&str, &str)> = variants(&api, "Shape")
        .iter()
        .map(|v| (v.rust_name.as_str(), v.tag_values[0].as_str()))
        .collect();
    assert_eq!(keys, [("Circle", "circle"), ("Square", "square")]);
}

#[test]
fn a_struct_holding_itself_is_boxed_but_not_through_a_list() {
    let api = api("    Node:
      type: object
      required: [value]
      properties:
        value: {type: integer}
        next: {$ref: '#/components/schemas/Node'}
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
");
    assert!(!field(&api, "Node", "value").boxed);
    let next = field(&api, "Node", "next");
    assert!(next.boxed, "a value of itself needs a Box");
    assert_eq!(
        next.full_type(),
        TypeRef::Option(Box::new(TypeRef::Boxed(Box::new(named(&api, "Node")))))
    );
    assert!(
        !field(&api, "Node", "children").boxed,
        "a Vec is already indirect"
    );
}

#[test]
fn a_cycle_through_two_structs_boxes_its_edges_and_leaves_others_alone() {
    let api = api("    A:
      type: object
      properties:
        b: {$ref: '#/components/schemas/B'}
        leaf: {$ref: '#/components/schemas/Leaf'}
    B:
      type: object
      required: [a]
      properties:
        a: {$ref: '#/components/schemas/A'}
    Leaf:
      type: object
      properties:
        x: {type: string}
");
    assert!(field(&api, "A", "b").boxed);
    assert!(field(&api, "B", "a").boxed);
    assert!(!field(&api, "A", "leaf").boxed, "Leaf is outside the cycle");
}

#[test]
fn a_union_variant_holding_its_union_is_boxed() {
    let api = api("    Expr:
      oneOf:
        - {type: string}
        - $ref: '#/components/schemas/Not'
    Not:
      type: object
      required: [not]
      properties:
        not: {$ref: '#/components/schemas/Expr'}
");
    let boxed = variants(&api, "Expr").iter().any(|v| v.boxed) || field(&api, "Not", "not").boxed;
    assert!(
        boxed,
        "the Expr -> Not -> Expr cycle must be broken somewhere"
    );
}

#[test]
fn properties_that_meet_in_snake_case_get_a_suffix_and_a_warning() {
    let (api, warnings) = lower(&doc(
        "  {}",
        "    Pet:
      type: object
      properties:
        fooBar: {type: string}
        foo_bar: {type: string}
",
    ));
    let names: Vec<&str> = fields(&api, "Pet")
        .iter()
        .map(|f| f.rust_name.as_str())
        .collect();
    assert_eq!(names, ["foo_bar", "foo_bar_2"]);
    assert_eq!(
        collisions(&warnings),
        ["/components/schemas/Pet/properties/foo_bar"]
    );
}

#[test]
fn schemas_that_meet_in_pascal_case_get_a_suffix_unless_one_chooses_a_name() {
    let (api, warnings) = lower(&doc(
        "  {}",
        "    Pet: {type: object, properties: {a: {type: string}}}
    pet: {type: object, properties: {b: {type: string}}}
    PET:
      type: object
      x-cloudgen-name: LegacyPet
      properties:
        c: {type: string}
",
    ));
    assert_eq!(names(&api), ["Pet", "Pet2", "LegacyPet"]);
    assert_eq!(collisions(&warnings), ["/components/schemas/pet"]);
}

#[test]
fn enum_values_that_meet_get_a_suffix_or_the_names_of_x_enum_varnames() {
    let (api, warnings) = lower(&doc(
        "  {}",
        "    Plain:
      type: string
      enum: [in-progress, in_progress]
    Chosen:
      type: string
      enum: [in-progress, in_progress]
      x-enum-varnames: [Dashed, Underscored]
",
    ));
    let names = |t: &str| match &ty(&api, t).kind {
        TypeKind::StringEnum { variants } => variants
            .iter()
            .map(|v| v.rust_name.clone())
            .collect::<Vec<_>>(),
        _ => panic!("{t} is no string enum"),
    };
    assert_eq!(names("Plain"), ["InProgress", "InProgress2"]);
    assert_eq!(names("Chosen"), ["Dashed", "Underscored"]);
    assert_eq!(collisions(&warnings), ["/components/schemas/Plain"]);
}

#[test]
fn inline_object_schemas_are_named_after_where_they_are_used() {
    let api = api("    Server:
      type: object
      properties:
        location:
          type: object
          properties:
            city: {type: string}
");
    let TypeRef::Option(inner) = field(&api, "Server", "location").full_type() else {
        panic!("an optional field");
    };
    let TypeRef::Named(id) = *inner else {
        panic!("an inline object is a named type");
    };
    assert_eq!(api.types[id.0].name, "ServerLocation");
    assert_eq!(fields(&api, "ServerLocation")[0].wire_name, "city");
}

const OPERATIONS: &str = "  /pets:
    get:
      operationId: listPets
      responses:
        '200': {description: all, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}}
        '206': {description: some, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}}
        '404': {description: none}
    post:
      operationId: ListPets
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}
      responses:
        '201': {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
  /ping:
    get:
      operationId: ping
      responses:
        '204': {description: pong}
        default: {description: failed}
  /health:
    get:
      operationId: health
      responses:
        default: {description: anything}
";

const PET: &str = "    Pet:
      type: object
      properties:
        name: {type: string}
        note: {type: string, nullable: true}
    Seen:
      type: object
      properties:
        note: {type: string, nullable: true}
";

#[test]
fn operation_ids_that_meet_in_snake_case_get_a_suffix_and_a_warning() {
    let (api, warnings) = lower(&doc(OPERATIONS, PET));
    let ops: Vec<(&str, &str)> = api
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o.type_stem.as_str()))
        .collect();
    assert_eq!(
        ops,
        [
            ("list_pets", "ListPets"),
            ("list_pets_2", "ListPets2"),
            ("ping", "Ping"),
            ("health", "Health")
        ]
    );
    assert_eq!(collisions(&warnings), ["/paths/~1pets/post"]);
}

#[test]
fn result_types_are_decided_from_the_documented_responses() {
    let (api, _) = lower(&doc(OPERATIONS, PET));
    let results: Vec<(&SuccessIr, &ErrorIr)> = api
        .operations
        .iter()
        .map(|o| (&o.success, &o.error))
        .collect();
    assert_eq!(
        results,
        [
            (
                &SuccessIr::Enum("ListPetsResponse".into()),
                &ErrorIr::Enum("ListPetsError".into())
            ),
            (&SuccessIr::One(named(&api, "Pet")), &ErrorIr::None),
            // Beside a 2xx, `default` is an error; alone, it is the success.
            (
                &SuccessIr::One(TypeRef::Unit),
                &ErrorIr::Enum("PingError".into())
            ),
            (&SuccessIr::One(TypeRef::Unit), &ErrorIr::None),
        ]
    );
}

#[test]
fn an_optional_nullable_field_is_tristate_only_in_types_requests_send() {
    let (api, _) = lower(&doc(OPERATIONS, PET));
    assert!(ty(&api, "Pet").sent && !ty(&api, "Seen").sent);
    let sent = field(&api, "Pet", "note");
    assert_eq!(sent.presence, Presence::Tristate);
    assert_eq!(
        sent.full_type(),
        TypeRef::Nullable(Box::new(TypeRef::Prim(Prim::String)))
    );
    let read = field(&api, "Seen", "note");
    assert_eq!(read.presence, Presence::Optional);
    assert!(sent.optional && read.optional);
}

const SPLIT_PATHS: &str = "  /vps/{name}:
    patch:
      operationId: vpsAction
      x-cloudgen-split-by: action
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - $ref: '#/components/schemas/Start'
                - $ref: '#/components/schemas/Stop'
              discriminator:
                propertyName: action
                mapping: {start: '#/components/schemas/Start', stop: '#/components/schemas/Stop'}
      responses:
        '204': {description: done}";

const SPLIT_SCHEMAS: &str = "    Start:
      type: object
      x-cloudgen-operation-id: startVps
      required: [action]
      properties:
        action: {type: string, enum: [start]}
        name: {type: string}
        body: {type: string}
    Stop:
      type: object
      x-cloudgen-operation-id: stopVps
      required: [action]
      properties:
        action: {type: string, enum: [stop]}
        force: {type: boolean}
";

#[test]
fn expanded_bodies_name_their_arguments_once_and_skip_fixed_values() {
    let (api, _) = lower(&doc(SPLIT_PATHS, SPLIT_SCHEMAS));
    let ops: Vec<(&str, Vec<Option<&str>>)> = api
        .operations
        .iter()
        .map(|o| {
            let body = o.body.as_ref().expect("a body");
            assert!(body.expand);
            (
                o.name.as_str(),
                body.expanded_args.iter().map(|a| a.as_deref()).collect(),
            )
        })
        .collect();
    assert_eq!(
        ops,
        [
            // `action` is filled in; `name` is taken by the path parameter, `body` by the builder.
            ("start_vps", vec![None, Some("name_2"), Some("body_2")]),
            ("stop_vps", vec![None, Some("force")]),
        ]
    );
}

#[test]
fn a_split_variant_whose_method_name_is_taken_gets_a_suffix_and_a_warning() {
    let paths = format!(
        "  /start:
    post:
      operationId: startVps
      responses:
        '204': {{description: started}}
{SPLIT_PATHS}"
    );
    let (api, warnings) = lower(&doc(&paths, SPLIT_SCHEMAS));
    let names: Vec<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, ["start_vps", "start_vps_2", "stop_vps"]);
    assert_eq!(
        collisions(&warnings),
        ["/components/schemas/Start/x-cloudgen-operation-id"]
    );
}

#[test]
fn codec_keys_give_their_primitives_and_wrappers() {
    let api = api("    Server:
      type: object
      required: [remote, cores, load, payDate, ips]
      properties:
        remote: {type: string, enum: ['yes', 'no'], x-cloudgen-yes-no: true}
        cores: {type: string, x-cloudgen-string-number: integer}
        load: {type: string, x-cloudgen-string-number: number}
        payDate: {type: string, format: date, x-cloudgen-empty-as-absent: true}
        ips:
          type: object
          x-cloudgen-wrapped-list: ip_address
          properties:
            ip_address: {type: array, items: {type: string}}
");
    let tys: Vec<(&str, TypeRef)> = fields(&api, "Server")
        .iter()
        .map(|f| (f.wire_name.as_str(), f.ty.clone()))
        .collect();
    assert_eq!(
        tys,
        [
            ("remote", TypeRef::Prim(Prim::YesNo)),
            ("cores", TypeRef::Prim(Prim::StringI64)),
            ("load", TypeRef::Prim(Prim::StringF64)),
            (
                "payDate",
                TypeRef::EmptyAsNone(Box::new(TypeRef::Prim(Prim::Date)))
            ),
            (
                "ips",
                TypeRef::WrappedList {
                    key: "ip_address".into(),
                    item: Box::new(TypeRef::Prim(Prim::String)),
                }
            ),
        ]
    );
    // Required, yet `""` reads as `None`: the field's Rust type is an `Option` of itself.
    assert!(field(&api, "Server", "payDate").full_type().is_optional());
}

#[test]
fn a_secret_key_overrides_the_password_format_both_ways() {
    let api = api("    Login:
      type: object
      required: [a, b, c]
      properties:
        a: {type: string, x-cloudgen-secret: true}
        b: {type: string, format: password, x-cloudgen-secret: false}
        c: {type: string, format: password}
");
    let tys: Vec<TypeRef> = fields(&api, "Login").iter().map(|f| f.ty.clone()).collect();
    assert_eq!(
        tys,
        [
            TypeRef::Prim(Prim::Secret),
            TypeRef::Prim(Prim::String),
            TypeRef::Prim(Prim::Secret)
        ]
    );
}
