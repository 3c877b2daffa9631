-- LossCore from LuaJIT's FFI: the tutorial's MAE example, a cross-entropy with its gradient,
-- and the message of a bad call. ffi.cdef takes the installed losscore.cdef as it is (the
-- header's declarations without preprocessor lines). Run it against an installed LossCore
-- (scripts/install.sh):
--
--   LOSSCORE_PREFIX=$PREFIX luajit example.lua
--
-- It prints what examples/expected_output.txt holds.
local ffi = require("ffi")

local prefix = os.getenv("LOSSCORE_PREFIX") or "/usr/local"
local decls = assert(io.open(prefix .. "/include/losscore.cdef"))
ffi.cdef(decls:read("*a"))
decls:close()
-- The SONAME, liblosscore.so.<major>: a library of another major is another ABI.
local lc = ffi.load(prefix .. "/lib/liblosscore.so." .. ffi.C.LOSSCORE_VERSION_MAJOR)

-- Each call writes its status and message into the caller's record.
local record = ffi.new("losscore_error")
local function check(status)
  if status ~= lc.LOSSCORE_OK then
    error(ffi.string(lc.losscore_status_string(status)) .. ": " .. ffi.string(record.message), 0)
  end
end

-- The tutorial's MAE: the mean of |y_pred - y_true|, with its gradient in the same call.
local y_pred = ffi.new("double[3]", {0.000, 0.100, 0.200})
local y_true = ffi.new("double[3]", {0.000, 0.200, 0.250})
local mae, mae_grad = ffi.new("double[1]"), ffi.new("double[3]")
check(lc.losscore_l1_loss_f64(y_pred, y_true, nil, 3, lc.LOSSCORE_REDUCTION_MEAN, mae, nil, mae_grad, record))
print(string.format("MAE error is: %.17g", mae[0]))
print(string.format("d MAE / d y_pred = [%g, %g, %g]", mae_grad[0], mae_grad[1], mae_grad[2]))

-- Cross-entropy of two samples over three classes (logits, class indices), mean over the
-- samples, with the gradient with respect to the logits.
local N, C = 2, 3
local logits = ffi.new("double[6]", {2.0, 1.0, 0.1,
                                     0.5, 2.5, 0.3})
local labels = ffi.new("int64_t[2]", {0, 1})
local ce, ce_grad = ffi.new("double[1]"), ffi.new("double[6]")
check(lc.losscore_cross_entropy_f64(logits, labels, nil, N, C, 1, -100, lc.LOSSCORE_REDUCTION_MEAN, 0.0,
                                    ce, nil, ce_grad, record))
print(string.format("cross_entropy = %.6f", ce[0]))
for i = 0, N - 1 do
  print(string.format("d cross_entropy / d logits[%d] = [%.6f, %.6f, %.6f]", i,
                      ce_grad[i * C], ce_grad[i * C + 1], ce_grad[i * C + 2]))
end

-- A bad call (class index 5 of 3 classes): nothing is written, the record says why.
local bad_labels = ffi.new("int64_t[2]", {0, 5})
local ok, message = pcall(check, lc.losscore_cross_entropy_f64(logits, bad_labels, nil, N, C, 1, -100,
                                    lc.LOSSCORE_REDUCTION_MEAN, 0.0, ce, nil, nil, record))
print("bad call -> " .. message)
os.exit((not ok and record.status == lc.LOSSCORE_ERROR_INDEX) and 0 or 1)
