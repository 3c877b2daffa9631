//! The part of LossCore's C API (include/losscore.h) this program uses, declared by hand, and
//! safe functions over it that return the call's status and message as a `LossError`.
//! Another function is one more declaration copied from the header and one more wrapper.

use std::ffi::CStr;
use std::fmt;
use std::os::raw::c_char;

// losscore_status and losscore_reduction are int32_t; these are the header's constants.
pub const OK: i32 = 0;
pub const ERROR_SHAPE: i32 = 3;
pub const ERROR_INDEX: i32 = 4;
pub const REDUCTION_NONE: i32 = 0;
pub const REDUCTION_MEAN: i32 = 1;

/// losscore_error: each call writes its own status and message into the caller's record.
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct losscore_error {
    pub status: i32,
    pub message: [c_char; 512], // LOSSCORE_ERROR_MESSAGE_SIZE, the NUL included
}

#[link(name = "losscore")]
extern "C" {
    fn losscore_status_string(status: i32) -> *const c_char;
    fn losscore_l1_loss_f64(input: *const f64, target: *const f64, weight: *const f64, n: usize,
                            reduction: i32, out: *mut f64, grad_output: *const f64,
                            grad_input: *mut f64, error: *mut losscore_error) -> i32;
    fn losscore_cross_entropy_f64(input: *const f64, target: *const i64, weight: *const f64,
                                  n: usize, c: usize, inner: usize, ignore_index: i64,
                                  reduction: i32, label_smoothing: f64, out: *mut f64,
                                  grad_output: *const f64, grad_input: *mut f64,
                                  error: *mut losscore_error) -> i32;
}

/// A failed call: its status (a losscore_status) and the library's message.
#[derive(Debug)]
pub struct LossError {
    pub status: i32,
    pub message: String,
}

impl fmt::Display for LossError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}: {}", status_string(self.status), self.message)
    }
}

impl std::error::Error for LossError {}

/// The status's name, e.g. "LOSSCORE_ERROR_INDEX".
pub fn status_string(status: i32) -> &'static str {
    // The library returns a static NUL-terminated string for every value.
    unsafe { CStr::from_ptr(losscore_status_string(status)) }.to_str().unwrap_or("?")
}

fn new_record() -> losscore_error {
    losscore_error { status: OK, message: [0; 512] }
}

fn check(status: i32, record: &losscore_error) -> Result<(), LossError> {
    if status == OK {
        return Ok(());
    }
    let bytes: Vec<u8> = record.message.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
    Err(LossError { status, message: String::from_utf8_lossy(&bytes).into_owned() })
}

fn shape_error(what: &str) -> LossError {
    LossError { status: ERROR_SHAPE, message: what.to_string() }
}

/// The losses' room: one value per element (or sample) for NONE, else one.
fn out_len(n: usize, reduction: i32) -> usize {
    if reduction == REDUCTION_NONE { n } else { 1 }
}

/// torch.nn.functional.l1_loss and its gradient: (losses, d loss / d input).
pub fn l1_loss(input: &[f64], target: &[f64], reduction: i32) -> Result<(Vec<f64>, Vec<f64>), LossError> {
    if input.len() != target.len() {
        return Err(shape_error("l1_loss: input and target differ in length"));
    }
    let n = input.len();
    let (mut out, mut grad, mut record) = (vec![0.0; out_len(n, reduction)], vec![0.0; n], new_record());
    let status = unsafe {
        losscore_l1_loss_f64(input.as_ptr(), target.as_ptr(), std::ptr::null(), n, reduction,
                             out.as_mut_ptr(), std::ptr::null(), grad.as_mut_ptr(), &mut record)
    };
    check(status, &record).map(|()| (out, grad))
}

/// torch.nn.functional.cross_entropy of `labels.len()` rows of `classes` logits against class
/// indices (ignore_index -100, no weights, no label smoothing) and its gradient.
pub fn cross_entropy(logits: &[f64], labels: &[i64], classes: usize, reduction: i32)
                     -> Result<(Vec<f64>, Vec<f64>), LossError> {
    let n = labels.len();
    if n.checked_mul(classes) != Some(logits.len()) {
        return Err(shape_error("cross_entropy: logits.len() is not labels.len() * classes"));
    }
    let (mut out, mut grad, mut record) = (vec![0.0; out_len(n, reduction)], vec![0.0; logits.len()], new_record());
    let status = unsafe {
        losscore_cross_entropy_f64(logits.as_ptr(), labels.as_ptr(), std::ptr::null(), n, classes, 1,
                                   -100, reduction, 0.0, out.as_mut_ptr(), std::ptr::null(),
                                   grad.as_mut_ptr(), &mut record)
    };
    check(status, &record).map(|()| (out, grad))
}
