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
            TypeKind::Newtype { inner } => hashable(api, inner, depth + 1),
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
    let mut wrapped_keys: Vec<(String, bool, bool)> = Vec::new();
    for t in &api.types {
        items.push(emit_type(ctx, t, &mut wrapped_keys));
    }
    for (key, plain, option) in &wrapped_keys {
        items.push(wrapped_module(key, *plain, *option));
    }
    quote! { #(#items)* }
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

fn emit_type(ctx: Ctx<'_>, t: &TypeDef, wrapped: &mut Vec<(String, bool, bool)>) -> TokenStream {
    let name = ident(&t.name);
    let docs = doc_attrs(&t.doc, &format!("The `{}` schema.", t.name));
    match &t.kind {
        TypeKind::Struct { fields, additional } => {
            emit_struct(ctx, &name, docs, fields, additional.as_ref(), wrapped)
        }
        TypeKind::StringEnum { variants } => {
            let idents: Vec<Ident> = variants.iter().map(|v| ident(&v.rust_name)).collect();
            let wires: Vec<&str> = variants.iter().map(|v| v.wire.as_str()).collect();
            let vdocs = wires.iter().map(|w| format!(" `{w}`"));
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #( #[doc = #vdocs] #idents, )*
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
                        f.write_str(self.as_str())
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
        TypeKind::Newtype { inner } => {
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
            let target = ctx.rust_type(target, false);
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
        TypeKind::Pending => quote!(),
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
    wrapped: &mut Vec<(String, bool, bool)>,
) -> TokenStream {
    let mut all_optional = true;
    let mut out = Vec::new();
    let mut names: Vec<String> = fields.iter().map(|f| f.rust_name.clone()).collect();
    for f in fields {
        let optional = !f.required || f.nullable;
        if !optional || f.flatten {
            all_optional = false;
        }
        out.push(emit_field(ctx, f, wrapped));
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

fn emit_field(ctx: Ctx<'_>, f: &Field, wrapped: &mut Vec<(String, bool, bool)>) -> TokenStream {
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
            match wrapped.iter_mut().find(|(k, ..)| k == key) {
                Some(entry) => {
                    if optional {
                        entry.2 = true;
                    } else {
                        entry.1 = true;
                    }
                }
                None => wrapped.push((key.clone(), !optional, optional)),
            }
            let m = wrapped_mod_name(key).to_string();
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
