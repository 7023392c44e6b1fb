//! Rust names, decided once: an `x-cloudgen-name` chosen in the document wins, and a name
//! that another item already took is changed with a warning saying how to choose it instead.

use super::{extensions, Lowerer};
use crate::diagnostics::{pointer_join, DiagnosticKind};
use crate::naming::Scope;

/// What kind of item a name is for, in diagnostics, and how its name is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Named {
    Operation,
    Parameter,
    Property,
    Schema,
    EnumValue,
    Waiter,
    /// The method of one variant of a split operation (`x-cloudgen-operation-id`).
    SplitVariant,
}

impl Named {
    fn word(self) -> &'static str {
        match self {
            Named::Operation => "operation",
            Named::Parameter => "parameter",
            Named::Property => "property",
            Named::Schema => "schema",
            Named::EnumValue => "enum value",
            Named::Waiter => "waiter",
            Named::SplitVariant => "split operation variant",
        }
    }

    fn how_to_choose(self) -> &'static str {
        match self {
            Named::EnumValue => {
                "list the variant names, one per value, in `x-enum-varnames` on the enum schema"
            }
            Named::Waiter => "give the waiter another `name`",
            Named::SplitVariant => "give the variant schema another `x-cloudgen-operation-id`",
            Named::Operation => "set `x-cloudgen-name` on the operation to choose its method name",
            Named::Parameter => "set `x-cloudgen-name` on the parameter to choose its Rust name",
            Named::Property => "set `x-cloudgen-name` on the property to choose its field name",
            Named::Schema => "set `x-cloudgen-name` on the schema to choose its type name",
        }
    }
}

impl Lowerer<'_> {
    /// The `x-cloudgen-name` of the node at `pointer` (a JSON pointer into the document), if it
    /// has one.
    pub(crate) fn chosen_name(&mut self, pointer: &str) -> Option<String> {
        let doc = self.doc;
        let value = doc.raw.pointer(pointer)?.get(extensions::NAME.key);
        self.ext_value(&extensions::NAME, value, pointer)
            .map(|name| name.0.trim().to_string())
    }

    /// `base` (the Rust form of `source`) made unique in `scope`. When it had to change, a
    /// `name-collision` warning names the item, its new name and how to choose one.
    pub(crate) fn claim_name(
        &mut self,
        scope: &mut Scope,
        base: &str,
        what: Named,
        source: &str,
        pointer: &str,
    ) -> String {
        let name = scope.unique(base);
        if name != base {
            let word = what.word();
            self.warn(
                DiagnosticKind::NameCollision,
                pointer,
                format!(
                    "{word} `{source}` would be named `{base}` in Rust, which another item already uses; it is named `{name}`"
                ),
                what.how_to_choose(),
            );
        }
        name
    }

    /// The names in `x-enum-varnames` of the enum schema at `pointer`, when it lists one per
    /// value.
    pub(crate) fn enum_varnames(&mut self, pointer: &str, count: usize) -> Option<Vec<String>> {
        let value = self.doc.raw.pointer(pointer)?.get("x-enum-varnames")?;
        let names: Option<Vec<String>> = value
            .as_array()
            .map(|a| a.iter().map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or(None);
        match names {
            Some(names) if names.len() == count => Some(names),
            _ => {
                self.warn(
                    DiagnosticKind::BadExtension,
                    &pointer_join(pointer, "x-enum-varnames"),
                    format!("`x-enum-varnames` must list {count} strings, one per enum value; it is ignored"),
                    "list one variant name per value, in the order of `enum`",
                );
                None
            }
        }
    }
}
