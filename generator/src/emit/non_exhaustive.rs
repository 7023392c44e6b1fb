//! Which generated items are `#[non_exhaustive]`: one place that emit follows and the API
//! summary (and so the semver verdict of `regenerate`) reads.
//!
//! Structs are never `#[non_exhaustive]`: users build response values with struct literals in
//! their tests, and an attribute would forbid that outside the crate. Request types are built
//! with `new` + `with_*` or `Default`, which keep compiling when optional fields are added.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::TypeKind;

/// The module's `ErrorCode` enum.
pub const ERROR_CODES: bool = false;

/// Each operation's error enum (`<Operation>Error`).
pub const ERROR_ENUMS: bool = false;

/// A named type of the types module.
pub fn of_type(kind: &TypeKind) -> bool {
    let _ = kind;
    false
}

/// The attribute, when `yes`.
pub fn attr(yes: bool) -> TokenStream {
    if yes {
        quote!(#[non_exhaustive])
    } else {
        TokenStream::new()
    }
}
