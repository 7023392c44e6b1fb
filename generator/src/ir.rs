//! The intermediate representation: everything emit needs, nothing of OpenAPI.
//!
//! `lower` builds it from a document; `emit` reads it. Types are interned in
//! `Api::types` and referred to by `TypeId`, so one schema is one Rust type.
//!
//! Every decision about the Rust shape (names, optionality, derives, result types, the
//! extra-properties field) is made by lower and carried here; emit and the API summary
//! (`diff::summary`) print what they find.

use serde_json::Value;

/// One spec, lowered.
#[derive(Debug, Clone)]
pub struct Api {
    /// Rust module name (and cargo feature) of this spec.
    pub module: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The servers, first one the default.
    pub servers: Vec<ServerIr>,
    /// Authentication schemes the client offers.
    pub auth: Vec<AuthIr>,
    /// Every named type, in emission order.
    pub types: Vec<TypeDef>,
    /// Every operation, in document order.
    pub operations: Vec<OperationIr>,
    /// Where error bodies carry the provider's error code (`x-cloudgen-error-code-field`).
    pub error_code_pointer: Option<String>,
    /// Where error bodies carry the provider's message (`x-cloudgen-error-message-field`).
    pub error_message_pointer: Option<String>,
    /// Rate-limit headers (`x-cloudgen-rate-limit`).
    pub rate_limit: Option<RateLimitIr>,
    /// Test-mode query parameter (`x-cloudgen-test-mode`): name and value.
    pub test_mode: Option<(String, String)>,
    /// Every provider error code any operation documents (`x-cloudgen-error-codes`), once
    /// each, in code order: the module's one `ErrorCode` enum. The status and description are
    /// those of the first operation that documents the code.
    pub error_codes: Vec<ErrorCodeIr>,
    /// The envelope's documented item error codes (`x-cloudgen-envelope` `codes` at the root).
    pub item_error_codes: Vec<ItemErrorCodeIr>,
    /// Marker types that name a codec's parameter (a wrapped list's key, a date-time
    /// pattern), in first-use order; emitted into the types module's `wire` module.
    pub wire_markers: Vec<WireMarker>,
}

impl Api {
    /// The API's name for prose: its title, with "API" added unless the title ends in it
    /// ("UpCloud API", "Unikraft Cloud API"), so that docs never say "API API".
    pub fn display_name(&self) -> String {
        let title = self.title.trim();
        let ends_in_api = title
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("api"));
        if ends_in_api {
            title.to_string()
        } else {
            format!("{title} API")
        }
    }
}

/// A zero-sized type that carries a codec's parameter at the type level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireMarker {
    /// The Rust type name, unique among the markers.
    pub name: String,
    /// What it carries.
    pub kind: WireMarkerKind,
}

/// What a [`WireMarker`] carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireMarkerKind {
    /// The property of a one-property wrapper object: a wrapped list's
    /// (`x-cloudgen-wrapped-list`) or a wrapped request body's (`x-cloudgen-wrap`).
    Key(String),
    /// A `strftime` pattern (`x-cloudgen-datetime-format`).
    DateTimeFormat(String),
}

/// The headers that carry rate-limit state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitIr {
    /// Requests allowed per window.
    pub limit: String,
    /// Requests left in the window.
    pub remaining: String,
    /// When the window resets (Unix seconds).
    pub reset: String,
}

/// One documented provider error code of an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCodeIr {
    /// The code as sent.
    pub code: String,
    /// The Rust variant name.
    pub rust_name: String,
    /// The HTTP status it comes with.
    pub status: Option<u16>,
    /// What it means.
    pub description: Option<String>,
}

/// A server URL with its variables.
#[derive(Debug, Clone)]
pub struct ServerIr {
    /// The URL template.
    pub url: String,
    /// Its description.
    pub description: Option<String>,
    /// Variables: (rust name, wire name, default, allowed values, description).
    pub variables: Vec<ServerVariableIr>,
    /// `x-cloudgen-url-env`: an environment variable holding a whole base URL that replaces
    /// this server's URL in `from_env` (for a mock, a proxy or a test server).
    pub url_env: Option<String>,
}

/// One variable of a server URL template.
#[derive(Debug, Clone)]
pub struct ServerVariableIr {
    /// The Rust parameter name.
    pub rust_name: String,
    /// The name in the template.
    pub wire_name: String,
    /// The default value.
    pub default: String,
    /// The allowed values, if listed.
    pub allowed: Vec<String>,
    /// `x-cloudgen-env`: an environment variable `from_env` reads the value from.
    pub env: Option<String>,
    /// Its description.
    pub description: Option<String>,
}

/// An authentication scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthIr {
    /// `Authorization: Bearer <token>`; optionally read from an environment variable.
    Bearer {
        /// `x-cloudgen-token-env`.
        token_env: Option<String>,
        /// `x-cloudgen-token-exchange`.
        exchange: Option<TokenExchangeIr>,
        /// Scheme description.
        description: Option<String>,
    },
    /// HTTP basic.
    Basic {
        /// Scheme description.
        description: Option<String>,
    },
    /// An API key sent in a header.
    ApiKeyHeader {
        /// The header name.
        header: String,
        /// `x-cloudgen-token-env`.
        token_env: Option<String>,
        /// Scheme description.
        description: Option<String>,
    },
}

/// Index into `Api::types`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub usize);

/// Documentation carried from the spec.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// Summary or title.
    pub summary: Option<String>,
    /// Long description.
    pub description: Option<String>,
    /// An example value.
    pub example: Option<Value>,
    /// A default value.
    pub default: Option<Value>,
    /// Marked deprecated.
    pub deprecated: bool,
}

/// A named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name, unique in the types module.
    pub name: String,
    /// Where it was defined (JSON pointer).
    pub pointer: String,
    /// Documentation.
    pub doc: Doc,
    /// What it is.
    pub kind: TypeKind,
    /// Whether a request body sends it (directly or inside another type): such a struct gets
    /// `new(required fields)`, unless every field has a default (then `Default`), and a
    /// `with_<field>` setter for each optional field.
    pub sent: bool,
    /// The traits beyond `Debug`, `Clone` and `PartialEq` the type derives (decided in
    /// `lower::shape::decide_types`).
    pub derives: Derives,
    /// The Rust name of the field holding a struct's `additionalProperties` (a struct with
    /// `additional` only): `additional_properties`, with `_` added while a field has that name.
    pub additional_field: Option<String>,
}

/// The traits a type derives that depend on what it holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Derives {
    /// `Eq` and `Hash`: every value it holds compares exactly (no floats, no JSON values).
    pub eq_hash: bool,
    /// `Default`: a struct whose every field has a natural empty value (`None`, `Absent`).
    pub default: bool,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// Not lowered yet (only during lowering).
    Pending,
    /// A struct of named fields.
    Struct {
        /// The fields, in document order.
        fields: Vec<Field>,
        /// `additionalProperties` beside properties: flattened map of the rest.
        additional: Option<TypeRef>,
    },
    /// A string enum with an `Unknown(String)` catch-all.
    StringEnum {
        /// The variants.
        variants: Vec<EnumVariant>,
    },
    /// `oneOf` with a discriminator: the tag property picks the variant.
    Tagged {
        /// The discriminator property.
        tag: String,
        /// The variants.
        variants: Vec<UnionVariant>,
    },
    /// `oneOf` of objects with one property each: `{"<key>": value}`, the key picks the variant.
    SingleKey {
        /// The variants; `tag_values[0]` is each variant's key.
        variants: Vec<UnionVariant>,
    },
    /// `oneOf` without a discriminator, or `anyOf`: the first variant that fits.
    Untagged {
        /// The variants.
        variants: Vec<UnionVariant>,
    },
    /// A distinct type around a primitive (IDs and the like).
    Newtype {
        /// The wrapped type.
        inner: TypeRef,
        /// A named validation rule values must pass to be built (`x-cloudgen-validate`).
        validate: Option<String>,
    },
    /// A plain alias (`type X = Vec<Y>;`).
    Alias {
        /// The aliased type.
        target: TypeRef,
    },
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust field name.
    pub rust_name: String,
    /// The JSON property name.
    pub wire_name: String,
    /// The type, without the `Option` that optional fields get.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// `nullable: true`.
    pub nullable: bool,
    /// How the field's presence travels, decided from `required`, `nullable` and where the
    /// type is used.
    pub presence: Presence,
    /// Must be boxed to break a cycle.
    pub boxed: bool,
    /// Flattened into the parent (`#[serde(flatten)]`): an `allOf` part that is not an object.
    pub flatten: bool,
    /// Documentation.
    pub doc: Doc,
    /// The field may be left unset when a value is built: not required, or nullable. Decided
    /// in `lower::shape::decide_types` once presence is final.
    pub optional: bool,
}

/// Whether a field is always there, may be absent, or may also be an explicit `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Listed in `required`: `T`, or `Option<T>` (sent as `null`) when nullable.
    Required,
    /// May be absent: `Option<T>`, left out when `None`; `null` also reads as `None`.
    Optional,
    /// May be absent or `null`, and a request must be able to send either: `Nullable<T>`.
    /// Optional nullable fields of types that requests send.
    Tristate,
}

impl Presence {
    /// The presence of a field before lower knows where its type is used.
    pub fn of(required: bool) -> Self {
        if required {
            Presence::Required
        } else {
            Presence::Optional
        }
    }
}

impl Field {
    /// The field's whole Rust-side type: its value type with the `Option`, `Nullable` or
    /// `Box` that its presence and cycle-breaking add.
    pub fn full_type(&self) -> TypeRef {
        let value = if self.boxed {
            TypeRef::Boxed(Box::new(self.ty.clone()))
        } else {
            self.ty.clone()
        };
        match self.presence {
            Presence::Required if self.nullable => value.optional(),
            Presence::Required => value,
            Presence::Optional => value.optional(),
            Presence::Tristate => TypeRef::Nullable(Box::new(value)),
        }
    }

    /// The enum type and its only variant, for a field that must be set (not `optional`) and
    /// whose type is a string enum of one value (an `action` or `type` naming a union's case):
    /// constructors and expanded bodies fill it in.
    pub fn fixed_value<'t>(&self, types: &'t [TypeDef]) -> Option<(&'t TypeDef, &'t EnumVariant)> {
        if self.optional {
            return None;
        }
        let TypeRef::Named(id) = &self.ty else {
            return None;
        };
        let def = &types[id.0];
        match &def.kind {
            TypeKind::StringEnum { variants } if variants.len() == 1 => Some((def, &variants[0])),
            _ => None,
        }
    }

    /// Whether a sent struct's `new` takes the field: it has no natural empty value and is not
    /// filled in ([`Field::fixed_value`]). The others start empty and get a `with_` setter.
    pub fn is_constructor_arg(&self, types: &[TypeDef]) -> bool {
        self.fixed_value(types).is_none() && !self.full_type_is_defaultable()
    }

    /// Whether the field's Rust type has a natural empty value (`None`, `Absent`), so that a
    /// struct of only such fields can derive `Default`.
    pub fn full_type_is_defaultable(&self) -> bool {
        matches!(
            self.full_type(),
            TypeRef::Option(_) | TypeRef::EmptyAsNone(_) | TypeRef::Nullable(_)
        )
    }
}

impl TypeRef {
    /// True when the Rust type is already an `Option` (absent and `null` read as `None`).
    pub fn is_optional(&self) -> bool {
        matches!(self, TypeRef::Option(_) | TypeRef::EmptyAsNone(_))
    }

    /// This type made optional: `Option<T>`, unless it is optional already.
    pub fn optional(self) -> TypeRef {
        if self.is_optional() {
            self
        } else {
            TypeRef::Option(Box::new(self))
        }
    }
}

/// A string enum variant.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The wire value.
    pub wire: String,
}

/// A variant of a tagged or untagged union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub rust_name: String,
    /// The tag values that select it (tagged unions only).
    pub tag_values: Vec<String>,
    /// The payload.
    pub ty: TypeRef,
    /// Must be boxed to break a cycle.
    pub boxed: bool,
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// A named type.
    Named(TypeId),
    /// A primitive.
    Prim(Prim),
    /// A list.
    Vec(Box<TypeRef>),
    /// A string-keyed map.
    Map(Box<TypeRef>),
    /// A nullable value.
    Option(Box<TypeRef>),
    /// `{"<key>": [...]}` on the wire, a `Vec` in Rust (`x-cloudgen-wrapped-list`).
    WrappedList {
        /// The single property holding the list.
        key: String,
        /// The items.
        item: Box<TypeRef>,
    },
    /// A date-time in a `strftime` pattern (`x-cloudgen-datetime-format`).
    FormattedDateTime(String),
    /// An optional value the provider writes as `""` when it has none
    /// (`x-cloudgen-empty-as-absent`): `Option<T>` in Rust.
    EmptyAsNone(Box<TypeRef>),
    /// A field that may be absent, `null` or a value (`Presence::Tristate`): `Nullable<T>`.
    Nullable(Box<TypeRef>),
    /// A value boxed to break a cycle.
    Boxed(Box<TypeRef>),
    /// Any JSON value.
    Value,
    /// No content.
    Unit,
}

/// A primitive type, with how it travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prim {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// RFC 3339 date-time.
    DateTime,
    /// ISO 8601 date.
    Date,
    /// UUID.
    Uuid,
    /// Base64 bytes (`format: byte`).
    Base64,
    /// A `format: binary` string inside a JSON value: a `String`.
    Binary,
    /// A whole raw body (`application/octet-stream` and every other media type that is
    /// neither JSON, text nor a form): `bytes::Bytes`, sent and received unchanged.
    Bytes,
    /// A `multipart/form-data` body: `rt::Multipart`, its parts added by the caller.
    Multipart,
    /// A boolean sent as `"yes"` / `"no"`.
    YesNo,
    /// A boolean sent as the strings `"true"` / `"false"`.
    BoolString,
    /// An integer sent as a string.
    StringI64,
    /// A number sent as a string.
    StringF64,
    /// A secret string (`format: password`, `x-cloudgen-secret: true`): `rt::Secret`, which
    /// `Debug` and `Display` show as `<redacted>`, sent and read as the plain string.
    Secret,
}

impl Prim {
    /// Whether a newtype of this primitive parses from text that may be wrong (`FromStr`
    /// with an error): UUIDs, numbers, booleans and dates. Such a newtype gets `FromStr` and
    /// `TryFrom<&str>`; a newtype of a plain string converts from `&str` without a check.
    pub fn parses_from_text(self) -> bool {
        matches!(
            self,
            Prim::Uuid
                | Prim::I32
                | Prim::I64
                | Prim::F32
                | Prim::F64
                | Prim::Bool
                | Prim::Date
                | Prim::DateTime
        )
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub struct OperationIr {
    /// The method name (snake case, unique).
    pub name: String,
    /// The PascalCase stem for its request, response and error types.
    pub type_stem: String,
    /// HTTP method, upper case.
    pub method: String,
    /// The path template.
    pub path: String,
    /// Where it is (JSON pointer).
    pub pointer: String,
    /// Documentation.
    pub doc: Doc,
    /// Parameters, path ones first in template order, then query, then header.
    pub params: Vec<ParamIr>,
    /// The request body.
    pub body: Option<BodyIr>,
    /// Documented responses.
    pub responses: Vec<ResponseIr>,
    /// `x-cloudgen-retry-safe`.
    pub retry_safe: bool,
    /// `x-cloudgen-error-codes`.
    pub error_codes: Vec<ErrorCodeIr>,
    /// `x-cloudgen-envelope`: the success type is a batch of per-object results.
    pub envelope: Option<EnvelopeIr>,
    /// `x-cloudgen-pagination`: the builder also streams every item of every page.
    pub pagination: Option<PaginationIr>,
    /// `x-cloudgen-waiter`: a client method polling this operation until a field has a value.
    pub waiter: Option<WaiterIr>,
    /// What the method returns on success (decided in `lower::shape::result_types`).
    pub success: SuccessIr,
    /// What the method's typed error is (decided in `lower::shape::result_types`).
    pub error: ErrorIr,
}

/// What an operation's method returns on success.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessIr {
    /// No success response is documented: `()`.
    Unit,
    /// One success response: its body type.
    One(TypeRef),
    /// Several success responses: the operation's enum of that name, a variant for each.
    Enum(String),
    /// An envelope of several objects (`x-cloudgen-envelope`): `rt::Batch<item>`.
    Batch(TypeRef),
    /// An envelope naming one object (`single: true`): the object's value.
    Single(TypeRef),
}

/// What an operation's method fails with, besides transport and decoding errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorIr {
    /// No error response is documented: `Infallible`.
    None,
    /// The operation's enum of that name, a variant for each documented error response.
    Enum(String),
    /// An envelope's failure: `rt::BatchError`.
    Batch,
}

impl OperationIr {
    /// The name of the operation's request builder: the stem and `Builder`. No other item
    /// of a client module ends in `Builder` (enums end in `Response`, `Error` or `ErrorCode`),
    /// and body types live in `types`, so the name cannot clash.
    pub fn builder_name(&self) -> String {
        format!("{}Builder", self.type_stem)
    }

    /// Whether the operation downloads raw bytes: its one success response is a
    /// [`ResponseContent::Bytes`] body. Its builder then also offers `send_stream()`, which
    /// hands the body over as it arrives.
    pub fn streams_download(&self) -> bool {
        let mut successes = self.responses.iter().filter(|r| r.success);
        self.envelope.is_none()
            && matches!(
                (successes.next(), successes.next()),
                (Some(r), None) if r.content == ResponseContent::Bytes
            )
    }
}

/// A waiter: poll an operation until a field of its result has a wanted value.
#[derive(Debug, Clone, PartialEq)]
pub struct WaiterIr {
    /// The client method name (snake case).
    pub name: String,
    /// The field, as a JSON pointer into the operation's decoded success value.
    pub field: String,
    /// The field's type: the type of the wanted value.
    pub ty: TypeRef,
}

/// How an access token is obtained by a signed request (`x-cloudgen-token-exchange`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenExchangeIr {
    /// The method name of the token operation.
    pub operation: String,
    /// The header carrying the signature.
    pub signature_header: String,
    /// Where the token is in the response (JSON pointer).
    pub token_pointer: String,
    /// The body field (wire name) that gets a fresh nonce per request.
    pub nonce_field: Option<String>,
    /// The body field (wire name) that gets the token lifetime.
    pub lifetime_field: Option<String>,
    /// How the lifetime is written, with `{seconds}` in it.
    pub lifetime_format: String,
    /// The body field (wire name) whose value gets a unique suffix per request.
    pub label_field: Option<String>,
    /// A documented demo token.
    pub demo_token: Option<String>,
}

/// Where an enveloped response keeps its parts (JSON pointers).
#[derive(Debug, Clone, PartialEq)]
pub struct EnvelopeIr {
    /// Overall status.
    pub status: String,
    /// Overall message.
    pub message: String,
    /// Request-level errors.
    pub errors: String,
    /// The per-object results.
    pub items: String,
    /// The type of one object.
    pub item: TypeRef,
    /// What one object is, for messages (`"instance"`): the envelope's `object`, or the last
    /// segment of `items` in the singular.
    pub object: String,
    /// `single: true`: the operation names one object, so it returns that object's value (or
    /// its failure as the error) instead of a batch.
    pub single: bool,
}

/// One documented numeric item error code of an envelope (`x-cloudgen-envelope` `codes`).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemErrorCodeIr {
    /// The number.
    pub code: i64,
    /// The constant's name, SCREAMING_SNAKE_CASE.
    pub const_name: String,
    /// What the code means, in a few words.
    pub meaning: String,
}

/// How a list operation pages.
#[derive(Debug, Clone, PartialEq)]
pub struct PaginationIr {
    /// The Rust name of the page-number query parameter.
    pub page_param: String,
    /// Its type.
    pub page_ty: TypeRef,
    /// Where the items are in each page (JSON pointer).
    pub items: String,
    /// Where the page links are (JSON pointer of an array of `{rel, link}`).
    pub links: String,
    /// The type of one item.
    pub item: TypeRef,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct ParamIr {
    /// The Rust name, unique in the operation.
    pub rust_name: String,
    /// The wire name.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type.
    pub ty: TypeRef,
    /// Required.
    pub required: bool,
    /// For arrays in the query: `name=a&name=b` (true) or `name=a,b` (false).
    pub explode: bool,
    /// A path parameter whose type checks the text it is made from (a UUID, a validated
    /// name): the method takes anything `TryInto` the type, so `"my-instance"` works, and a
    /// value that fails the check fails at `send()` with `Error::Request`.
    pub checked: bool,
    /// Documentation.
    pub doc: Doc,
}

/// How a body is encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// Raw bytes with this content type.
    Bytes(String),
    /// `text/plain`.
    Text(String),
    /// `multipart/form-data`.
    Multipart,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct BodyIr {
    /// Encoding.
    pub encoding: BodyEncoding,
    /// Type.
    pub ty: TypeRef,
    /// Required.
    pub required: bool,
    /// Documentation.
    pub doc: Doc,
    /// The body's fields are the method's inputs (split operations): required ones
    /// are arguments, optional ones setters, single-valued enums filled in.
    pub expand: bool,
    /// The properties of the one-property objects the body travels inside
    /// (`x-cloudgen-wrap`), outermost first: `["server"]` sends `ty` as `{"server": ...}`.
    /// Empty when the body travels as it is.
    pub wrap: Vec<String>,
    /// For an expanded body (`expand`), the Rust name of the argument or setter of each field
    /// of the body struct, in field order, unique among the builder's inputs; `None` for a
    /// field whose one allowed value is filled in ([`Field::fixed_value`]).
    pub expanded_args: Vec<Option<String>>,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status.
    Code(u16),
    /// `4XX` and the like: the hundreds digit.
    Range(u16),
    /// `default`.
    Default,
}

/// How a response body is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseContent {
    /// JSON, optionally unwrapped at a pointer.
    Json {
        /// `x-cloudgen-unwrap`.
        unwrap: Option<String>,
    },
    /// Text.
    Text,
    /// Raw bytes.
    Bytes,
    /// No body.
    Empty,
}

/// One documented response.
#[derive(Debug, Clone)]
pub struct ResponseIr {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// The variant name in the operation's response or error enum.
    pub variant: String,
    /// The Rust type of the body (after unwrapping).
    pub ty: TypeRef,
    /// How the body is read.
    pub content: ResponseContent,
    /// A success (2xx) response.
    pub success: bool,
    /// Its description.
    pub description: Option<String>,
}
