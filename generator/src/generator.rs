//! The settings builder and the two outputs: one self-contained file for any
//! spec, and the whole `cloudapi` crate for the specs in `specs/`.

use std::path::{Path, PathBuf};

use quote::quote;

use crate::diagnostics::{Diagnostic, DiagnosticKind, Diagnostics};
use crate::diff::ApiChanges;
use crate::emit::{
    client_parts, emit_client_part, emit_mock, emit_types, mock_doc, mock_macro_text,
    runtime_checks, runtime_features, sanitize, MOCK_MACRO,
};
use crate::format::{
    fill_placeholders, format_file, format_items, format_text, format_tokens, merge_impl_blocks,
    parallel, placeholder, rust_header, separate_items,
};
use crate::ir::Api;
use crate::templates;
use crate::write::{FileSet, WriteReport};

/// Lints the generated modules allow: their docs are spec prose, which may
/// contain bare URLs, brackets or HTML-like text that rustdoc and clippy flag.
const MODULE_ALLOWS: &str = "#[allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags, rustdoc::invalid_rust_codeblocks, clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::too_long_first_doc_paragraph)]";

/// Settings for generating a client from one spec.
///
/// ```no_run
/// // In build.rs:
/// cloudgen::Generator::new()
///     .module_name("petstore")
///     .write_to_out_dir("openapi/petstore.yaml")
///     .expect("the spec generates");
/// // In src/lib.rs: include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
/// ```
#[derive(Debug, Clone)]
pub struct Generator {
    module: Option<String>,
    command: String,
    runtime_path: Option<String>,
    inline_runtime: bool,
    mocks: bool,
}

impl Default for Generator {
    fn default() -> Self {
        Generator::new()
    }
}

/// A successful generation: the code and any warnings.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The module name used.
    pub module: String,
    /// The Rust source.
    pub code: String,
    /// Warnings (never errors).
    pub warnings: Diagnostics,
}

impl Generator {
    /// Default settings: module named after `x-cloudgen-module` or the file stem.
    pub fn new() -> Self {
        Generator {
            module: None,
            command: "cloudgen generate".to_string(),
            runtime_path: None,
            inline_runtime: false,
            mocks: false,
        }
    }

    /// Uses the runtime at another path than the `cloudgen_runtime` crate, for example
    /// `cloudapi::runtime` (the runtime that `cloudapi` re-exports).
    ///
    /// ```
    /// let g = cloudgen::Generator::new().runtime_path("cloudapi::runtime");
    /// # let _ = g;
    /// ```
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime_path = Some(path.into());
        self
    }

    /// With `true`, copies the runtime into the output as its `runtime` module, so that the
    /// crate needs no `cloudgen-runtime` dependency but the runtime's own dependencies
    /// (reqwest, serde, ...; see the README). By default the output uses the
    /// `cloudgen-runtime` crate.
    ///
    /// ```
    /// let g = cloudgen::Generator::new().inline_runtime(true);
    /// # let _ = g;
    /// ```
    pub fn inline_runtime(mut self, inline: bool) -> Self {
        self.inline_runtime = inline;
        self
    }

    /// With `true`, the output also has typed mocks for tests: a `mock` submodule with a
    /// `MockServer` and one method per operation, behind the `mock` feature of the crate that
    /// includes the output. That feature must turn on `cloudgen-runtime/mock` (or, with
    /// [`Generator::inline_runtime`], the crate needs a `wiremock = "0.6"` dependency for it):
    ///
    /// ```toml
    /// [features]
    /// mock = ["cloudgen-runtime/mock"]
    /// ```
    ///
    /// Off by default: the mocks are code a crate compiles only for its tests.
    ///
    /// ```
    /// let g = cloudgen::Generator::new().mocks(true);
    /// # let _ = g;
    /// ```
    pub fn mocks(mut self, mocks: bool) -> Self {
        self.mocks = mocks;
        self
    }

    /// Names the generated module (and so the file written by [`Generator::write_to_out_dir`]).
    ///
    /// ```
    /// let g = cloudgen::Generator::new().module_name("petstore");
    /// # let _ = g;
    /// ```
    pub fn module_name(mut self, name: impl Into<String>) -> Self {
        self.module = Some(name.into());
        self
    }

    /// The command named in the `@generated` first line.
    ///
    /// ```
    /// let g = cloudgen::Generator::new().generated_by("build.rs");
    /// # let _ = g;
    /// ```
    pub fn generated_by(mut self, command: impl Into<String>) -> Self {
        self.command = command.into();
        self
    }

    /// Loads and lowers a spec file.
    #[doc(hidden)]
    pub fn lower_file(&self, spec: &Path) -> Result<(Api, Diagnostics), Diagnostics> {
        let doc = crate::load::load_file(spec)?;
        crate::lower::lower(&doc, self.module.as_deref())
    }

    /// Loads and lowers spec text; `file` names it in diagnostics.
    #[doc(hidden)]
    pub fn lower_str(&self, file: &str, text: &str) -> Result<(Api, Diagnostics), Diagnostics> {
        let doc = crate::load::load_str(file, text)?;
        crate::lower::lower(&doc, self.module.as_deref())
    }

    /// Generates one module from a spec file.
    pub fn generate(&self, spec: impl AsRef<Path>) -> Result<String, Diagnostics> {
        self.generate_full(spec).map(|g| g.code)
    }

    /// Like [`Generator::generate`], also returning the module name and warnings.
    pub fn generate_full(&self, spec: impl AsRef<Path>) -> Result<Generated, Diagnostics> {
        let spec = spec.as_ref();
        let (api, warnings) = self.lower_file(spec)?;
        let code = self.single_file(&api, &display_path(spec))?;
        Ok(Generated {
            module: api.module.clone(),
            code,
            warnings,
        })
    }

    /// Generates one module from spec text.
    pub fn generate_str(&self, file: &str, text: &str) -> Result<Generated, Diagnostics> {
        let (api, warnings) = self.lower_str(file, text)?;
        let code = self.single_file(&api, file)?;
        Ok(Generated {
            module: api.module.clone(),
            code,
            warnings,
        })
    }

    /// For build scripts: generates `spec` into `$OUT_DIR/<module>.rs`, tells cargo
    /// to rerun when the spec changes, prints warnings as cargo warnings, and
    /// returns the path written.
    pub fn write_to_out_dir(&self, spec: impl AsRef<Path>) -> Result<PathBuf, Diagnostics> {
        let spec = spec.as_ref();
        println!("cargo:rerun-if-changed={}", spec.display());
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Diagnostics::from(
                Diagnostic::error(
                    DiagnosticKind::NoOutDir,
                    &display_path(spec),
                    "OUT_DIR is not set",
                )
                .hint("call write_to_out_dir from a build script, where cargo sets OUT_DIR"),
            )
        })?;
        let generated = self.generate_full(spec)?;
        for w in generated.warnings.iter() {
            for line in w.to_string().lines() {
                println!("cargo:warning={line}");
            }
        }
        let path = PathBuf::from(out_dir).join(format!("{}.rs", generated.module));
        let unchanged = std::fs::read(&path).is_ok_and(|b| b == generated.code.as_bytes());
        if !unchanged {
            std::fs::write(&path, &generated.code).map_err(|e| {
                Diagnostics::from(Diagnostic::error(
                    DiagnosticKind::Io,
                    &path.display().to_string(),
                    format!("cannot write: {e}"),
                ))
            })?;
        }
        Ok(path)
    }

    fn single_file(&self, api: &Api, source: &str) -> Result<String, Diagnostics> {
        let [types, client] = format_api(api, 2, 1).map_err(|e| bug(source, e))?;
        let module = syn::Ident::new(&api.module, proc_macro2::Span::call_site());
        let module_doc = module_doc(api);
        let inline = self.inline_runtime && self.runtime_path.is_none();
        let runtime_use = match &self.runtime_path {
            _ if inline => quote!(
                use self::runtime as rt;
            ),
            None => quote!(
                use ::cloudgen_runtime as rt;
            ),
            Some(path) => {
                let path: syn::Path = syn::parse_str(path).map_err(|e| {
                    Diagnostics::from(
                        Diagnostic::error(
                            DiagnosticKind::BadSetting,
                            source,
                            format!("runtime path `{path}` is not a Rust path: {e}"),
                        )
                        .hint("pass a path such as `cloudapi::runtime`"),
                    )
                })?;
                quote!(use #path as rt;)
            }
        };
        let checks = (!inline).then(|| runtime_checks(api));
        let types_placeholder = placeholder("TYPES", &types);
        let client_placeholder = placeholder("CLIENT", &client);
        let mock = self.mocks.then(|| {
            let doc = mock_doc(api);
            let items = emit_mock(api, !inline);
            quote! {
                #[cfg(feature = "mock")]
                pub mod mock {
                    #![doc = #doc]
                    #items
                }
            }
        });
        let body = quote! {
            #![doc = #module_doc]
            #runtime_use
            #checks
            /// The request and response types of this API.
            pub mod types {
                #types_placeholder
            }
            #client_placeholder
            #mock
        };
        // The body is parsed straight from its tokens: printing them as text and lexing that
        // text again took about a fifth of the time of a large spec.
        let invalid = |e: syn::Error| {
            bug(
                source,
                format!("cloudgen produced invalid Rust (a generator bug): {e}"),
            )
        };
        let body: syn::File = syn::parse2(body).map_err(invalid)?;
        let mut outer: syn::ItemMod =
            syn::parse_str(&format!("{MODULE_ALLOWS}\npub mod {module} {{}}")).map_err(invalid)?;
        // The body's inner attributes (`#![doc]`) follow the outer `#[allow]`, as when parsed.
        outer.attrs.extend(body.attrs);
        if let Some((_, content)) = &mut outer.content {
            *content = body.items;
        }
        let file = syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items: vec![syn::Item::Mod(outer)],
        };
        let text = format_file(&file, &rust_header(&self.command, source));
        let mock_macro = if self.mocks {
            mock_macro_text(8)
        } else {
            String::new()
        };
        let fills = [
            ("TYPES", types.as_str()),
            ("CLIENT", client.as_str()),
            (MOCK_MACRO, mock_macro.as_str()),
        ];
        let mut text = fill_placeholders(&text, &fills).map_err(|e| bug(source, e))?;
        if inline {
            // The hand-written runtime goes in verbatim, as the module's last item.
            let close = text
                .rfind("}\n")
                .filter(|i| i + 2 == text.len())
                .ok_or_else(|| {
                    bug(
                        source,
                        "the formatted module does not end with its closing brace".to_string(),
                    )
                })?;
            let gated: &[&str] = if self.mocks { &["mock"] } else { &[] };
            let runtime = format!(
                "\n    pub mod runtime {{\n{}    }}\n",
                templates::runtime_inline(8, &runtime_features(api), gated)
            );
            text.insert_str(close, &runtime);
        }
        Ok(text)
    }
}

/// The formatted text of an API's types module body (`types_depth` modules deep)
/// and client module body (`client_depth` deep). The types and each part of the
/// client are emitted and formatted on their own threads: formatting is most of
/// the time of a generation.
fn format_api(api: &Api, types_depth: usize, client_depth: usize) -> Result<[String; 2], String> {
    let jobs: Vec<Option<usize>> = std::iter::once(None)
        .chain((0..client_parts(api)).map(Some))
        .collect();
    let texts = parallel(&jobs, |job| match job {
        None => format_items(emit_types(api), types_depth),
        Some(part) => format_items(emit_client_part(api, *part), client_depth),
    });
    let mut texts = texts.into_iter();
    let types = texts.next().unwrap_or(Ok(String::new()))?;
    let client = texts.collect::<Result<Vec<String>, String>>()?.concat();
    let client = merge_impl_blocks(&client, "impl Client {");
    Ok([separate_items(&types), separate_items(&client)])
}

fn bug(file: &str, message: String) -> Diagnostics {
    Diagnostic::error(DiagnosticKind::Internal, file, message)
        .hint("please report this with the spec that caused it")
        .into()
}

fn display_path(p: &Path) -> String {
    p.display().to_string()
}

fn module_doc(api: &Api) -> String {
    let mut doc = format!(
        " A client for the {}, version {}.",
        api.display_name(),
        api.version
    );
    if let Some(d) = &api.description {
        doc.push_str("\n\n");
        doc.push_str(&sanitize(d.trim()));
    }
    doc
}

/// The command named in the `@generated` line of the checked-in crate.
pub const REGENERATE_COMMAND: &str = "cargo run -p cloudgen -- regenerate";

/// Every spec file under `specs/`, in name order.
pub fn spec_files(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    specs.sort();
    Ok(specs)
}

/// What `regenerate` failed on.
#[derive(Debug, thiserror::Error)]
pub enum RegenerateError {
    /// A spec has errors.
    #[error("{0}")]
    Spec(Diagnostics),
    /// Reading or writing files failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The API changed more than the crate version allows, or a summary is unreadable.
    #[error("{0}")]
    Api(String),
}

/// What `regenerate` did.
#[derive(Debug, Clone)]
pub struct Regenerated {
    /// The files written (or, when checking, found stale).
    pub report: WriteReport,
    /// Warnings of the specs.
    pub warnings: Diagnostics,
    /// The changes to the generated API since the committed summaries.
    pub changes: ApiChanges,
}

/// Builds every file of the `cloudapi` crate from the specs under `root/specs`.
pub fn build_crate(root: &Path) -> Result<(FileSet, Diagnostics), RegenerateError> {
    build_crate_with(root, None).map(|(files, warnings, _)| (files, warnings))
}

/// [`build_crate`], with another `templates/Cargo.toml.tmpl` if given (its version decides
/// what API changes are allowed), also returning the API changes since the committed summaries.
pub fn build_crate_with(
    root: &Path,
    cargo_template: Option<&str>,
) -> Result<(FileSet, Diagnostics, ApiChanges), RegenerateError> {
    let templates = templates::CrateTemplates::read(root)?;
    let cargo_template = cargo_template.unwrap_or(&templates.cargo_toml);
    let mut files = FileSet::default();
    let mut warnings = Diagnostics::new();
    let mut errors = Diagnostics::new();
    let mut apis: Vec<(Api, String)> = Vec::new();
    let mut texts = Vec::new();
    for spec in spec_files(root)? {
        let rel = spec
            .strip_prefix(root)
            .unwrap_or(&spec)
            .to_string_lossy()
            .replace('\\', "/");
        texts.push((rel, std::fs::read_to_string(&spec)?));
    }
    // Each spec loads and lowers on its own thread.
    let lowered = parallel(&texts, |(rel, text)| {
        crate::load::load_str(rel, text).and_then(|doc| crate::lower::lower(&doc, None))
    });
    for ((rel, _), lowered) in texts.into_iter().zip(lowered) {
        match lowered {
            Ok((api, w)) => {
                warnings.0.extend(w.0);
                apis.push((api, rel));
            }
            Err(d) => errors.0.extend(d.0),
        }
    }
    if errors.has_errors() {
        return Err(RegenerateError::Spec(errors));
    }
    let api_refs: Vec<&Api> = apis.iter().map(|(api, _)| api).collect();
    let (api_files, changes) =
        crate::diff::api_files(root, &api_refs, cargo_template).map_err(RegenerateError::Api)?;
    for (path, text) in api_files {
        files.add(path, text);
    }
    let mut modules = Vec::new();
    for (api, rel) in &apis {
        let spec_bug = |e: String| RegenerateError::Spec(bug(rel, e));
        let [types, client] = format_api(api, 0, 0).map_err(spec_bug)?;
        let header = rust_header(REGENERATE_COMMAND, rel);
        let module_doc = module_doc(api);
        let client_placeholder = placeholder("CLIENT", &client);
        let checks = runtime_checks(api);
        let mod_rs = quote! {
            #![doc = #module_doc]
            use crate::runtime as rt;
            #checks
            pub mod types;
            #[cfg(feature = "mock")]
            pub mod mock;
            #client_placeholder
        };
        let types_doc = format!(
            " The request and response types of the {}.",
            api.display_name()
        );
        let types_placeholder = placeholder("TYPES", &types);
        let types_rs = quote! {
            #![doc = #types_doc]
            #types_placeholder
        };
        let m = &api.module;
        let mod_rs = format_tokens(mod_rs, &header).map_err(spec_bug)?;
        let types_rs = format_tokens(types_rs, &header).map_err(spec_bug)?;
        files.add(
            format!("generated/src/{m}/mock.rs"),
            mock_file(api, &header).map_err(spec_bug)?,
        );
        files.add(
            format!("generated/src/{m}/mod.rs"),
            fill_placeholders(&mod_rs, &[("CLIENT", &client)]).map_err(spec_bug)?,
        );
        files.add(
            format!("generated/src/{m}/types.rs"),
            fill_placeholders(&types_rs, &[("TYPES", &types)]).map_err(spec_bug)?,
        );
        // The module's feature turns on the runtime features its API needs.
        let feature_deps = runtime_features(api)
            .iter()
            .map(|f| format!("\"cloudgen-runtime/{f}\""))
            .collect::<Vec<_>>()
            .join(", ");
        modules.push((
            m.clone(),
            api.title.clone(),
            rel.clone(),
            api.operations.len(),
            api.types.len(),
            feature_deps,
        ));
    }
    for (name, text) in &templates.examples {
        let header = rust_header(REGENERATE_COMMAND, &format!("templates/examples/{name}"));
        files.add(
            format!("generated/examples/{name}"),
            format!("{header}{text}"),
        );
    }
    let mut mod_decls = String::new();
    let mut features = String::new();
    let mut readme_rows = String::new();
    for (m, title, rel, ops, types, feature_deps) in &modules {
        mod_decls.push_str(&format!(
            "#[cfg(feature = \"{m}\")]\n{MODULE_ALLOWS}\n#[rustfmt::skip]\npub mod {m};\n"
        ));
        features.push_str(&format!("{m} = [{feature_deps}]\n"));
        readme_rows.push_str(&format!(
            "| `{m}` | {title} | `{rel}` | {ops} | {types} |\n"
        ));
    }
    let default_features = modules
        .iter()
        .map(|(m, ..)| format!("\"{m}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let lib = templates
        .lib_rs
        .replace("{{modules}}", mod_decls.trim_end());
    files.add(
        "generated/src/lib.rs",
        format_text(
            &lib,
            &rust_header(REGENERATE_COMMAND, "templates/lib.rs.tmpl"),
        )
        .map_err(|e| RegenerateError::Spec(bug("templates/lib.rs.tmpl", e)))?,
    );
    let cargo = cargo_template
        .replace("{{generated}}", &format!("# @generated by `{REGENERATE_COMMAND}` from templates/Cargo.toml.tmpl. Do not edit by hand."))
        .replace("{{default_features}}", &default_features)
        .replace("{{features}}", features.trim_end())
        .replace("{{examples}}", &example_sections(&templates.examples, &modules.iter().map(|m| m.0.clone()).collect::<Vec<_>>()));
    files.add("generated/Cargo.toml", cargo);
    let readme = templates
        .readme_md
        .replace("{{generated}}", &format!("<!-- @generated by `{REGENERATE_COMMAND}` from templates/README.md.tmpl. Do not edit by hand. -->"))
        .replace("{{providers}}", readme_rows.trim_end());
    files.add("generated/README.md", readme);
    Ok((files, warnings, changes))
}

/// The text of `generated/src/<module>/mock.rs`: the module's typed mocks, with `header` first.
fn mock_file(api: &Api, header: &str) -> Result<String, String> {
    let doc = mock_doc(api);
    let items = emit_mock(api, true);
    let tokens = quote! {
        #![doc = #doc]
        #items
    };
    let text = format_tokens(tokens, header)?;
    fill_placeholders(&separate_items(&text), &[(MOCK_MACRO, &mock_macro_text(0))])
}

/// `[[example]]` sections: an example named `<module>_...` needs that module's feature.
fn example_sections(examples: &[(String, String)], modules: &[String]) -> String {
    let mut out = String::new();
    for (name, _) in examples {
        let stem = name.trim_end_matches(".rs");
        let feature = modules
            .iter()
            .filter(|m| stem.starts_with(&format!("{m}_")))
            .max_by_key(|m| m.len());
        out.push_str(&format!("\n[[example]]\nname = \"{stem}\"\n"));
        if let Some(f) = feature {
            out.push_str(&format!("required-features = [\"{f}\"]\n"));
        }
    }
    out
}

/// Regenerates `root/generated` (or, with `check`, only compares).
pub fn regenerate(root: &Path, check: bool) -> Result<(WriteReport, Diagnostics), RegenerateError> {
    regenerate_with(root, check, None).map(|r| (r.report, r.warnings))
}

/// [`regenerate`], with another `templates/Cargo.toml.tmpl` if given, also returning the API
/// changes.
/// It fails, writing nothing, when the API changed more than the template's version allows.
pub fn regenerate_with(
    root: &Path,
    check: bool,
    cargo_template: Option<&str>,
) -> Result<Regenerated, RegenerateError> {
    let (files, warnings, changes) = build_crate_with(root, cargo_template)?;
    let managed = [
        "generated/src",
        "generated/examples",
        crate::diff::release::SUMMARY_DIR,
    ];
    let report = files.sync(root, &managed, check)?;
    Ok(Regenerated {
        report,
        warnings,
        changes,
    })
}
