//! Finds the installed liblosscore.so: $LOSSCORE_PREFIX/lib if set, else pkg-config's libdir
//! for losscore (PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig for a prefix it does not search).
//! Links against it and records that folder as the program's rpath, so it runs as it is.
use std::env;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=LOSSCORE_PREFIX");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    let libdir = match env::var("LOSSCORE_PREFIX") {
        Ok(prefix) => format!("{}/lib", prefix),
        Err(_) => {
            let output = Command::new("pkg-config")
                .args(["--variable=libdir", "losscore"])
                .output()
                .expect("pkg-config not found: set LOSSCORE_PREFIX to LossCore's install prefix");
            if !output.status.success() {
                panic!("pkg-config does not know losscore: set PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig or LOSSCORE_PREFIX");
            }
            String::from_utf8(output.stdout).unwrap().trim().to_string()
        }
    };
    println!("cargo:rustc-link-search=native={}", libdir);
    println!("cargo:rustc-link-arg=-Wl,-rpath,{}", libdir);
}
