//! Wire codecs: how a value that a provider writes in its own way travels, as types that compose.
//!
//! A codec is a type `C` implementing [`Codec<T>`]: it writes and reads a `T` in one wire form.
//! A field uses one through [`As`]:
//!
//! ```
//! use cloudgen_runtime::codec;
//! use cloudgen_runtime::serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! # #[serde(crate = "cloudgen_runtime::serde")]
//! struct Settings {
//!     #[serde(with = "codec::As::<Option<Vec<codec::YesNo>>>")]
//!     flags: Option<Vec<bool>>,
//! }
//! # let settings = Settings { flags: Some(vec![true, false]) };
//! # assert_eq!(cloudgen_runtime::serde_json::to_string(&settings).unwrap(), r#"{"flags":["yes","no"]}"#);
//! ```
//!
//! The codec mirrors the field's type, with the quirky leaves replaced: `Option<C>`, `Vec<C>`,
//! `Box<C>`, `BTreeMap<String, C>` and [`Nullable<C>`](super::Nullable) are codecs
//! of the matching containers whenever `C` is a codec of their items, and [`Same`] is the
//! codec of a value that travels as its own `Serialize`/`Deserialize` say. So a yes/no flag
//! works in a field, an `Option`, a list, a map value, a union variant or a wrapped list alike,
//! and users see plain Rust values (`bool`, `i64`, `Vec<T>`, `chrono` types) everywhere.
//!
//! Every codec writes the provider's form and reads it leniently (`"yes"` and `true`, a number
//! or a string holding one).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

pub use super::nullable::Nullable;

/// Writes and reads a `T` in one wire form.
pub trait Codec<T> {
    /// Writes `value` in this codec's form.
    fn encode<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>;

    /// Reads a value in this codec's form.
    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
}

/// The bridge from a codec to serde's `with` attribute: `#[serde(with = "codec::As::<C>")]`.
pub struct As<C>(PhantomData<C>);

impl<C> As<C> {
    /// Writes `value` through the codec `C`.
    pub fn serialize<T, S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
    where
        C: Codec<T>,
    {
        C::encode(value, serializer)
    }

    /// Reads a value through the codec `C`.
    pub fn deserialize<'de, T, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>
    where
        C: Codec<T>,
    {
        C::decode(deserializer)
    }
}

/// A value borrowed for writing through the codec `C`; implements `Serialize`.
pub struct Encode<'a, C, T>(&'a T, PhantomData<C>);

impl<'a, C: Codec<T>, T> Encode<'a, C, T> {
    /// Wraps `value`.
    pub fn new(value: &'a T) -> Self {
        Encode(value, PhantomData)
    }
}

impl<C: Codec<T>, T> Serialize for Encode<'_, C, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        C::encode(self.0, serializer)
    }
}

/// A value read (and written) through the codec `C`; implements `Deserialize` and
/// `Serialize`. For bodies and responses whose top-level value needs a codec.
pub struct Decode<C, T>(T, PhantomData<C>);

impl<C, T> Decode<C, T> {
    /// The value read.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<C: Codec<T>, T> Serialize for Decode<C, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        C::encode(&self.0, serializer)
    }
}

impl<'de, C: Codec<T>, T> Deserialize<'de> for Decode<C, T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        C::decode(deserializer).map(|v| Decode(v, PhantomData))
    }
}

/// The codec of a value that travels as its own `Serialize`/`Deserialize` say.
pub struct Same;

impl<T: Serialize + DeserializeOwned> Codec<T> for Same {
    fn encode<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        value.serialize(serializer)
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

impl<T, C: Codec<T>> Codec<Option<T>> for Option<C> {
    fn encode<S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => serializer.serialize_some(&Encode::<C, T>::new(v)),
            None => serializer.serialize_none(),
        }
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        Option::<Decode<C, T>>::deserialize(deserializer).map(|v| v.map(Decode::into_inner))
    }
}

impl<T, C: Codec<T>> Codec<Vec<T>> for Vec<C> {
    fn encode<S: Serializer>(value: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(value.iter().map(Encode::<C, T>::new))
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        Vec::<Decode<C, T>>::deserialize(deserializer)
            .map(|v| v.into_iter().map(Decode::into_inner).collect())
    }
}

impl<T, C: Codec<T>> Codec<Box<T>> for Box<C> {
    fn encode<S: Serializer>(value: &Box<T>, serializer: S) -> Result<S::Ok, S::Error> {
        C::encode(value, serializer)
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Box<T>, D::Error> {
        C::decode(deserializer).map(Box::new)
    }
}

impl<T, C: Codec<T>> Codec<BTreeMap<String, T>> for BTreeMap<String, C> {
    fn encode<S: Serializer>(
        value: &BTreeMap<String, T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(value.iter().map(|(k, v)| (k, Encode::<C, T>::new(v))))
    }

    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<BTreeMap<String, T>, D::Error> {
        BTreeMap::<String, Decode<C, T>>::deserialize(deserializer)
            .map(|m| m.into_iter().map(|(k, v)| (k, v.into_inner())).collect())
    }
}

impl<T, C: Codec<T>> Codec<Nullable<T>> for Nullable<C> {
    fn encode<S: Serializer>(value: &Nullable<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Nullable::Value(v) => serializer.serialize_some(&Encode::<C, T>::new(v)),
            Nullable::Null | Nullable::Absent => serializer.serialize_none(),
        }
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Nullable<T>, D::Error> {
        Option::<Decode<C, T>>::deserialize(deserializer).map(|v| match v {
            Some(v) => Nullable::Value(v.into_inner()),
            None => Nullable::Null,
        })
    }
}

/// `bool` as `"yes"`/`"no"`; also reads `true`/`false` (as JSON booleans or strings) and
/// `"1"`/`"0"`.
pub struct YesNo;

impl Codec<bool> for YesNo {
    fn encode<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if *value { "yes" } else { "no" })
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(BoolVisitor("\"yes\" or \"no\""))
    }
}

/// `bool` as the strings `"true"`/`"false"`; also reads JSON booleans, `"yes"`/`"no"` and
/// `"1"`/`"0"`.
pub struct BoolString;

impl Codec<bool> for BoolString {
    fn encode<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if *value { "true" } else { "false" })
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(BoolVisitor("\"true\" or \"false\""))
    }
}

/// A number as a decimal string (`"123"`, `"1.5"`); also reads a JSON number.
pub struct StringNumber;

impl Codec<i64> for StringNumber {
    fn encode<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_any(I64Visitor)
    }
}

impl Codec<f64> for StringNumber {
    fn encode<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(F64Visitor)
    }
}

/// `Vec<u8>` as standard base64 (OpenAPI `format: byte`); reads padded or unpadded, standard or
/// URL-safe alphabet.
pub struct Base64;

impl Codec<Vec<u8>> for Base64 {
    fn encode<S: Serializer>(value: &Vec<u8>, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(value))
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        deserializer.deserialize_str(Base64Visitor)
    }
}

/// The property of a one-property wrapper object: the one that holds a wrapped list (see
/// [`Wrapped`]) or a value (see [`Within`]).
pub trait Key {
    /// The property name.
    const KEY: &'static str;
}

/// A list wrapped in a one-property object, `{"<K::KEY>": [...]}`, read and written as a
/// `Vec`; `C` is the codec of the items. `{}` reads as an empty list.
pub struct Wrapped<K, C = Same>(PhantomData<(K, C)>);

impl<T, K: Key, C: Codec<T>> Codec<Vec<T>> for Wrapped<K, C> {
    fn encode<S: Serializer>(value: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(K::KEY, &Encode::<Vec<C>, Vec<T>>::new(value))?;
        map.end()
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_map(WrappedVisitor::<K, C, T>(PhantomData))
    }
}

struct WrappedVisitor<K, C, T>(PhantomData<(K, C, T)>);

impl<'de, K: Key, C: Codec<T>, T> Visitor<'de> for WrappedVisitor<K, C, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object holding the list `{}`", K::KEY)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let mut items = None;
        let mut other = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == K::KEY && items.is_none() {
                items = Some(map.next_value::<Decode<Vec<C>, Vec<T>>>()?.into_inner());
            } else {
                other.get_or_insert_with(|| key.into_owned());
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        match (items, other) {
            (Some(items), _) => Ok(items),
            // `{}` is an empty list; an object of other members is not this list at all (so
            // that an untagged union can try its next variant).
            (None, None) => Ok(Vec::new()),
            (None, Some(other)) => Err(de::Error::custom(format_args!(
                "expected the list `{}`, found `{other}`",
                K::KEY
            ))),
        }
    }
}

/// A value inside a one-property object, `{"<K::KEY>": value}`, read and written as the value;
/// `C` is the value's codec. Request bodies that a provider wraps (`{"server": {...}}`) travel
/// through it, so that a method takes the inner value. Reading ignores other properties (a
/// drift check still sees them) and fails when `K::KEY` is missing.
pub struct Within<K, C = Same>(PhantomData<(K, C)>);

impl<T, K: Key, C: Codec<T>> Codec<T> for Within<K, C> {
    fn encode<S: Serializer>(value: &T, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(K::KEY, &Encode::<C, T>::new(value))?;
        map.end()
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_map(WithinVisitor::<K, C, T>(PhantomData))
    }
}

struct WithinVisitor<K, C, T>(PhantomData<(K, C, T)>);

impl<'de, K: Key, C: Codec<T>, T> Visitor<'de> for WithinVisitor<K, C, T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object holding `{}`", K::KEY)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == K::KEY && value.is_none() {
                value = Some(map.next_value::<Decode<C, T>>()?.into_inner());
            } else {
                map.next_value::<de::IgnoredAny>()?;
            }
        }
        value.ok_or_else(|| de::Error::missing_field(K::KEY))
    }
}

/// The `strftime` pattern of a [`Formatted`] date-time.
pub trait DateTimeFormat {
    /// The pattern, e.g. `%Y-%m-%d %H:%M:%S`.
    const FORMAT: &'static str;
}

/// A date-time without an offset, written in the pattern `F::FORMAT`.
pub struct Formatted<F>(PhantomData<F>);

impl<F: DateTimeFormat> Codec<chrono::NaiveDateTime> for Formatted<F> {
    fn encode<S: Serializer>(
        value: &chrono::NaiveDateTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&value.format(F::FORMAT))
    }

    fn decode<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<chrono::NaiveDateTime, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        chrono::NaiveDateTime::parse_from_str(text.trim(), F::FORMAT).map_err(|e| {
            de::Error::custom(format_args!(
                "`{text}` is not a date-time like `{}`: {e}",
                F::FORMAT
            ))
        })
    }
}

/// An optional value that the provider writes as `""` when it has none: `""` and `null` read
/// as `None`; anything else goes through `C`. `None` is written as `null`.
pub struct EmptyAsNone<C = Same>(PhantomData<C>);

impl<T, C: Codec<T>> Codec<Option<T>> for EmptyAsNone<C> {
    fn encode<S: Serializer>(value: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        <Option<C> as Codec<Option<T>>>::encode(value, serializer)
    }

    fn decode<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        deserializer.deserialize_any(EmptyAsNoneVisitor::<C, T>(PhantomData))
    }
}

struct EmptyAsNoneVisitor<C, T>(PhantomData<(C, T)>);

impl<C: Codec<T>, T> EmptyAsNoneVisitor<C, T> {
    fn inner<'de, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
        C::decode(d).map(Some)
    }
}

impl<'de, C: Codec<T>, T> Visitor<'de> for EmptyAsNoneVisitor<C, T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value, \"\" or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(None);
        }
        Self::inner(v.into_deserializer())
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(None);
        }
        Self::inner(de::value::BorrowedStrDeserializer::new(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        if v.is_empty() {
            return Ok(None);
        }
        Self::inner(v.into_deserializer())
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Self::inner(v.into_deserializer())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::inner(v.into_deserializer())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Self::inner(v.into_deserializer())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Self::inner(v.into_deserializer())
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        Self::inner(de::value::SeqAccessDeserializer::new(seq))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        Self::inner(de::value::MapAccessDeserializer::new(map))
    }
}

#[derive(Clone, Copy)]
struct BoolVisitor(&'static str);

impl Visitor<'_> for BoolVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<bool, E> {
        match v.trim().to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" => Ok(true),
            "no" | "false" | "0" => Ok(false),
            _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
        }
    }
}

#[derive(Clone, Copy)]
struct I64Visitor;

impl Visitor<'_> for I64Visitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer or a string holding one")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i64, E> {
        Ok(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i64, E> {
        i64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<i64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

#[derive(Clone, Copy)]
struct F64Visitor;

impl Visitor<'_> for F64Visitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string holding one")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }

    // Integers given as JSON numbers; precision loss above 2^53 is inherent to f64.
    #[allow(clippy::cast_precision_loss)]
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
    }
}

#[derive(Clone, Copy)]
struct Base64Visitor;

impl Visitor<'_> for Base64Visitor {
    type Value = Vec<u8>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("base64 text")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<u8>, E> {
        use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
        use base64::engine::DecodePaddingMode;
        use base64::{alphabet, Engine as _};

        let config =
            GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
        let standard = GeneralPurpose::new(&alphabet::STANDARD, config);
        let url_safe = GeneralPurpose::new(&alphabet::URL_SAFE, config);
        let text = v.trim();
        standard
            .decode(text)
            .or_else(|_| url_safe.decode(text))
            .map_err(|_| E::invalid_value(de::Unexpected::Str("(not base64)"), &self))
    }
}
