//! Which generated items are `#[non_exhaustive]`: one place that emit follows and the API
//! summary (and so the semver verdict of `regenerate`) reads.
//!
//! Enums that say "more values may come" are: string enums and tagged unions (they already
//! have an `Unknown` catch-all, so a user's `match` handles values it does not know; `_` now
//! stands for both), the module's `ErrorCode` (codes are added all the time) and each
//! operation's error enum (a newly documented status). A provider adding any of these is then
//! an additive change, not a breaking one. Success enums and untagged or single-key unions
//! have no catch-all and stay exhaustive: a new success or shape is something to handle.
//!
//! Structs are never `#[non_exhaustive]`: users build response values with struct literals in
//! their tests, and an attribute would forbid that outside the crate. Request types are built
//! with `new` + `with_*` or `Default`, which keep compiling when optional fields are added.
//! specs/EXTENSIONS.md ("API diff and semver") has the whole reasoning.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::TypeKind;

/// The module's `ErrorCode` enum.
pub const ERROR_CODES: bool = true;

/// Each operation's error enum (`<Operation>Error`).
pub const ERROR_ENUMS: bool = true;

/// A named type of the types module.
pub fn of_type(kind: &TypeKind) -> bool {
    matches!(kind, TypeKind::StringEnum { .. } | TypeKind::Tagged { .. })
}

/// The attribute, when `yes`.
pub fn attr(yes: bool) -> TokenStream {
    if yes {
        quote!(#[non_exhaustive])
    } else {
        TokenStream::new()
    }
}
