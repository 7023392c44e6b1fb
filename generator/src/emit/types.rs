//! Models: one Rust item per named type.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs::item_docs;
use crate::ir::{
    Api, BodyIr, Field, Presence, Prim, TypeDef, TypeKind, TypeRef, UnionVariant, WireMarkerKind,
};

/// Makes an identifier, raw when it is a keyword.
pub fn ident(name: &str) -> Ident {
    if crate::naming::is_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// How to name a type from where it is used.
#[derive(Clone, Copy)]
pub struct Ctx<'a> {
    /// The API.
    pub api: &'a Api,
    /// True inside the types module (bare names); false in the client module (`types::X`).
    pub in_types: bool,
}

impl Ctx<'_> {
    fn named(&self, id: crate::ir::TypeId) -> TokenStream {
        let name = ident(&self.api.types[id.0].name);
        if self.in_types {
            quote!(#name)
        } else {
            quote!(types::#name)
        }
    }

    /// The Rust type of a reference, as users see it: codecs change how a value travels,
    /// never its Rust type.
    pub fn rust_type(&self, t: &TypeRef) -> TokenStream {
        match t {
            TypeRef::Named(id) => self.named(*id),
            TypeRef::Prim(p) => prim_type(*p),
            TypeRef::Vec(inner) | TypeRef::WrappedList { item: inner, .. } => {
                let inner = self.rust_type(inner);
                quote!(::std::vec::Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.rust_type(inner);
                quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
            }
            TypeRef::Option(inner) | TypeRef::EmptyAsNone(inner) => {
                let inner = self.rust_type(inner);
                quote!(::std::option::Option<#inner>)
            }
            TypeRef::Nullable(inner) => {
                let inner = self.rust_type(inner);
                let rt = self.runtime();
                quote!(#rt::Nullable<#inner>)
            }
            TypeRef::Boxed(inner) => {
                let inner = self.rust_type(inner);
                quote!(::std::boxed::Box<#inner>)
            }
            TypeRef::FormattedDateTime(_) => quote!(rt::chrono::NaiveDateTime),
            TypeRef::Value => quote!(rt::serde_json::Value),
            TypeRef::Unit => quote!(()),
        }
    }

    /// The path of the runtime from here.
    pub fn runtime(&self) -> TokenStream {
        if self.in_types {
            quote!(super::rt)
        } else {
            quote!(rt)
        }
    }

    /// The codec that carries values of `t` over the wire, as the text of a Rust type for a
    /// `#[serde(with = "codec::As::<...>")]` attribute, or `None` when plain serde is right.
    /// It mirrors the type: `Option<Vec<codec::YesNo>>` for an optional list of yes/no flags.
    /// In the types module `codec` is the runtime's codec module, brought in by a `use`.
    pub fn codec(&self, t: &TypeRef) -> Option<String> {
        let (c, w) = if self.in_types {
            ("codec::", "wire::")
        } else {
            ("rt::codec::", "types::wire::")
        };
        let inner = |i: &TypeRef| self.codec(i);
        match t {
            TypeRef::Prim(p) => prim_codec(*p).map(|name| format!("{c}{name}")),
            TypeRef::Named(id) => match &self.api.types[id.0].kind {
                TypeKind::Alias { target } => self.codec(target),
                _ => None,
            },
            TypeRef::Vec(i) => inner(i).map(|i| format!("Vec<{i}>")),
            TypeRef::Option(i) => inner(i).map(|i| format!("Option<{i}>")),
            TypeRef::Boxed(i) => inner(i).map(|i| format!("Box<{i}>")),
            TypeRef::Map(i) => inner(i).map(|i| format!("std::collections::BTreeMap<String, {i}>")),
            TypeRef::Nullable(i) => inner(i).map(|i| format!("{c}Nullable<{i}>")),
            TypeRef::EmptyAsNone(i) => Some(match inner(i) {
                Some(i) => format!("{c}EmptyAsNone<{i}>"),
                None => format!("{c}EmptyAsNone"),
            }),
            TypeRef::WrappedList { key, item } => {
                let marker = self.marker(&WireMarkerKind::Key(key.clone()));
                Some(match inner(item) {
                    Some(i) => format!("{c}Wrapped<{w}{marker}, {i}>"),
                    None => format!("{c}Wrapped<{w}{marker}>"),
                })
            }
            TypeRef::FormattedDateTime(f) => {
                let marker = self.marker(&WireMarkerKind::DateTimeFormat(f.clone()));
                Some(format!("{c}Formatted<{w}{marker}>"))
            }
            TypeRef::Value | TypeRef::Unit => None,
        }
    }

    /// The codec of `t` as a type, for top-level values (bodies and responses).
    pub fn codec_type(&self, t: &TypeRef) -> Option<TokenStream> {
        self.codec(t).and_then(|c| c.parse().ok())
    }

    /// The codec a request body travels through: its type's, inside the wrapper objects its
    /// `wrap` names (`Within<ServerKey, ..>` for `{"server": ...}`).
    pub fn body_codec(&self, body: &BodyIr) -> Option<TokenStream> {
        let (c, w) = if self.in_types {
            ("codec::", "wire::")
        } else {
            ("rt::codec::", "types::wire::")
        };
        let mut codec = self.codec(&body.ty);
        for key in body.wrap.iter().rev() {
            let marker = self.marker(&WireMarkerKind::Key(key.clone()));
            codec = Some(match codec {
                Some(inner) => format!("{c}Within<{w}{marker}, {inner}>"),
                None => format!("{c}Within<{w}{marker}>"),
            });
        }
        codec.and_then(|c| c.parse().ok())
    }

    fn marker(&self, kind: &WireMarkerKind) -> String {
        self.api
            .wire_markers
            .iter()
            .find(|m| &m.kind == kind)
            .map(|m| m.name.clone())
            // Lower registers a marker for every key and pattern it lowers.
            .unwrap_or_else(|| "MissingMarker".to_string())
    }
}

/// The Rust type of a primitive (runtime types through `rt`, in scope in every module).
pub fn prim_type(p: Prim) -> TokenStream {
    match p {
        Prim::String => quote!(::std::string::String),
        Prim::Bool | Prim::YesNo | Prim::BoolString => quote!(bool),
        Prim::I32 => quote!(i32),
        Prim::I64 | Prim::StringI64 => quote!(i64),
        Prim::F32 => quote!(f32),
        Prim::F64 | Prim::StringF64 => quote!(f64),
        Prim::DateTime => quote!(rt::chrono::DateTime<rt::chrono::FixedOffset>),
        Prim::Date => quote!(rt::chrono::NaiveDate),
        Prim::Uuid => quote!(rt::uuid::Uuid),
        Prim::Binary => quote!(::std::string::String),
        Prim::Base64 => quote!(::std::vec::Vec<u8>),
        Prim::Bytes => quote!(rt::bytes::Bytes),
        Prim::Multipart => quote!(rt::Multipart),
        Prim::Secret => quote!(rt::Secret),
    }
}

/// The runtime codec of a primitive that needs one.
fn prim_codec(p: Prim) -> Option<&'static str> {
    match p {
        Prim::YesNo => Some("YesNo"),
        Prim::BoolString => Some("BoolString"),
        Prim::StringI64 | Prim::StringF64 => Some("StringNumber"),
        Prim::Base64 => Some("Base64"),
        _ => None,
    }
}

/// True when the type has a `Display` impl that is the wire text (a secret's `Display` hides
/// it: [`is_secret`]).
pub fn displayable(api: &Api, t: &TypeRef) -> bool {
    match t {
        TypeRef::Prim(p) => !matches!(
            p,
            Prim::Base64 | Prim::DateTime | Prim::Bytes | Prim::Multipart | Prim::Secret
        ),
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Newtype { .. } | TypeKind::StringEnum { .. } => true,
            TypeKind::Alias { target } => displayable(api, target),
            _ => false,
        },
        _ => false,
    }
}

/// True when values of `t` are secrets (`rt::Secret`, directly or through an alias), whose wire
/// text only `expose()` gives.
pub fn is_secret(api: &Api, t: &TypeRef) -> bool {
    match t {
        TypeRef::Prim(p) => *p == Prim::Secret,
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Alias { target } => is_secret(api, target),
            _ => false,
        },
        _ => false,
    }
}

/// Emits the types module body.
pub fn emit_types(api: &Api) -> TokenStream {
    let ctx = Ctx {
        api,
        in_types: true,
    };
    let items: Vec<TokenStream> = api.types.iter().map(|t| emit_type(ctx, t)).collect();
    let uses_codec = api.types.iter().any(|t| type_uses_codec(ctx, t));
    // Generated code names other crates through the runtime (`rt::serde`), never directly.
    let rt_use = (!api.types.is_empty()).then(|| {
        quote!(
            use super::rt;
        )
    });
    let codec_use = uses_codec.then(|| {
        quote!(
            use super::rt::codec;
        )
    });
    let wire = emit_wire_markers(api);
    let query_values = emit_query_values(api);
    quote! {
        #rt_use
        #codec_use
        #(#items)*
        #(#query_values)*
        #wire
    }
}

/// `QueryValues<X> for X` for each named type listed by an array query parameter, so that
/// its setter takes one value as well as a list.
fn emit_query_values(api: &Api) -> Vec<TokenStream> {
    let mut ids: Vec<crate::ir::TypeId> = Vec::new();
    for p in api.operations.iter().flat_map(|op| &op.params) {
        if let (TypeRef::Vec(item), crate::ir::ParamLocation::Query) = (&p.ty, p.location) {
            if let TypeRef::Named(id) = item.as_ref() {
                if !ids.contains(id) {
                    ids.push(*id);
                }
            }
        }
    }
    ids.iter()
        .map(|id| {
            let name = ident(&api.types[id.0].name);
            quote! {
                impl super::rt::QueryValues<#name> for #name {
                    fn into_values(self) -> ::std::vec::Vec<Self> {
                        ::std::vec![self]
                    }
                }
            }
        })
        .collect()
}

/// Whether the item emitted for `t` names the `codec` module.
fn type_uses_codec(ctx: Ctx<'_>, t: &TypeDef) -> bool {
    match &t.kind {
        TypeKind::Struct { fields, .. } => fields
            .iter()
            .any(|f| !f.flatten && ctx.codec(&f.full_type()).is_some()),
        TypeKind::Untagged { variants } | TypeKind::SingleKey { variants } => variants
            .iter()
            .any(|v| ctx.codec(&variant_type(v)).is_some()),
        TypeKind::Newtype {
            inner,
            validate: None,
        } => ctx.codec(inner).is_some(),
        _ => false,
    }
}

/// The marker types of the API's codec parameters, in a hidden `wire` module.
fn emit_wire_markers(api: &Api) -> TokenStream {
    if api.wire_markers.is_empty() {
        return TokenStream::new();
    }
    let items = api.wire_markers.iter().map(|m| {
        let name = ident(&m.name);
        match &m.kind {
            WireMarkerKind::Key(key) => {
                let doc = format!(" The property of the wrapper object `{{\"{key}\": ...}}`.");
                quote! {
                    #[doc = #doc]
                    pub struct #name;

                    impl super::super::rt::codec::Key for #name {
                        const KEY: &'static str = #key;
                    }
                }
            }
            WireMarkerKind::DateTimeFormat(format) => {
                let doc = format!(" Date-times written as `{format}`.");
                quote! {
                    #[doc = #doc]
                    pub struct #name;

                    impl super::super::rt::codec::DateTimeFormat for #name {
                        const FORMAT: &'static str = #format;
                    }
                }
            }
        }
    });
    quote! {
        /// Marker types naming the parameters of wire codecs (the key of a wrapped list, the
        /// pattern of a date-time); used by the `#[serde(with = ...)]` attributes above.
        #[doc(hidden)]
        pub mod wire {
            #(#items)*
        }
    }
}

/// `#[serde(with = "codec::As::<C>")]` for a value whose codec is `codec`.
fn with_attr(codec: Option<String>) -> Option<TokenStream> {
    codec.map(|c| {
        let path = format!("codec::As::<{c}>");
        quote!(#[serde(with = #path)])
    })
}

/// The type a union variant holds, boxing included.
fn variant_type(v: &UnionVariant) -> TypeRef {
    if v.boxed {
        TypeRef::Boxed(Box::new(v.ty.clone()))
    } else {
        v.ty.clone()
    }
}

fn emit_type(ctx: Ctx<'_>, t: &TypeDef) -> TokenStream {
    let name = ident(&t.name);
    let type_docs = item_docs(&t.doc);
    // Items the spec does not document get no filler doc; a crate that denies missing docs
    // (as `cloudapi` does) is told so on the item instead.
    let undocumented = type_docs.is_none()
        || match &t.kind {
            TypeKind::Struct { fields, .. } => fields.iter().any(|f| item_docs(&f.doc).is_none()),
            TypeKind::Untagged { .. } => true,
            _ => false,
        };
    let allow = undocumented.then(|| quote!(#[allow(missing_docs)]));
    let docs = quote!(#type_docs #allow);
    match &t.kind {
        TypeKind::Struct { fields, additional } => {
            let extra = additional.as_ref().zip(t.additional_field.as_deref());
            let strukt = emit_struct(ctx, &name, docs, fields, extra, t.derives.default);
            let constructors = t
                .sent
                .then(|| emit_constructors(ctx, &name, fields, t.additional_field.as_deref()));
            quote!(#strukt #constructors)
        }
        TypeKind::StringEnum { variants } => {
            let vs: Vec<(String, String, String)> = variants
                .iter()
                .map(|v| (v.rust_name.clone(), v.wire.clone(), format!("`{}`", v.wire)))
                .collect();
            let non_exhaustive =
                super::non_exhaustive::attr(super::non_exhaustive::of_type(&t.kind));
            emit_string_enum(&name, quote!(#docs #non_exhaustive), &vs, &ctx.runtime())
        }
        TypeKind::Newtype { inner, validate } => emit_newtype(
            ctx,
            &name,
            docs,
            inner,
            validate.as_deref(),
            t.derives.eq_hash,
        ),
        TypeKind::Alias { target } => {
            // An alias names the Rust type; the fields using it carry its codec.
            let target = ctx.rust_type(target);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
        TypeKind::Untagged { variants } => {
            let vs = union_variants(ctx, variants);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
                #[serde(crate = "rt::serde")]
                #[serde(untagged)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#vs)*
                }
            }
        }
        TypeKind::Tagged { tag, variants } => {
            let vs = union_variants(ctx, variants);
            let rt = ctx.runtime();
            let type_name = t.name.clone();
            let arms = variants.iter().map(|v| {
                let vname = ident(&v.rust_name);
                let values = &v.tag_values;
                let convert = if v.boxed {
                    quote!(.map(|v| Self::#vname(::std::boxed::Box::new(v))))
                } else {
                    quote!(.map(Self::#vname))
                };
                quote! {
                    #( Some(#values) )|* => rt::serde_json::from_value(value)#convert.map_err(rt::serde::de::Error::custom),
                }
            });
            let unknown_doc =
                format!(" A `{tag}` value this client does not know yet, kept as sent.");
            // `StorageDeviceClone::new(..).into()` then gives the union value.
            let froms = emit_variant_froms(ctx, &name, variants);
            let non_exhaustive =
                super::non_exhaustive::attr(super::non_exhaustive::of_type(&t.kind));
            quote! {
                #docs
                #non_exhaustive
                #[derive(Debug, Clone, PartialEq, rt::serde::Serialize)]
                #[serde(crate = "rt::serde")]
                #[serde(untagged)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#vs)*
                    #[doc = #unknown_doc]
                    Unknown(rt::serde_json::Value),
                }

                impl<'de> rt::serde::Deserialize<'de> for #name {
                    fn deserialize<D: rt::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <rt::serde_json::Value as rt::serde::Deserialize>::deserialize(deserializer)?;
                        let tag = value.get(#tag).and_then(rt::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                        match tag.as_deref() {
                            #(#arms)*
                            other => {
                                #rt::drift::note_unknown(#type_name, other.unwrap_or_default());
                                Ok(Self::Unknown(value))
                            }
                        }
                    }
                }

                #froms
            }
        }
        TypeKind::SingleKey { variants } => {
            let vs = variants.iter().map(|v| {
                let vname = ident(&v.rust_name);
                let key = v.tag_values.first().cloned().unwrap_or_default();
                let full = variant_type(v);
                let ty = ctx.rust_type(&full);
                let with = with_attr(ctx.codec(&full));
                let doc = format!(" `{{\"{key}\": ...}}`");
                quote! { #[doc = #doc] #[serde(rename = #key)] #vname(#with #ty), }
            });
            let froms = emit_variant_froms(ctx, &name, variants);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, rt::serde::Serialize, rt::serde::Deserialize)]
                #[serde(crate = "rt::serde")]
                pub enum #name {
                    #(#vs)*
                }

                #froms
            }
        }
        TypeKind::Pending => quote!(),
    }
}

/// A newtype: `From` its inner type, parsing from text where the inner type parses, checked
/// construction where `x-cloudgen-validate` names a rule.
fn emit_newtype(
    ctx: Ctx<'_>,
    name: &Ident,
    docs: TokenStream,
    inner: &TypeRef,
    validate: Option<&str>,
    eq_hash: bool,
) -> TokenStream {
    let inner_ty = ctx.rust_type(inner);
    let attr = with_attr(ctx.codec(inner));
    let display = match inner {
        TypeRef::Prim(Prim::DateTime) => Some(quote!(f.write_str(&self.0.to_rfc3339()))),
        TypeRef::Prim(Prim::Base64) => None,
        TypeRef::Prim(Prim::YesNo) => Some(quote!(f.write_str(if self.0 { "yes" } else { "no" }))),
        TypeRef::Prim(_) => Some(quote!(::std::fmt::Display::fmt(&self.0, f))),
        _ => None,
    };
    let eq = if eq_hash { quote!(Eq, Hash,) } else { quote!() };
    let display_impl = display.map(|body| {
        quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    #body
                }
            }
        }
    });
    let from_str = if matches!(inner, TypeRef::Prim(Prim::String)) {
        Some(quote! {
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self(value.to_owned())
                }
            }
        })
    } else {
        None
    };
    // Newtypes of parseable primitives (UUIDs, numbers, dates) parse from text,
    // so an ID can come straight from a command line or a config file.
    let parse = match inner {
        TypeRef::Prim(p) if *p == Prim::String || p.parses_from_text() => {
            let inner_ty = prim_type(*p);
            // Text that may fail to parse converts by `TryFrom`, so that a method taking
            // `impl TryInto<Self>` accepts `"7bece402-..."`; a plain string converts by `From`.
            let try_from = p.parses_from_text().then(|| {
                quote! {
                    impl ::std::convert::TryFrom<&str> for #name {
                        type Error = <#inner_ty as ::std::str::FromStr>::Err;

                        fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
                            value.parse().map(Self)
                        }
                    }

                    impl ::std::convert::TryFrom<::std::string::String> for #name {
                        type Error = <#inner_ty as ::std::str::FromStr>::Err;

                        fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                            value.parse().map(Self)
                        }
                    }
                }
            });
            Some(quote! {
                impl ::std::str::FromStr for #name {
                    type Err = <#inner_ty as ::std::str::FromStr>::Err;

                    fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                        value.parse().map(Self)
                    }
                }

                #try_from
            })
        }
        _ => None,
    };
    let from_str = quote!(#from_str #parse);
    if let Some(rule) = validate {
        return emit_validated_newtype(name, docs, rule, display_impl);
    }
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #eq rt::serde::Serialize, rt::serde::Deserialize)]
        #[serde(crate = "rt::serde")]
        #[serde(transparent)]
        pub struct #name(#attr pub #inner_ty);

        impl ::std::convert::From<#inner_ty> for #name {
            fn from(value: #inner_ty) -> Self {
                Self(value)
            }
        }

        #from_str
        #display_impl
    }
}

/// A string newtype whose values must pass a named rule: the field is private,
/// so the only ways to build one check the rule (values read from the server are
/// taken as sent).
fn emit_validated_newtype(
    name: &Ident,
    docs: TokenStream,
    rule: &str,
    display_impl: Option<TokenStream>,
) -> TokenStream {
    // Lowering accepts only the rules in `lower::schema::KNOWN_RULES`.
    let (check, error, rule_doc) = if rule == "uuid-or-rfc1035-name" {
        (
            quote!(super::rt::validate_uuid_or_rfc1035_name),
            quote!(super::rt::NameError),
            "the rules of a reference: a hyphenated UUID, or a name following the RFC 1035 rules (see `runtime::validate_rfc1035_name`)",
        )
    } else {
        (
            quote!(super::rt::validate_rfc1035_name),
            quote!(super::rt::NameError),
            "the RFC 1035 name rules (see `runtime::validate_rfc1035_name`)",
        )
    };
    let new_doc = format!(
        " Checks `value` against {rule_doc} and wraps it; the error says which rule failed."
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, rt::serde::Serialize, rt::serde::Deserialize)]
        #[serde(crate = "rt::serde")]
        #[serde(transparent)]
        pub struct #name(::std::string::String);

        impl #name {
            #[doc = #new_doc]
            pub fn new(value: impl ::std::convert::Into<::std::string::String>) -> ::std::result::Result<Self, #error> {
                let value = value.into();
                #check(&value)?;
                Ok(Self(value))
            }

            /// The name as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The name as an owned string.
            pub fn into_inner(self) -> ::std::string::String {
                self.0
            }
        }

        impl ::std::convert::TryFrom<&str> for #name {
            type Error = #error;

            fn try_from(value: &str) -> ::std::result::Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl ::std::convert::TryFrom<::std::string::String> for #name {
            type Error = #error;

            fn try_from(value: ::std::string::String) -> ::std::result::Result<Self, Self::Error> {
                Self::new(value)
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = #error;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::new(value)
            }
        }

        #display_impl
    }
}

/// A string enum with an `Unknown(String)` catch-all, read and written as its
/// wire text. `variants` are (Rust name, wire value, doc text).
pub fn emit_string_enum(
    name: &Ident,
    docs: TokenStream,
    variants: &[(String, String, String)],
    rt: &TokenStream,
) -> TokenStream {
    let type_name = name.to_string();
    let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.0)).collect();
    let wires: Vec<&str> = variants.iter().map(|v| v.1.as_str()).collect();
    let vdocs = variants.iter().map(|v| super::docs::lines_to_attrs(&v.2));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #vdocs #idents, )*
            /// A value this client does not know yet, kept as sent.
            Unknown(::std::string::String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#idents => #wires, )*
                    Self::Unknown(other) => other,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                // `pad` honours width and alignment (`{:<12}`), unlike `write_str`.
                f.pad(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#idents, )*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl rt::serde::Serialize for #name {
            fn serialize<S: rt::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: rt::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as rt::serde::Deserialize>::deserialize(deserializer)?;
                let parsed = Self::from(value.as_ref());
                if let Self::Unknown(other) = &parsed {
                    #rt::drift::note_unknown(#type_name, other);
                }
                Ok(parsed)
            }
        }
    }
}

fn union_variants(ctx: Ctx<'_>, variants: &[UnionVariant]) -> Vec<TokenStream> {
    variants
        .iter()
        .map(|v| {
            let vname = ident(&v.rust_name);
            let full = variant_type(v);
            let ty = ctx.rust_type(&full);
            let with = with_attr(ctx.codec(&full));
            // An untagged variant's name already says what it holds.
            let doc = (!v.tag_values.is_empty()).then(|| {
                let doc = format!(
                    " Tag {}.",
                    v.tag_values
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                quote!(#[doc = #doc])
            });
            quote! { #doc #vname(#with #ty), }
        })
        .collect()
}

fn emit_struct(
    ctx: Ctx<'_>,
    name: &Ident,
    docs: TokenStream,
    fields: &[Field],
    additional: Option<(&TypeRef, &str)>,
    derives_default: bool,
) -> TokenStream {
    let mut out: Vec<TokenStream> = fields.iter().map(|f| emit_field(ctx, f)).collect();
    if let Some((extra, field_name)) = additional {
        let fname = ident(field_name);
        let ty = ctx.rust_type(extra);
        out.push(quote! {
            /// Properties beyond the ones named above, kept as sent.
            #[serde(flatten)]
            pub #fname: ::std::collections::BTreeMap<::std::string::String, #ty>,
        });
    }
    let default = if derives_default {
        quote!(Default,)
    } else {
        quote!()
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default rt::serde::Serialize, rt::serde::Deserialize)]
        #[serde(crate = "rt::serde")]
        pub struct #name {
            #(#out)*
        }
    }
}

/// The Rust type of a reference as users write it, from the types module (`Option<Vec<Server>>`,
/// `chrono::DateTime<chrono::FixedOffset>`): what the API summary records.
pub fn rust_type_text(api: &Api, t: &TypeRef) -> String {
    let ctx = Ctx {
        api,
        in_types: true,
    };
    let text: String = ctx
        .rust_type(t)
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut text = text.replace("super::rt::", "rt::").replace(',', ", ");
    for prelude in [
        "::std::string::",
        "::std::vec::",
        "::std::option::",
        "::std::boxed::",
        "::std::collections::",
    ] {
        text = text.replace(prelude, "");
    }
    text.replace("<::", "<")
        .trim_start_matches("::")
        .replace(", ::", ", ")
}

/// `From` each payload type for a union, when no two variants share one (a boxed payload is
/// boxed by the conversion).
fn emit_variant_froms(ctx: Ctx<'_>, name: &Ident, variants: &[UnionVariant]) -> TokenStream {
    let types: Vec<String> = variants
        .iter()
        .map(|v| ctx.rust_type(&v.ty).to_string())
        .collect();
    let distinct = types
        .iter()
        .enumerate()
        .all(|(i, t)| !types[..i].contains(t));
    if !distinct {
        return TokenStream::new();
    }
    variants
        .iter()
        .map(|v| {
            let vname = ident(&v.rust_name);
            let ty = ctx.rust_type(&v.ty);
            let value = if v.boxed {
                quote!(::std::boxed::Box::new(value))
            } else {
                quote!(value)
            };
            quote! {
                impl ::std::convert::From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#vname(#value)
                    }
                }
            }
        })
        .collect()
}

/// The value of a required field whose schema allows exactly one value (an `action` or
/// `type` that names a union's case): constructors fill it in.
fn fixed_value(ctx: Ctx<'_>, f: &Field) -> Option<TokenStream> {
    if f.boxed {
        return None;
    }
    let (t, v) = single_value(ctx, f)?;
    Some(quote!(#t::#v))
}

/// The enum type and its only variant, for a required, non-nullable field whose type is a
/// string enum of a single value.
pub(super) fn single_value(ctx: Ctx<'_>, f: &Field) -> Option<(Ident, Ident)> {
    let (def, variant) = f.fixed_value(&ctx.api.types)?;
    Some((ident(&def.name), ident(&variant.rust_name)))
}

/// For a struct that requests send: `new` taking the fields without a natural empty value
/// (required ones; a field with a single allowed value is filled in), when there are any
/// (otherwise the struct derives `Default`), and a chainable `with_<field>` setter for every
/// other field. One rule for every body type: `Type::new(required..).with_x(..)`.
fn emit_constructors(
    ctx: Ctx<'_>,
    name: &Ident,
    fields: &[Field],
    additional_field: Option<&str>,
) -> TokenStream {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for f in fields {
        let fname = ident(&f.rust_name);
        let bare = f.rust_name.trim_start_matches("r#");
        let full = f.full_type();
        if let Some(value) = fixed_value(ctx, f) {
            inits.push(quote!(#fname: #value));
            continue;
        }
        if f.is_constructor_arg(&ctx.api.types) {
            let ty = ctx.rust_type(&full);
            args.push(quote!(#fname: impl ::std::convert::Into<#ty>));
            inits.push(quote!(#fname: #fname.into()));
            continue;
        }
        inits.push(quote!(#fname: ::std::default::Default::default()));
        let setter = format_ident!("with_{}", bare);
        let doc = format!(" Sets `{}`.", f.wire_name);
        let (param, value) = match &full {
            TypeRef::Option(inner) | TypeRef::EmptyAsNone(inner) => {
                let inner = ctx.rust_type(inner);
                (
                    quote!(#inner),
                    quote!(::std::option::Option::Some(value.into())),
                )
            }
            _ => {
                let ty = ctx.rust_type(&full);
                (quote!(#ty), quote!(value.into()))
            }
        };
        setters.push(quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: impl ::std::convert::Into<#param>) -> Self {
                self.#fname = #value;
                self
            }
        });
    }
    let new = (!args.is_empty()).then(|| {
        if let Some(extra) = additional_field {
            let extra = ident(extra);
            inits.push(quote!(#extra: ::std::default::Default::default()));
        }
        let doc = super::docs::lines_to_attrs(
            "Makes the value from its required fields; the others start empty and are set with\nthe `with_` methods.",
        );
        let too_many = (args.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        quote! {
            #doc
            #too_many
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* }
            }
        }
    });
    if new.is_none() && setters.is_empty() {
        return TokenStream::new();
    }
    quote! {
        impl #name {
            #new
            #(#setters)*
        }
    }
}

fn emit_field(ctx: Ctx<'_>, f: &Field) -> TokenStream {
    let fname = ident(&f.rust_name);
    let docs = item_docs(&f.doc);
    let full = f.full_type();
    let ty = ctx.rust_type(&full);
    if f.flatten {
        return quote! {
            #docs
            #[serde(flatten)]
            pub #fname: #ty,
        };
    }
    let mut serde_args: Vec<TokenStream> = Vec::new();
    let bare = f.rust_name.trim_start_matches("r#");
    if bare != f.wire_name {
        let wire = &f.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    let codec = ctx.codec(&full);
    let has_codec = codec.is_some();
    if let Some(c) = codec {
        let path = format!("codec::As::<{c}>");
        serde_args.push(quote!(with = #path));
    }
    match f.presence {
        Presence::Optional => {
            serde_args.push(quote!(default));
            serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
        }
        Presence::Tristate => {
            serde_args.push(quote!(default));
            serde_args.push(quote!(
                skip_serializing_if = "super::rt::Nullable::is_absent"
            ));
        }
        // Serde reads a missing `Option` field as `None` by itself, but not through `with`.
        Presence::Required if has_codec && full.is_optional() => {
            serde_args.push(quote!(default));
        }
        Presence::Required => {}
    }
    let attr = if serde_args.is_empty() {
        quote!()
    } else {
        quote!(#[serde(#(#serde_args),*)])
    };
    quote! {
        #docs
        #attr
        pub #fname: #ty,
    }
}
