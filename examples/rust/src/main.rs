//! LossCore from Rust: the tutorial's MAE example, a cross-entropy with its gradient, and the
//! message of a bad call, through plain `extern "C"` declarations (src/losscore.rs; no crates).
//! Build and run it against an installed LossCore (scripts/install.sh), from this folder:
//!
//!   LOSSCORE_PREFIX=$PREFIX cargo build --offline --release && target/release/losscore-example
//!
//! (or PKG_CONFIG_PATH=$PREFIX/lib/pkgconfig instead of LOSSCORE_PREFIX; build.rs links the
//! library and sets the rpath). It prints what examples/expected_output.txt holds.
mod losscore;

use losscore::{LossError, ERROR_INDEX, REDUCTION_MEAN};

/// C's printf("%g"), as the other examples print: six significant digits, no trailing zeros.
fn g(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string().to_lowercase();
    }
    let trim = |s: &str| if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s.to_string() };
    let sci = format!("{:.5e}", x); // e.g. "-3.33333e-1": the exponent after rounding
    let (mantissa, exp) = sci.split_once('e').unwrap();
    let exp: i32 = exp.parse().unwrap();
    if (-4..6).contains(&exp) {
        trim(&format!("{:.*}", (5 - exp) as usize, x))
    } else {
        format!("{}e{}{:02}", trim(mantissa), if exp < 0 { '-' } else { '+' }, exp.abs())
    }
}

fn main() -> Result<(), LossError> {
    // The tutorial's MAE: the mean of |y_pred - y_true|, with its gradient in the same call.
    let (mae, mae_grad) = losscore::l1_loss(&[0.000, 0.100, 0.200], &[0.000, 0.200, 0.250], REDUCTION_MEAN)?;
    // Rust's {} prints the shortest digits that round-trip, like C's %.17g here.
    println!("MAE error is: {}", mae[0]);
    println!("d MAE / d y_pred = [{}]", mae_grad.iter().map(|&x| g(x)).collect::<Vec<_>>().join(", "));

    // Cross-entropy of two samples over three classes, mean over the samples, with the
    // gradient with respect to the logits.
    let logits = [2.0, 1.0, 0.1,
                  0.5, 2.5, 0.3];
    let (ce, ce_grad) = losscore::cross_entropy(&logits, &[0, 1], 3, REDUCTION_MEAN)?;
    println!("cross_entropy = {:.6}", ce[0]);
    for (i, row) in ce_grad.chunks(3).enumerate() {
        println!("d cross_entropy / d logits[{}] = [{:.6}, {:.6}, {:.6}]", i, row[0], row[1], row[2]);
    }

    // A bad call (class index 5 of 3 classes) is an Err carrying the call's status and message.
    match losscore::cross_entropy(&logits, &[0, 5], 3, REDUCTION_MEAN) {
        Err(error) => {
            println!("bad call -> {}", error);
            std::process::exit(if error.status == ERROR_INDEX { 0 } else { 1 });
        }
        Ok(_) => std::process::exit(1),
    }
}
