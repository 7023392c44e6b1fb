//! Models: one Rust item per named type.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use crate::ir::{Api, Field, Prim, TypeDef, TypeKind, TypeRef, UnionVariant};

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

    /// The Rust type of a reference; `direct` when it is a field's own type (codecs apply).
    pub fn rust_type(&self, t: &TypeRef, direct: bool) -> TokenStream {
        match t {
            TypeRef::Named(id) => self.named(*id),
            TypeRef::Prim(p) => prim_type(*p, direct),
            TypeRef::Vec(inner) => {
                let inner = self.rust_type(inner, false);
                quote!(::std::vec::Vec<#inner>)
            }
            TypeRef::Map(inner) => {
                let inner = self.rust_type(inner, false);
                quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
            }
            TypeRef::Option(inner) => {
                let inner = self.rust_type(inner, false);
                quote!(::std::option::Option<#inner>)
            }
            TypeRef::WrappedList { item, .. } => {
                if direct {
                    let inner = self.rust_type(item, false);
                    quote!(::std::vec::Vec<#inner>)
                } else {
                    quote!(::serde_json::Value)
                }
            }
            TypeRef::FormattedDateTime(_) => {
                if direct {
                    quote!(::chrono::NaiveDateTime)
                } else {
                    quote!(::std::string::String)
                }
            }
            TypeRef::Value => quote!(::serde_json::Value),
            TypeRef::Unit => quote!(()),
        }
    }
}

/// The Rust type of a primitive. Codec primitives take their Rust form only
/// where a `serde(with)` attribute can carry the codec (`direct`).
pub fn prim_type(p: Prim, direct: bool) -> TokenStream {
    match p {
        Prim::String => quote!(::std::string::String),
        Prim::Bool => quote!(bool),
        Prim::I32 => quote!(i32),
        Prim::I64 => quote!(i64),
        Prim::F32 => quote!(f32),
        Prim::F64 => quote!(f64),
        Prim::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        Prim::Date => quote!(::chrono::NaiveDate),
        Prim::Uuid => quote!(::uuid::Uuid),
        Prim::Binary => quote!(::std::string::String),
        Prim::Base64 if direct => quote!(::std::vec::Vec<u8>),
        Prim::YesNo if direct => quote!(bool),
        Prim::StringI64 if direct => quote!(i64),
        Prim::StringF64 if direct => quote!(f64),
        Prim::Base64 | Prim::YesNo | Prim::StringI64 | Prim::StringF64 => {
            quote!(::std::string::String)
        }
    }
}

/// The codec module for a primitive that needs one.
fn codec(p: Prim) -> Option<&'static str> {
    match p {
        Prim::YesNo => Some("yes_no"),
        Prim::StringI64 => Some("string_i64"),
        Prim::StringF64 => Some("string_f64"),
        Prim::Base64 => Some("base64_bytes"),
        _ => None,
    }
}

/// Whether values of this type can derive `Eq` and `Hash`.
fn hashable(api: &Api, t: &TypeRef, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match t {
        TypeRef::Prim(Prim::F32 | Prim::F64 | Prim::StringF64) => false,
        TypeRef::Prim(_) | TypeRef::Unit => true,
        TypeRef::Vec(i) | TypeRef::Option(i) => hashable(api, i, depth + 1),
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Newtype { inner, .. } => hashable(api, inner, depth + 1),
            TypeKind::StringEnum { .. } => true,
            _ => false,
        },
        _ => false,
    }
}

/// True when the type has a `Display` impl that is the wire text.
pub fn displayable(api: &Api, t: &TypeRef) -> bool {
    match t {
        TypeRef::Prim(p) => !matches!(p, Prim::Base64 | Prim::DateTime),
        TypeRef::Named(id) => match &api.types[id.0].kind {
            TypeKind::Newtype { .. } | TypeKind::StringEnum { .. } => true,
            TypeKind::Alias { target } => displayable(api, target),
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
    let mut items = Vec::new();
    let mut helpers = Helpers::default();
    for t in &api.types {
        items.push(emit_type(ctx, t, &mut helpers));
    }
    for (key, plain, option) in &helpers.wrapped {
        items.push(wrapped_module(key, *plain, *option));
    }
    for (i, (format, plain, option)) in helpers.datetime_formats.iter().enumerate() {
        items.push(datetime_module(i, format, *plain, *option));
    }
    quote! { #(#items)* }
}

/// The private serde helper modules a types module needs, with which forms
/// (plain, `Option`) are used, so none is emitted unused.
#[derive(Default)]
pub struct Helpers {
    wrapped: Vec<(String, bool, bool)>,
    datetime_formats: Vec<(String, bool, bool)>,
}

fn note_use(list: &mut Vec<(String, bool, bool)>, key: &str, optional: bool) -> usize {
    match list.iter().position(|(k, ..)| k == key) {
        Some(i) => {
            if optional {
                list[i].2 = true;
            } else {
                list[i].1 = true;
            }
            i
        }
        None => {
            list.push((key.to_string(), !optional, optional));
            list.len() - 1
        }
    }
}

fn datetime_module(index: usize, format: &str, plain: bool, option: bool) -> TokenStream {
    let name = format_ident!("datetime_format_{}", index + 1);
    let doc = format!(" Date-times written as `{format}` (`x-cloudgen-datetime-format`).");
    let plain_fns = plain.then(|| {
        quote! {
            pub(super) fn serialize<S: serde::Serializer>(value: &chrono::NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
                s.collect_str(&value.format(FORMAT))
            }

            pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<chrono::NaiveDateTime, D::Error> {
                let text = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(d)?;
                chrono::NaiveDateTime::parse_from_str(&text, FORMAT).map_err(serde::de::Error::custom)
            }
        }
    });
    let option_mod = option.then(|| {
        quote! {
            pub(super) mod option {
                use super::FORMAT;

                pub(in super::super) fn serialize<S: serde::Serializer>(value: &Option<chrono::NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
                    match value {
                        Some(v) => s.collect_str(&v.format(FORMAT)),
                        None => s.serialize_none(),
                    }
                }

                pub(in super::super) fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<chrono::NaiveDateTime>, D::Error> {
                    let text = <Option<std::borrow::Cow<'de, str>> as serde::Deserialize>::deserialize(d)?;
                    match text.as_deref() {
                        None | Some("") => Ok(None),
                        Some(t) => chrono::NaiveDateTime::parse_from_str(t, FORMAT).map(Some).map_err(serde::de::Error::custom),
                    }
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        mod #name {
            const FORMAT: &str = #format;

            #plain_fns
            #option_mod
        }
    }
}

fn wrapped_mod_name(key: &str) -> Ident {
    format_ident!("wrapped_{}", crate::naming::snake_ident(key, "list"))
}

fn wrapped_module(key: &str, plain: bool, option: bool) -> TokenStream {
    let name = wrapped_mod_name(key);
    let doc =
        format!(" The wire form `{{\"{key}\": [...]}}` of a list (`x-cloudgen-wrapped-list`).");
    let vis = if plain { quote!(pub(super)) } else { quote!() };
    let uses = if plain {
        quote!(
            use serde::{Deserialize, Deserializer, Serialize, Serializer};
        )
    } else {
        quote!(
            use serde::{Deserialize, Serialize, Serializer};
        )
    };
    let plain_fns = quote! {
        #vis fn serialize<S: Serializer, T: Serialize>(items: &[T], s: S) -> Result<S::Ok, S::Error> {
            Out { items }.serialize(s)
        }
    };
    let plain_fns = if plain {
        quote! {
            #plain_fns

            pub(super) fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
                In::deserialize(d).map(|w| w.items)
            }
        }
    } else {
        plain_fns
    };
    let option_mod = if option {
        quote! {
            pub(super) mod option {
                use serde::{Deserialize, Deserializer, Serialize, Serializer};

                pub(in super::super) fn serialize<S: Serializer, T: Serialize>(items: &Option<Vec<T>>, s: S) -> Result<S::Ok, S::Error> {
                    match items {
                        Some(items) => super::serialize(items, s),
                        None => s.serialize_none(),
                    }
                }

                pub(in super::super) fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<Vec<T>>, D::Error> {
                    Option::<super::In<T>>::deserialize(d).map(|w| w.map(|w| w.items))
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        #[doc = #doc]
        mod #name {
            #uses

            #[derive(Serialize)]
            struct Out<'a, T> {
                #[serde(rename = #key)]
                items: &'a [T],
            }

            #[derive(Deserialize)]
            struct In<T> {
                #[serde(rename = #key, default = "Vec::new")]
                items: Vec<T>,
            }

            #plain_fns
            #option_mod
        }
    }
}

fn emit_type(ctx: Ctx<'_>, t: &TypeDef, helpers: &mut Helpers) -> TokenStream {
    let name = ident(&t.name);
    let docs = doc_attrs(&t.doc, &format!("The `{}` schema.", t.name));
    match &t.kind {
        TypeKind::Struct { fields, additional } => {
            emit_struct(ctx, &name, docs, fields, additional.as_ref(), helpers)
        }
        TypeKind::StringEnum { variants } => {
            let vs: Vec<(String, String, String)> = variants
                .iter()
                .map(|v| (v.rust_name.clone(), v.wire.clone(), format!("`{}`", v.wire)))
                .collect();
            emit_string_enum(&name, docs, &vs)
        }
        TypeKind::Newtype { inner, validate } => {
            let (inner_ty, attr, display) = match inner {
                TypeRef::Prim(p) => {
                    let attr = codec(*p).map(|c| {
                        let path = format!("super::rt::codec::{c}");
                        quote!(#[serde(with = #path)])
                    });
                    let display = match p {
                        Prim::DateTime => Some(quote!(f.write_str(&self.0.to_rfc3339()))),
                        Prim::Base64 => None,
                        Prim::YesNo => Some(quote!(f.write_str(if self.0 { "yes" } else { "no" }))),
                        _ => Some(quote!(::std::fmt::Display::fmt(&self.0, f))),
                    };
                    (prim_type(*p, true), attr, display)
                }
                other => (ctx.rust_type(other, false), None, None),
            };
            let eq = if hashable(ctx.api, inner, 0) {
                quote!(Eq, Hash,)
            } else {
                quote!()
            };
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
                TypeRef::Prim(
                    p @ (Prim::String
                    | Prim::Uuid
                    | Prim::I32
                    | Prim::I64
                    | Prim::F32
                    | Prim::F64
                    | Prim::Bool
                    | Prim::Date
                    | Prim::DateTime),
                ) => {
                    let inner_ty = prim_type(*p, true);
                    Some(quote! {
                        impl ::std::str::FromStr for #name {
                            type Err = <#inner_ty as ::std::str::FromStr>::Err;

                            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                                value.parse().map(Self)
                            }
                        }
                    })
                }
                _ => None,
            };
            let from_str = quote!(#from_str #parse);
            if let Some(rule) = validate {
                return emit_validated_newtype(&name, docs, rule, display_impl);
            }
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, #eq ::serde::Serialize, ::serde::Deserialize)]
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
        TypeKind::Alias { target } => {
            // A wrapped list's alias names the list; fields using it carry the codec.
            let direct = matches!(target, TypeRef::WrappedList { .. });
            let target = ctx.rust_type(target, direct);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
        TypeKind::Untagged { variants } => {
            let vs = union_variants(ctx, variants);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(untagged)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#vs)*
                }
            }
        }
        TypeKind::Tagged { tag, variants } => {
            let vs = union_variants(ctx, variants);
            let arms = variants.iter().map(|v| {
                let vname = ident(&v.rust_name);
                let values = &v.tag_values;
                let convert = if v.boxed {
                    quote!(.map(|v| Self::#vname(::std::boxed::Box::new(v))))
                } else {
                    quote!(.map(Self::#vname))
                };
                quote! {
                    #( Some(#values) )|* => ::serde_json::from_value(value)#convert.map_err(::serde::de::Error::custom),
                }
            });
            let unknown_doc =
                format!(" A `{tag}` value this client does not know yet, kept as sent.");
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
                #[serde(untagged)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#vs)*
                    #[doc = #unknown_doc]
                    Unknown(::serde_json::Value),
                }

                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                        let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                        let tag = value.get(#tag).and_then(::serde_json::Value::as_str).map(::std::borrow::ToOwned::to_owned);
                        match tag.as_deref() {
                            #(#arms)*
                            _ => Ok(Self::Unknown(value)),
                        }
                    }
                }
            }
        }
        TypeKind::SingleKey { variants } => {
            let vs = variants.iter().map(|v| {
                let vname = ident(&v.rust_name);
                let key = v.tag_values.first().cloned().unwrap_or_default();
                let ty = ctx.rust_type(&v.ty, false);
                let ty = if v.boxed {
                    quote!(::std::boxed::Box<#ty>)
                } else {
                    ty
                };
                let doc = format!(" `{{\"{key}\": ...}}`");
                quote! { #[doc = #doc] #[serde(rename = #key)] #vname(#ty), }
            });
            // `From` for each payload type, when no two variants share one.
            let types: Vec<String> = variants
                .iter()
                .map(|v| ctx.rust_type(&v.ty, false).to_string())
                .collect();
            let distinct = types
                .iter()
                .enumerate()
                .all(|(i, t)| !types[..i].contains(t));
            let froms = variants.iter().filter(|v| distinct && !v.boxed).map(|v| {
                let vname = ident(&v.rust_name);
                let ty = ctx.rust_type(&v.ty, false);
                quote! {
                    impl ::std::convert::From<#ty> for #name {
                        fn from(value: #ty) -> Self {
                            Self::#vname(value)
                        }
                    }
                }
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
                pub enum #name {
                    #(#vs)*
                }

                #(#froms)*
            }
        }
        TypeKind::Pending => quote!(),
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
        #[derive(Debug, Clone, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
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
) -> TokenStream {
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

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}

fn union_variants(ctx: Ctx<'_>, variants: &[UnionVariant]) -> Vec<TokenStream> {
    variants
        .iter()
        .map(|v| {
            let vname = ident(&v.rust_name);
            let ty = ctx.rust_type(&v.ty, false);
            let ty = if v.boxed {
                quote!(::std::boxed::Box<#ty>)
            } else {
                ty
            };
            let doc = if v.tag_values.is_empty() {
                format!(" The `{}` form.", v.rust_name)
            } else {
                format!(
                    " Tag {}.",
                    v.tag_values
                        .iter()
                        .map(|t| format!("`{t}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            quote! { #[doc = #doc] #vname(#ty), }
        })
        .collect()
}

fn emit_struct(
    ctx: Ctx<'_>,
    name: &Ident,
    docs: TokenStream,
    fields: &[Field],
    additional: Option<&TypeRef>,
    helpers: &mut Helpers,
) -> TokenStream {
    let mut all_optional = true;
    let mut out = Vec::new();
    let mut names: Vec<String> = fields.iter().map(|f| f.rust_name.clone()).collect();
    for f in fields {
        let optional = !f.required || f.nullable;
        if !optional || f.flatten {
            all_optional = false;
        }
        out.push(emit_field(ctx, f, helpers));
    }
    if let Some(extra) = additional {
        let mut field_name = "additional_properties".to_string();
        while names.contains(&field_name) {
            field_name.push('_');
        }
        names.push(field_name.clone());
        let fname = ident(&field_name);
        let ty = ctx.rust_type(extra, false);
        out.push(quote! {
            /// Properties beyond the ones named above, kept as sent.
            #[serde(flatten)]
            pub #fname: ::std::collections::BTreeMap<::std::string::String, #ty>,
        });
    }
    let default = if all_optional {
        quote!(Default,)
    } else {
        quote!()
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::serde::Serialize, ::serde::Deserialize)]
        pub struct #name {
            #(#out)*
        }
    }
}

fn emit_field(ctx: Ctx<'_>, f: &Field, helpers: &mut Helpers) -> TokenStream {
    let fname = ident(&f.rust_name);
    let docs = doc_attrs(&f.doc, &format!("The `{}` property.", f.wire_name));
    if f.flatten {
        let ty = ctx.rust_type(&f.ty, false);
        return quote! {
            #docs
            #[serde(flatten)]
            pub #fname: #ty,
        };
    }
    let optional = !f.required || f.nullable;
    let mut serde_args: Vec<TokenStream> = Vec::new();
    let bare = f.rust_name.trim_start_matches("r#");
    if bare != f.wire_name {
        let wire = &f.wire_name;
        serde_args.push(quote!(rename = #wire));
    }
    let (base, with): (TokenStream, Option<String>) = match &f.ty {
        TypeRef::Prim(p) if codec(*p).is_some() => {
            let c = codec(*p).unwrap_or_default();
            let path = if optional {
                format!("super::rt::codec::{c}_opt")
            } else {
                format!("super::rt::codec::{c}")
            };
            (prim_type(*p, true), Some(path))
        }
        TypeRef::WrappedList { key, .. } => {
            note_use(&mut helpers.wrapped, key, optional);
            let m = wrapped_mod_name(key).to_string();
            let path = if optional { format!("{m}::option") } else { m };
            (ctx.rust_type(&f.ty, true), Some(path))
        }
        TypeRef::FormattedDateTime(format) => {
            let i = note_use(&mut helpers.datetime_formats, format, optional);
            let m = format!("datetime_format_{}", i + 1);
            let path = if optional { format!("{m}::option") } else { m };
            (ctx.rust_type(&f.ty, true), Some(path))
        }
        other => (ctx.rust_type(other, false), None),
    };
    let base = if f.boxed {
        quote!(::std::boxed::Box<#base>)
    } else {
        base
    };
    if let Some(path) = with {
        serde_args.push(quote!(with = #path));
    }
    let ty = if optional {
        if !f.required {
            serde_args.push(quote!(default));
            serde_args.push(quote!(skip_serializing_if = "Option::is_none"));
        } else if serde_args.iter().any(|a| a.to_string().starts_with("with")) {
            serde_args.push(quote!(default));
        }
        quote!(::std::option::Option<#base>)
    } else {
        base
    };
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
