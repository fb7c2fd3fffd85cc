//! `hush.h` is committed; this checks it matches what cbindgen generates from the source.
//! Regenerate with `HUSH_BLESS=1 cargo test -p hush-c --test header`.

use std::path::Path;

#[test]
fn header_is_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let path = dir.join("hush.h");
    if std::env::var_os("HUSH_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write hush.h");
    }
    let committed = std::fs::read(&path).expect("hush.h is committed");
    assert!(committed == generated, "hush.h is stale: run HUSH_BLESS=1 cargo test -p hush-c --test header");
}
