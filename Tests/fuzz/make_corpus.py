#!/usr/bin/env python3
"""Writes the seed corpus of the fuzzer (Tests/fuzz/fuzz_exports.c) into Tests/fuzz/corpus.

    Tests/fuzz/make_corpus.py [OUTDIR]

Inputs are encoded in the harness's layout (see the comment at the top of fuzz_exports.c);
each export of include/losscore.h, in the order of the generated export table, gets seeds
that reach its main paths: small valid calls of each reduction with every optional argument,
a call large enough for the parallel path (repeated with another thread count), and special
values in the data; a 16-bit export (_f16, _bf16) also any 16-bit patterns, and NaNs,
infinities, subnormals and the largest values of its type as raw bits. Each family
(elementwise, class rows, class margins, metrics, row tuples; with each kind of target and
weight count; and again for each 16-bit type) also gets seeds for the refusals: huge sizes,
invalid reductions and options, NULL buffers, empty inputs, class indices and labels out of
range, pos_weight and weight counts. The files are deterministic: rerunning the script
rewrites the same corpus.

Findings are kept as regression-* seeds (REGRESSIONS below): a minimized reproducer's bytes
after the export index, bound to its export by name, so that they still reach the same export
when the header gains exports (the index is the export's position in the table). Rerun the
script after the header changes.
"""
import importlib.util
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# Field values of the harness (fuzz_exports.c).
THREADS = {1: 0, 2: 1, 4: 2, 0: 3}          # bits 0-1 / 2-3 of the threads byte
REPEAT, PROBE_THREADS = 0x10, 0x20
SMALL, MEDIUM, LARGE, HUGE = 0, 10, 14, 15  # size modes
HUGE_INDEX = {"SIZE_MAX": 0, "2^63": 2, "2^32": 10, "2^32+1": 11, "2^32-1": 12, "2^31+1": 13,
              "2^60": 7, "2^61": 6, "0": 20, "1": 21, "2": 22, "3": 23}
OPT_TYPICAL, OPT_NAN, OPT_INF, OPT_NEG_INF, OPT_NEG_ZERO, OPT_LO, OPT_HI = 0x81, 0, 2, 3, 5, 11, 12
OPT_BELOW_LO, OPT_ABOVE_HI, OPT_DENORMAL = 13, 16, 6
W, PW, GO, GI = 1, 2, 4, 8                  # present bits
NULL_INPUT, NULL_TARGET, NULL_OUT, NULL_INPUT2, NULL_INPUT3 = 0xC1, 0xC2, 0xC4, 0xC8, 0xD0
NO_GRAD2, NO_GRAD3 = 0x40, 0x80            # present bits: row tuples without one gradient
RANGE_PROB, RANGE_3, RANGE_30, RANGE_LOG, RANGE_HALVES, RANGE_BITS, RANGE_INT = 0, 1, 2, 4, 5, 6, 7
IDX_SOME_IGNORED, IDX_ALL_IGNORED, IDX_WILD = 5, 6, 7
B_INPUT, B_TARGET, B_WEIGHT, B_POS_WEIGHT, B_GRAD_OUTPUT = range(5)
# Special value codes (special_float / special_index in the harness).
NAN, NEG_NAN, INF, NEG_INF, ZERO, NEG_ZERO, DENORMAL = 0, 1, 2, 3, 4, 5, 6
NEAR_ONE, BIG_LOGIT = 20, 24
RAW = 0xF8  # a special whose 8 raw bytes follow (a 16-bit float takes the low 2)
# Raw 16-bit patterns: the smallest and largest subnormals (and the smallest negative), the
# largest finite value, a signalling NaN, a negative quiet NaN with a payload, infinity, -0.
RAW16 = {"LC_F16": (0x0001, 0x03FF, 0x8001, 0x7BFF, 0x7C01, 0xFE01, 0x7C00, 0x8000),
         "LC_BF16": (0x0001, 0x007F, 0x8001, 0x7F7F, 0x7F81, 0xFFC1, 0x7F80, 0x8000)}
IDX_MINUS_ONE, IDX_C, IDX_IGNORE, IDX_INT64_MIN, IDX_INT64_MAX = 0, 1, 3, 4, 5
REDUCTIONS = {"none": 0, "mean": 1, "sum": 2, "3": 0xF0, "-1": 0xF3, "INT_MIN": 0xF6}


# Minimized reproducers of findings: (seed name, export, the input's bytes after the u16
# export index, in hex). Each violated the contract before its fix; every run starts from them.
REGRESSIONS = [
    # An empty batch (n * inner = 0) with a weight of c = 2^61 doubles (2^64 bytes) succeeded.
    ("regression-empty-batch-weight-count", "losscore_nll_loss_f64", "006c6f5f73636f726541e9c36f73735f"),
    # n = 0 with a pos_weight of pos_weight_count = 2^62 floats (2^64 bytes) succeeded.
    ("regression-empty-batch-pos-weight-count", "losscore_binary_cross_entropy_with_logits_f32",
     "08020000000300020025008181818112000001000000"),
    # 2^16 + 2047 elements, weight and a periodic pos_weight, reduced, with a gradient: some
    # NaN gradients got another sign or payload on 4 threads than on 1 (the serial loop ran an
    # inlined copy of the block's code).
    ("regression-nan-bits-thread-count", "losscore_binary_cross_entropy_with_logits_f32",
     "18010eff1f030002001200818181811f00c601000000"),
]


def load_exports():
    """The loss exports in the order of the generated table (gen_exports.py's own parsing)."""
    sys.dont_write_bytecode = True  # no __pycache__ in the source tree
    spec = importlib.util.spec_from_file_location("gen_exports", os.path.join(REPO, "Tests", "c", "gen_exports.py"))
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    with open(os.path.join(REPO, "include", "losscore.h")) as fh:
        text = fh.read()
    gen.DOMAINS.update(gen.domains(text))
    return [gen.describe(f) for f in gen.parse(text) if any(p["name"] == "reduction" for p in f["params"])]


def encode(index, *, threads=1, threads2=4, repeat=False, probe=False, reduction="mean", size_mode=SMALL,
           a=4, b=3, d=2, pwc_mode=0, ignore_mode=0, options=(OPT_TYPICAL,) * 4, raw_options=(),
           present=W | PW | GO | GI, slack=1, nulls=0, data=RANGE_PROB, seed=1, specials=()):
    flags = THREADS[threads] | THREADS[threads2] << 2 | (REPEAT if repeat else 0) | (PROBE_THREADS if probe else 0)
    out = struct.pack("<HBBBHHHBB", index, flags, REDUCTIONS[reduction], size_mode, a, b, d, pwc_mode, ignore_mode)
    out += bytes(options) + bytes([present | slack << 4, nulls, data]) + struct.pack("<I", seed)
    for value in raw_options:
        out += struct.pack("<d", value)
    for buf, pos, code, *raw in specials:  # (buf, pos, code) or (buf, pos, RAW, bits)
        out += struct.pack("<BHB", buf, pos, code) + b"".join(struct.pack("<Q", r) for r in raw)
    return out


def seeds_for(i, e):
    """(name, bytes) seeds of export i: small calls, the parallel path, special values."""
    fam, roles = e["family"], set(e["roles"])
    has_c = "LC_C" in roles or "LC_D" in roles  # sized alike: b is c or the row width d
    small = dict(a=5, b=3, d=2) if has_c else dict(a=12)
    out = []
    out.append(("small-none", encode(i, reduction="none", repeat=True, seed=11, **small)))
    out.append(("small-mean-no-optionals", encode(i, reduction="mean", present=0, data=RANGE_3, seed=12, **small)))
    # Parallel path: 2^16 + 2047 elements (three blocks), serial then four threads.
    large = dict(a=1 << 12 | 4095, b=9, d=1) if has_c else dict(a=1 << 12 | 4095)
    out.append(("large-sum", encode(i, reduction="sum", size_mode=LARGE, repeat=True, threads=1, threads2=4, seed=13, **large)))
    out.append(("large-none", encode(i, reduction="none", size_mode=LARGE, repeat=True, threads=4, threads2=1,
                                     data=RANGE_30, present=GO | GI, seed=14, **large)))
    specials = [(B_INPUT, 0, NAN), (B_INPUT, 1, INF), (B_INPUT, 2, NEG_INF), (B_INPUT, 3, NEG_ZERO),
                (B_INPUT, 4, DENORMAL), (B_TARGET, 5, BIG_LOGIT), (B_TARGET, 6, NEAR_ONE),
                (B_WEIGHT, 1, ZERO), (B_GRAD_OUTPUT, 0, NAN)]
    if fam == "LC_ELEMENTWISE":
        out.append(("specials", encode(i, reduction="none", data=RANGE_LOG, seed=15, specials=specials, **small)))
    else:
        out.append(("specials", encode(i, reduction="none", data=RANGE_3, ignore_mode=1, seed=15,
                                       specials=[s for s in specials if s[0] != B_TARGET], **small)))
    if e["options"]:
        out.append(("option-edges", encode(i, reduction="sum", options=(OPT_LO, OPT_HI, OPT_LO, OPT_HI), seed=16, **small)))
    if e["float_type"] in RAW16:
        raw = [(buf, pos, RAW, bits) for pos, bits in enumerate(RAW16[e["float_type"]])
               for buf in (B_INPUT, B_TARGET, B_WEIGHT, B_GRAD_OUTPUT)]
        out += [
            ("bit-patterns", encode(i, reduction="none", data=RANGE_BITS | 0xC0, repeat=True, seed=17, **small)),
            ("bit-patterns-sum", encode(i, reduction="sum", data=RANGE_BITS | 0xC0, seed=18, **small)),
            ("bit-patterns-large", encode(i, reduction="mean", size_mode=LARGE, data=RANGE_BITS, repeat=True, seed=19,
                                          **large)),
            ("raw-specials", encode(i, reduction="none", data=RANGE_3, seed=20, specials=raw, **small)),
        ]
    return out


def family_seeds(i, e):
    """Refusal seeds for the first export of each family."""
    roles = set(e["roles"])
    has_c = "LC_C" in roles
    small = dict(a=5, b=3, d=2) if has_c or "LC_D" in roles else dict(a=12)
    out = [
        ("huge-n", encode(i, size_mode=HUGE, a=HUGE_INDEX["SIZE_MAX"], b=HUGE_INDEX["3"], d=HUGE_INDEX["2"])),
        ("huge-2^63", encode(i, size_mode=HUGE, a=HUGE_INDEX["2^63"], b=HUGE_INDEX["1"], d=HUGE_INDEX["1"], reduction="none")),
        ("huge-bytes", encode(i, size_mode=HUGE, a=HUGE_INDEX["2^61"], b=HUGE_INDEX["1"], d=HUGE_INDEX["1"])),
        ("invalid-reduction", encode(i, reduction="3", **small)),
        ("invalid-reduction-int-min", encode(i, reduction="INT_MIN", present=0, **small)),
        ("null-input", encode(i, nulls=NULL_INPUT, **small)),
        ("null-out-reduced", encode(i, nulls=NULL_OUT, reduction="sum", **small)),
        ("empty-mean", encode(i, a=0, b=3, d=1, reduction="mean", nulls=NULL_INPUT | NULL_TARGET)),
        ("empty-none-null-out", encode(i, a=0, reduction="none", nulls=NULL_INPUT | NULL_TARGET | NULL_OUT)),
        ("thread-probe", encode(i, probe=True, threads=0, **small)),
        ("medium-integers", encode(i, size_mode=MEDIUM, a=300, b=20, d=3, data=RANGE_INT, repeat=True, seed=31)),
        ("kinks", encode(i, reduction="none", data=RANGE_HALVES, seed=32, **small)),
        ("random-bits", encode(i, reduction="sum", data=RANGE_BITS | 0xC0, seed=33, **small)),
    ]
    if e["options"]:
        out.append(("option-nan", encode(i, options=(OPT_NAN,) * 4, **small)))
        out.append(("option-out-of-domain", encode(i, options=(OPT_BELOW_LO, OPT_ABOVE_HI, OPT_NEG_INF, OPT_INF), **small)))
        out.append(("option-signed-zero-denormal", encode(i, options=(OPT_NEG_ZERO, OPT_DENORMAL) * 2, **small)))
        out.append(("option-raw", encode(i, options=(31, 31, 31, 31), raw_options=(-0.5, 1.5, 7.0, -3.0), **small)))
    if has_c:
        huge_c = dict(a=HUGE_INDEX["2^32"], b=HUGE_INDEX["2^32"], d=HUGE_INDEX["1"])
        out += [
            ("huge-product", encode(i, size_mode=HUGE, **huge_c)),
            ("zero-classes", encode(i, a=4, b=0, d=2)),
            ("index-out-of-range", encode(i, data=RANGE_3 | IDX_WILD << 3, seed=21, **small)),
            ("index-int64-min", encode(i, data=RANGE_3, specials=[(B_TARGET, 1, IDX_INT64_MIN)], **small)),
            ("index-edges", encode(i, data=RANGE_3, ignore_mode=1, specials=[
                (B_TARGET, 0, IDX_MINUS_ONE), (B_TARGET, 2, IDX_IGNORE), (B_TARGET, 3, IDX_C), (B_TARGET, 4, IDX_INT64_MAX)], **small)),
            ("index-ignored", encode(i, data=RANGE_3 | IDX_SOME_IGNORED << 3, ignore_mode=4, **small)),
            ("index-all-ignored", encode(i, data=RANGE_3 | IDX_ALL_IGNORED << 3, reduction="mean", **small)),
            ("many-classes", encode(i, size_mode=LARGE, a=1 << 12 | 4095, b=0x8000 | 100, d=0, repeat=True, seed=22)),
        ]
    if "LC_TARGET_LABELS" in roles:
        out += [
            ("labels-out-of-range", encode(i, data=RANGE_3 | IDX_WILD << 3, seed=23, **small)),
            ("labels-edges", encode(i, data=RANGE_3, specials=[
                (B_TARGET, 0, IDX_MINUS_ONE), (B_TARGET, 2, IDX_C), (B_TARGET, 4, IDX_INT64_MIN)], **small)),
            ("labels-none", encode(i, reduction="none", data=RANGE_3 | IDX_ALL_IGNORED << 3, ignore_mode=1, **small)),
        ]
    if "LC_WEIGHT_COUNT" in roles:
        for mode, name in ((0, "c"), (1, "n-times-c"), (2, "zero"), (3, "c-plus-one"), (6 | 2 << 3, "huge")):
            out.append(("weight-count-" + name, encode(i, pwc_mode=mode, present=W | GI, **small)))
        out.append(("weight-count-per-element-large", encode(i, size_mode=LARGE, pwc_mode=1, present=W | GI, repeat=True,
                                                           a=1 << 12 | 4095, b=9, d=1)))
    if "LC_D" in roles:
        norm_p = e["options"].index("norm_p") if "norm_p" in e["options"] else None
        no_identity = tuple(31 if k == norm_p else OPT_TYPICAL for k in range(4))
        out += [
            ("rows-without-values", encode(i, a=5, b=0, reduction="none", nulls=NULL_INPUT | NULL_INPUT2 | NULL_INPUT3)),
            ("null-second", encode(i, nulls=NULL_INPUT2, **small)),
            ("null-third", encode(i, nulls=NULL_INPUT3, reduction="none", **small)),
            ("one-gradient", encode(i, present=GO | GI | NO_GRAD2 | NO_GRAD3, reduction="none", **small)),
            ("wide-rows", encode(i, size_mode=LARGE, a=1 << 12 | 4095, b=0x8000 | 700, d=0, repeat=True, seed=23)),
        ]
        if norm_p is not None:
            out.append(("norm-without-identity", encode(i, a=5, b=0, options=no_identity, raw_options=(-1.0,))))
    if "LC_VAR_REPEAT" in roles:  # var_repeat / var_inner modes (the pos_weight_count byte)
        for mode, name in ((1, "one"), (2, "rows"), (3, "middle"), (4, "zero"), (5, "huge"), (6 | 1 << 3, "huge-inner"),
                           (7, "non-divisor")):
            out.append(("var-sharing-" + name, encode(i, pwc_mode=mode, repeat=True, **small)))
        out.append(("var-sharing-rows-large", encode(i, size_mode=LARGE, a=1 << 12 | 4095, pwc_mode=2 | 6 << 3,
                                                     repeat=True, threads=1, threads2=2)))
        out.append(("var-negative", encode(i, data=RANGE_3 | IDX_WILD << 3, **small)))
    if "LC_POS_WEIGHT" in roles:
        for mode, name in ((1, "n"), (2, "divisor"), (3, "zero"), (6, "non-divisor"), (5 | 0 << 3, "huge")):
            out.append(("pos-weight-count-" + name, encode(i, pwc_mode=mode, present=W | PW | GI, **small)))
        out.append(("pos-weight-count-divisor-large", encode(i, size_mode=LARGE, a=1 << 12 | 4095, pwc_mode=2 | 2 << 3,
                                                           present=PW | GI, repeat=True)))
    return out


def main(argv):
    outdir = argv[1] if len(argv) > 1 else os.path.join(HERE, "corpus")
    os.makedirs(outdir, exist_ok=True)
    for name in os.listdir(outdir):
        os.remove(os.path.join(outdir, name))
    exports = load_exports()
    index = {e["name"]: i for i, e in enumerate(exports)}
    seen_families = set()
    count = 0
    for i, e in enumerate(exports):
        seeds = seeds_for(i, e)
        key = (e["family"], "LC_POS_WEIGHT" in e["roles"], "LC_VAR_REPEAT" in e["roles"], bool(e["options"]),
               "LC_TARGET_LABELS" in e["roles"], "LC_WEIGHT_COUNT" in e["roles"],
               e["float_type"] if e["float_type"] in RAW16 else None)
        if key not in seen_families:
            seen_families.add(key)
            seeds += family_seeds(i, e)
        for what, data in seeds:
            with open(os.path.join(outdir, "%s-%s" % (e["name"][len("losscore_"):], what)), "wb") as fh:
                fh.write(data)
            count += 1
    for name, export, tail in REGRESSIONS:
        with open(os.path.join(outdir, name), "wb") as fh:
            fh.write(struct.pack("<H", index[export]) + bytes.fromhex(tail))
        count += 1
    print("make_corpus.py: %d seeds for %d exports in %s" % (count, len(exports), outdir))


if __name__ == "__main__":
    main(sys.argv)
