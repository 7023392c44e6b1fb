//! Serde helpers for wire formats that plain JSON types do not describe, used on fields as
//! `#[serde(with = "rt::codec::yes_no")]`.
//!
//! Each module writes the provider's format and reads it leniently (e.g. `"yes"` and `true`).
//! The `_opt` variants are for `Option` fields; they need `#[serde(default)]` on the field so
//! that a missing field reads as `None`.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};

/// `bool` as `"yes"`/`"no"`; also reads `true`/`false` (as JSON booleans or strings) and
/// `"1"`/`"0"`.
pub mod yes_no {
    use serde::{Deserializer, Serializer};

    /// Writes `"yes"` or `"no"`.
    pub fn serialize<S: Serializer>(value: &bool, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(if *value { "yes" } else { "no" })
    }

    /// Reads `"yes"`, `"no"`, `true`, `false`, `"true"`, `"false"`, `"1"`, `"0"`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_any(super::YesNoVisitor)
    }
}

/// `Option<bool>` as `"yes"`/`"no"`; see [`yes_no`].
pub mod yes_no_opt {
    use serde::{Deserializer, Serializer};

    /// Writes `"yes"`, `"no"`, or `null` for `None`.
    pub fn serialize<S: Serializer>(
        value: &Option<bool>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::yes_no::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads what [`super::yes_no`] reads, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<bool>, D::Error> {
        deserializer.deserialize_option(super::OptionVisitor(super::YesNoVisitor))
    }
}

/// `i64` as a decimal string (`"123"`); also reads a JSON number.
pub mod string_i64 {
    use serde::{Deserializer, Serializer};

    /// Writes the number as a string.
    pub fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a string holding an integer, or an integer.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        deserializer.deserialize_any(super::I64Visitor)
    }
}

/// `Option<i64>` as a decimal string; see [`string_i64`].
pub mod string_i64_opt {
    use serde::{Deserializer, Serializer};

    /// Writes the number as a string, or `null` for `None`.
    pub fn serialize<S: Serializer>(value: &Option<i64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::string_i64::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads what [`super::string_i64`] reads, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<i64>, D::Error> {
        deserializer.deserialize_option(super::OptionVisitor(super::I64Visitor))
    }
}

/// `f64` as a decimal string (`"1.5"`); also reads a JSON number.
pub mod string_f64 {
    use serde::{Deserializer, Serializer};

    /// Writes the number as a string.
    pub fn serialize<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads a string holding a number, or a number.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(super::F64Visitor)
    }
}

/// `Option<f64>` as a decimal string; see [`string_f64`].
pub mod string_f64_opt {
    use serde::{Deserializer, Serializer};

    /// Writes the number as a string, or `null` for `None`.
    pub fn serialize<S: Serializer>(value: &Option<f64>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::string_f64::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads what [`super::string_f64`] reads, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<f64>, D::Error> {
        deserializer.deserialize_option(super::OptionVisitor(super::F64Visitor))
    }
}

/// `Vec<u8>` as standard base64 (OpenAPI `format: byte`); reads padded or unpadded, standard or
/// URL-safe alphabet.
pub mod base64_bytes {
    use serde::{Deserializer, Serializer};

    /// Writes standard, padded base64.
    pub fn serialize<S: Serializer>(value: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(value))
    }

    /// Reads base64 text.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        deserializer.deserialize_str(super::Base64Visitor)
    }
}

/// `Option<Vec<u8>>` as base64; see [`base64_bytes`].
pub mod base64_bytes_opt {
    use serde::{Deserializer, Serializer};

    /// Writes standard, padded base64, or `null` for `None`.
    pub fn serialize<S: Serializer>(
        value: &Option<Vec<u8>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => super::base64_bytes::serialize(value, serializer),
            None => serializer.serialize_none(),
        }
    }

    /// Reads base64 text, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        deserializer.deserialize_option(super::OptionVisitor(super::Base64Visitor))
    }
}

/// Wraps a visitor for `T` into one for `Option<T>`.
struct OptionVisitor<V>(V);

impl<'de, V: Visitor<'de> + Copy> Visitor<'de> for OptionVisitor<V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        // `deserialize_any` lets each inner visitor accept every representation it supports;
        // base64 accepts only strings and rejects the others with a clear message itself.
        deserializer.deserialize_any(self.0).map(Some)
    }
}

#[derive(Clone, Copy)]
struct YesNoVisitor;

impl Visitor<'_> for YesNoVisitor {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"yes\" or \"no\"")
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
