//! Generates the petstore client into `$OUT_DIR/petstore.rs` with the packaged cloudgen.

fn main() {
    cloudgen::Generator::new()
        .module_name("petstore")
        .generated_by("tests/package/build.rs")
        .write_to_out_dir("petstore.yaml")
        .unwrap_or_else(|diagnostics| panic!("petstore.yaml does not generate:\n{diagnostics}"));
}
