//! An example of generating a client from a `build.rs`: `build.rs` runs
//! `cloudgen::Generator::write_to_out_dir` on `petstore.yaml`, and this file includes
//! the result. The module carries its own copy of the client runtime
//! (`petstore::runtime`), so no runtime crate is needed.
#![deny(missing_docs)]

include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
