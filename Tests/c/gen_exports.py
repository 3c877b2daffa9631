#!/usr/bin/env python3
"""Writes the table of every loss function that include/losscore.h declares.

    Tests/c/gen_exports.py HEADER OUT [--lib LIBRARY]

OUT (a C header, included after Tests/c/exports.h) gets one lc_export descriptor per
loss function (the f32, f64, f16 and bf16 entry points are separate entries; a 16-bit one's
uint16_t buffers are typed LC_F16 or LC_BF16 by its suffix) and, for each, an
adapter that takes an lc_args holding every possible argument and calls the export. The
table is derived from the prototypes alone, whose parameter names are uniform, so a new
export is in the table without an edit here. The script fails, naming the cause, when
the header has something it cannot place: a parameter name with no role, an option (a
double, or an int32_t flag) missing from the header's Options table, or a function that is
neither a loss nor a known runtime function, or a 16-bit export whose parameters are not
its _f32 twin's with uint16_t for float buffers.
Every status a loss returns is checked against the losscore_error record its adapter passes
(exports.h, lc_record_check). With --lib it also fails if the library exports a losscore_ symbol the header lacks.
"""
import math
import re
import shutil
import subprocess
import sys

# Parameter names -> roles (the LC_* bits of exports.h). "input" is also "scores"
# (0-1 loss), "predicted" (0-1 loss over labels) and "log_probs" (CTC): the first data argument.
ROLES = {
    "input": "LC_INPUT", "scores": "LC_INPUT", "predicted": "LC_INPUT",
    "target": "LC_TARGET",  # LC_TARGET_INDEX when it is int64_t
    "weight": "LC_WEIGHT",
    "pos_weight": "LC_POS_WEIGHT", "pos_weight_count": "LC_POS_WEIGHT_COUNT",
    "labels": "LC_TARGET_LABELS",  # int64 label rows, n x c, each list ended by -1
    "weight_count": "LC_WEIGHT_COUNT",
    "n": "LC_N", "c": "LC_C", "inner": "LC_INNER",
    "ignore_index": "LC_IGNORE_INDEX", "reduction": "LC_REDUCTION",
    "out": "LC_OUT", "grad_output": "LC_GRAD_OUTPUT", "grad_input": "LC_GRAD_INPUT",
    # the sequence losses: torch's names for input, target and grad_input, the lengths, the
    # frames t, the padded target length s (0: concatenated targets) and the blank class
    "log_probs": "LC_INPUT", "targets": "LC_TARGET", "grad_log_probs": "LC_GRAD_INPUT",
    "input_lengths": "LC_INPUT_LENGTHS", "target_lengths": "LC_TARGET_LENGTHS", "t": "LC_T", "s": "LC_S",
    "blank": "LC_BLANK",
    # The row-tuple losses: operands of n x d values, a gradient buffer each.
    "anchor": "LC_INPUT", "positive": "LC_INPUT2", "negative": "LC_INPUT3", "d": "LC_D",
    "grad_anchor": "LC_GRAD_INPUT", "grad_positive": "LC_GRAD_INPUT2", "grad_negative": "LC_GRAD_INPUT3",
    "input1": "LC_INPUT", "input2": "LC_INPUT2", "grad_input1": "LC_GRAD_INPUT", "grad_input2": "LC_GRAD_INPUT2",
    # Gaussian NLL's variance: a second differentiable operand, shared along one dimension.
    "var": "LC_INPUT2", "grad_var": "LC_GRAD_INPUT2", "var_repeat": "LC_VAR_REPEAT", "var_inner": "LC_VAR_INNER",
}
# The lc_args field of each role that is a pointer (the others are named as in the header).
FIELDS = {"LC_INPUT2": "input2", "LC_INPUT3": "input3", "LC_GRAD_INPUT2": "grad_input2",
          "LC_GRAD_INPUT3": "grad_input3"}

# The valid domain of each option is read from the header's "Options." table:
# name -> (lo, hi, lo_open, hi_open, example, flag). NaN is outside every domain. A flag
# (domain {0, 1}) is an int32_t parameter, and so is an option of two consecutive integer
# values ({1, 2}: lo and hi, `flag` set). A new option is documented there, and this
# script stops until it is.
INF = math.inf
OPTION_ROW = re.compile(r"^ \*\s+(\w+)\s+([\[(])(\S+),\s*(\S+)([\])])\s+(\S+)\s+\w", re.M)
FLAG_ROW = re.compile(r"^ \*\s+(\w+)\s+\{(-?\d+), (-?\d+)\}\s+(-?\d+)\s+\w", re.M)


def domains(header_text):
    table = header_text[header_text.index(" * Options."):header_text.index(" * Errors.")]
    found = {name: (float(lo), float(hi), opening == "(", closing == ")", float(example), False)
             for name, opening, lo, hi, closing, example in OPTION_ROW.findall(table)}
    for name, lo, hi, example in FLAG_ROW.findall(table):
        if int(hi) != int(lo) + 1 or not int(lo) <= int(example) <= int(hi):
            fail("the Options row of '%s': {%s, %s} must be two consecutive integers holding its example %s"
                 % (name, lo, hi, example))
        found[name] = (float(lo), float(hi), False, False, float(example), True)
    return found


DOMAINS = {}

# Exports that are not losses (no reduction argument); each is tested by name.
RUNTIME = {"losscore_version", "losscore_version_number", "losscore_last_error", "losscore_build_info",
           "losscore_status_string", "losscore_set_num_threads", "losscore_get_num_threads"}

CTYPES = {"float": "LC_FLOAT", "double": "LC_DOUBLE", "int64_t": "LC_INT64"}
# A uint16_t buffer holds 16-bit floats, which the export's suffix names (the header's "16-bit
# storage": the _f32 parameter list with every float buffer a uint16_t buffer of bit patterns).
STORAGE16 = {"f16": "LC_F16", "bf16": "LC_BF16"}
SUFFIX = re.compile(r"_(f32|f64|f16|bf16)$")


def ctype(name, ptype):
    """The lc_type of a buffer of C type ptype in export `name`."""
    if ptype != "uint16_t":
        return CTYPES[ptype]
    suffix = SUFFIX.search(name)
    if not suffix or suffix.group(1) not in STORAGE16:
        fail("%s: a uint16_t buffer in an export whose name does not end in _f16 or _bf16" % name)
    return STORAGE16[suffix.group(1)]


def fail(msg):
    sys.stderr.write("gen_exports.py: %s\n" % msg)
    sys.exit(1)


def c_double(v):
    if v == INF:
        return "INFINITY"
    if v == -INF:
        return "-INFINITY"
    return repr(float(v))


def parse(header_text):
    text = re.sub(r"/\*.*?\*/", " ", header_text, flags=re.S)
    text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)
    text = re.sub(r"\bLOSSCORE_API\b", " ", text)
    protos = re.findall(r"([A-Za-z_][\w\s\*]*?)\b(losscore_\w+)\s*\(([^;{]*?)\)\s*;", text)
    funcs = []
    for ret, name, params in protos:
        params = " ".join(params.split())
        plist = [] if params in ("", "void") else [p.strip() for p in params.split(",")]
        parsed = []
        for p in plist:
            m = re.match(r"^(const\s+)?(\w+)\s*(\*?)\s*(\w+)$", p)
            if not m:
                fail("%s: cannot parse the parameter '%s'" % (name, p))
            parsed.append({"const": bool(m.group(1)), "type": m.group(2), "ptr": m.group(3) == "*",
                           "name": m.group(4)})
        funcs.append({"ret": " ".join(ret.split()), "name": name, "params": parsed})
    return funcs


def describe(f):
    """The descriptor fields and adapter of one loss export."""
    name, params = f["name"], f["params"]
    base = SUFFIX.sub("", name[len("losscore_"):])
    roles, options, args = [], [], []
    info = {"input_name": None, "input_type": None, "target_type": "LC_NONE", "target_name": "", "float_type": None,
            "input2_name": None, "input3_name": None}
    if not params or params[-1]["name"] != "error" or params[-1]["type"] != "losscore_error" or not params[-1]["ptr"]:
        fail("%s: a loss whose last parameter is not `losscore_error *error`" % name)
    for p in params[:-1]:
        pname, ptype = p["name"], p["type"]
        if p["ptr"] and ptype not in CTYPES and ptype != "uint16_t":
            fail("%s: pointer parameter '%s' has an unknown type %s" % (name, pname, ptype))
        if ptype == "uint16_t":
            ctype(name, ptype)  # (fails outside a 16-bit export)
        if pname in ROLES:
            role = ROLES[pname]
            if role == "LC_TARGET" and ptype == "int64_t":
                role = "LC_TARGET_INDEX"
            roles.append(role)
            if role == "LC_INPUT":
                info["input_name"], info["input_type"] = pname, ctype(name, ptype)
                args.append("(const %s *)a->input" % ptype)
            elif role in ("LC_TARGET", "LC_TARGET_INDEX", "LC_TARGET_LABELS"):
                info["target_type"], info["target_name"] = ctype(name, ptype), pname
                args.append("(const %s *)a->target" % ptype)
            elif role == "LC_OUT":
                info["float_type"] = ctype(name, ptype)
                args.append("(%s *)a->out" % ptype)
            elif role == "LC_GRAD_INPUT":
                args.append("(%s *)a->grad_input" % ptype)
            elif role in ("LC_INPUT2", "LC_INPUT3"):
                info[FIELDS[role] + "_name"] = pname
                args.append("(const %s *)a->%s" % (ptype, FIELDS[role]))
            elif role in FIELDS:
                args.append("(%s *)a->%s" % (ptype, FIELDS[role]))
            elif p["ptr"]:
                args.append("(const %s *)a->%s" % (ptype, pname))
            elif pname == "reduction":
                if ptype != "losscore_reduction":
                    fail("%s: reduction has type %s" % (name, ptype))
                args.append("(losscore_reduction)a->reduction")
            else:
                args.append("a->%s" % pname)
        elif ptype in ("double", "int32_t") and not p["ptr"]:
            if pname not in DOMAINS:
                fail("%s: the option '%s' is not in the header's Options table" % (name, pname))
            if DOMAINS[pname][5] != (ptype == "int32_t"):
                fail("%s: the option '%s' is %s; its Options row says %s" % (
                    name, pname, ptype, "a flag {0, 1} (int32_t)" if DOMAINS[pname][5] else "a double domain"))
            slot = "a->options[%d]" % len(options)
            args.append("lc_flag(%s)" % slot if ptype == "int32_t" else slot)
            options.append(pname)
        else:
            fail("%s: parameter '%s' has no role in gen_exports.py (ROLES)" % (name, pname))
    for needed in ("LC_INPUT", "LC_N", "LC_REDUCTION", "LC_OUT"):
        if needed not in roles:
            fail("%s: a loss without %s" % (name, needed))
    if "LC_T" in roles:
        family = "LC_SEQUENCES"
    elif "LC_GRAD_INPUT" not in roles:
        family = "LC_METRIC"
    elif "LC_D" in roles:
        family = "LC_ROW_TUPLES"
    elif "LC_C" in roles:
        family = "LC_CLASS_ROWS" if "LC_INNER" in roles else "LC_CLASS_MARGINS"
    else:
        family = "LC_ELEMENTWISE"
    return {"name": name, "base": base, "roles": roles, "options": options, "args": args,
            "family": family, **info}


def check_storage16_twins(funcs):
    """Each 16-bit export has an _f32 twin whose parameters it repeats name for name, with
    every float buffer a uint16_t buffer (const as there) and every other parameter as it is."""
    by_name = {f["name"]: f for f in funcs}
    for f in funcs:
        suffix = SUFFIX.search(f["name"])
        if not suffix or suffix.group(1) not in STORAGE16:
            continue
        twin = by_name.get(SUFFIX.sub("_f32", f["name"]))
        if twin is None:
            fail("%s: a 16-bit export without an _f32 twin (%s)" % (f["name"], SUFFIX.sub("_f32", f["name"])))
        if f["ret"] != twin["ret"] or len(f["params"]) != len(twin["params"]):
            fail("%s: its return type or parameter count differs from %s's" % (f["name"], twin["name"]))
        for p, q in zip(f["params"], twin["params"]):
            want = dict(q, type="uint16_t") if q["type"] == "float" and q["ptr"] else q
            if p != want:
                fail("%s: parameter '%s' should be %s%s %s%s, as %s's '%s' (float buffers become uint16_t)" % (
                    f["name"], p["name"], "const " if want["const"] else "", want["type"], "*" if want["ptr"] else "",
                    want["name"], twin["name"], q["name"]))


def emit(descs, runtime):
    out = ["/* Generated by Tests/c/gen_exports.py from include/losscore.h; do not edit. */",
           "#ifndef LOSSCORE_TESTS_EXPORTS_TABLE_H", "#define LOSSCORE_TESTS_EXPORTS_TABLE_H", ""]
    for d in descs:
        out.append("static losscore_status lc_call_%s(const lc_args *a) {" % d["name"])
        out.append("    losscore_error record_storage, *record = lc_record_for_call(&record_storage);")
        out.append("    return lc_record_check(\"%s\", %s(%s, record), record);" % (d["name"], d["name"], ", ".join(d["args"])))
        out.append("}")
    out.append("")
    out.append("static const lc_export LC_EXPORTS[] = {")
    for d in descs:
        opts = ", ".join("{\"%s\", %s, %s, %d, %d, %s, %d}" % (o, c_double(DOMAINS[o][0]), c_double(DOMAINS[o][1]),
                                                                DOMAINS[o][2], DOMAINS[o][3], c_double(DOMAINS[o][4]),
                                                                DOMAINS[o][5])
                         for o in d["options"])
        names = ", ".join("\"%s\"" % d[k] if d[k] else "NULL" for k in ("input2_name", "input3_name"))
        out.append("    {\"%s\", \"%s\", %s, %s, %s, %s, %s, \"%s\", \"%s\", %d, {%s}, lc_call_%s, %s}," % (
            d["name"], d["base"], d["family"], " | ".join(d["roles"]), d["input_type"], d["target_type"],
            d["float_type"], d["input_name"], d["target_name"], len(d["options"]), opts or "{0}", d["name"], names))
    out.append("};")
    out.append("#define LC_NUM_EXPORTS (sizeof LC_EXPORTS / sizeof LC_EXPORTS[0])")
    out.append("")
    out.append("/* The other exports, each tested by name. */")
    out.append("static const char *const LC_RUNTIME_EXPORTS[] = {%s};" % ", ".join('"%s"' % r for r in runtime))
    out.append("#define LC_NUM_RUNTIME_EXPORTS (sizeof LC_RUNTIME_EXPORTS / sizeof LC_RUNTIME_EXPORTS[0])")
    out.append("")
    out.append("#endif")
    return "\n".join(out) + "\n"


def library_symbols(lib):
    nm = shutil.which("nm")
    if nm is None:
        sys.stderr.write("gen_exports.py: no nm; the library's symbols are not compared with the header\n")
        return None
    res = subprocess.run([nm, "-D", "--defined-only", lib], capture_output=True, text=True)
    if res.returncode != 0:
        fail("nm %s: %s" % (lib, res.stderr.strip()))
    # nm prints a versioned symbol as name@@LOSSCORE_<major>: the name is what the header declares.
    names = (line.split()[-1].split("@")[0] for line in res.stdout.splitlines() if line.split())
    return {name for name in names if name.startswith("losscore_")}


def main(argv):
    if len(argv) not in (3, 5) or (len(argv) == 5 and argv[3] != "--lib"):
        fail("usage: gen_exports.py HEADER OUT [--lib LIBRARY]")
    with open(argv[1]) as fh:
        header_text = fh.read()
    DOMAINS.update(domains(header_text))
    funcs = parse(header_text)
    if not funcs:
        fail("no losscore_ prototypes in %s" % argv[1])
    check_storage16_twins(funcs)
    descs, runtime = [], []
    for f in funcs:
        if any(p["name"] == "reduction" for p in f["params"]):
            if f["ret"] != "losscore_status":
                fail("%s: a loss that does not return losscore_status" % f["name"])
            descs.append(describe(f))
        elif f["name"] in RUNTIME:
            runtime.append(f["name"])
        else:
            fail("%s is neither a loss (no reduction argument) nor a known runtime function" % f["name"])
    missing = RUNTIME - set(runtime)
    if missing:
        fail("runtime functions missing from the header: %s" % ", ".join(sorted(missing)))
    if len(argv) == 5:
        syms = library_symbols(argv[4])
        declared = {f["name"] for f in funcs}
        if syms is not None and syms - declared:
            fail("the library exports symbols the header does not declare: %s" % ", ".join(sorted(syms - declared)))
        if syms is not None and declared - syms:
            fail("the header declares functions the library does not export: %s" % ", ".join(sorted(declared - syms)))
    with open(argv[2], "w") as fh:
        fh.write(emit(descs, runtime))


if __name__ == "__main__":
    main(sys.argv)
