//! docs/errors.md is generated from the catalog; this fails when it is stale.

#[test]
fn errors_doc_matches_the_catalog() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/errors.md");
    let committed = std::fs::read_to_string(path).expect("docs/errors.md exists");
    assert!(
        committed == crier_core::catalog::render_docs(),
        "docs/errors.md is stale: run `cargo run -p crier -- docs errors > docs/errors.md`"
    );
}

#[test]
fn every_code_of_the_contract_is_documented_with_its_status() {
    let doc = crier_core::catalog::render_docs();
    for code in crier_core::Code::ALL {
        let e = code.entry();
        assert!(doc.contains(&format!("| {} | {} |", e.code, e.http)), "code {} missing", e.code);
    }
}
