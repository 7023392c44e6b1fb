//! Arbitrary bytes as a spec: load + lower + emit + format must return code or
//! diagnostics, never panic, hang or report an internal error.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let result = cloudgen::Generator::new()
        .module_name("fuzzed")
        .runtime_path("cloudapi::runtime")
        .generate_str("fuzzed.yaml", &text);
    if let Err(diagnostics) = result {
        assert!(
            !diagnostics.iter().any(|d| d.kind == "internal"),
            "internal error:\n{diagnostics}"
        );
    }
});
