//! An example of generating a client from a `build.rs`: `build.rs` runs
//! `cloudgen::Generator::write_to_out_dir` on `petstore.yaml`, and this file includes
//! the result. The module uses the `cloudgen-runtime` crate, the one dependency it needs.
#![deny(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
