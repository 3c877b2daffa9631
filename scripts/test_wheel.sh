#!/usr/bin/env bash
# Builds the Python wheel as `pip wheel ./bindings/python` does, bundling the library this
# tree's scripts/build.sh made (LOSSCORE_LIBRARY: the wheel's own build of it is the same
# script, the same default build), and checks the wheel: its name and tags, its
# files (stripped library, license, type information), its metadata; then installs it into
# a temporary directory and computes a loss with it from another directory; then, as a user
# would, installs the same wheel with pip into fresh virtual environments of two Python
# versions (3.11 and the newest other 3.x found: python3.13, python3.12, ...; pip fetches
# numpy, or takes it from its cache) and computes with it from another directory.
# The build uses .venv (setuptools >= 77, numpy). Exits non-zero on any failure.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
python=$repo/.venv/bin/python
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -rf bindings/python/build bindings/python/losscore.egg-info  # no files of an earlier build
LOSSCORE_LIBRARY=$repo/.build/release/liblosscore.so "$python" -m pip wheel -q --no-deps \
    --no-build-isolation -w "$work/dist" ./bindings/python
rm -rf bindings/python/build bindings/python/losscore.egg-info
wheel=$(ls "$work"/dist/*.whl)
echo "built $(basename "$wheel") ($(($(stat -c %s "$wheel") / 1024)) KiB)"

"$python" - "$wheel" "$repo/include/losscore.h" <<'PYTHON'
import re
import struct
import sys
import zipfile
from email.parser import Parser

wheel, header = sys.argv[1:]
version = re.search(r'#define LOSSCORE_VERSION_STRING "([^"]+)"', open(header).read()).group(1)
name = wheel.rsplit("/", 1)[-1]
failures = []
tag = re.fullmatch(rf"losscore-{re.escape(version)}-py3-none-(manylinux_2_\d+_x86_64|linux_\w+)\.whl", name)
if not tag:
    failures.append(f"wheel name {name}: expected losscore-{version}-py3-none-<platform>.whl")
files = zipfile.ZipFile(wheel).namelist()
info = f"losscore-{version}.dist-info"
for required in ("losscore/_lib/liblosscore.so", "losscore/py.typed", "losscore/functional.pyi",
                 "losscore/nn.pyi", "losscore/torch/__init__.py", "losscore/torch/functional.pyi",
                 "losscore/torch/nn.pyi", f"{info}/licenses/LICENSE", f"{info}/METADATA"):
    if required not in files:
        failures.append(f"missing {required}")
with zipfile.ZipFile(wheel) as archive:
    metadata = Parser().parsestr(archive.read(f"{info}/METADATA").decode())
    library = archive.read("losscore/_lib/liblosscore.so")
    wheel_info = archive.read(f"{info}/WHEEL").decode()
for field in ("Summary", "License-Expression", "Author", "Maintainer", "Requires-Python", "Keywords",
              "Classifier", "Description-Content-Type", "Requires-Dist"):
    if not metadata.get(field):
        failures.append(f"METADATA has no {field}")
if metadata.get("License-Expression") != "MIT":
    failures.append(f"License-Expression is {metadata.get('License-Expression')!r}")
if "# losscore" not in metadata.get_payload():
    failures.append("METADATA has no description (the package's README)")
if f"Tag: py3-none-{tag.group(1) if tag else ''}" not in wheel_info:
    failures.append("WHEEL's Tag differs from the name's")
# The library's section names (ELF64 little-endian): a stripped one has no .debug_* sections.
shoff, = struct.unpack_from("<Q", library, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", library, 0x3A)
headers = [struct.unpack_from("<IIQQQQIIQQ", library, shoff + i * shentsize) for i in range(shnum)]
names_at = headers[shstrndx][4]
sections = [library[names_at + h[0]:library.index(b"\0", names_at + h[0])].decode() for h in headers]
if ".dynsym" not in sections or any(s.startswith(".debug") for s in sections):
    failures.append(f"the bundled library is not a stripped shared library: sections {sections}")
for failure in failures:
    print("FAIL:", failure, file=sys.stderr)
sys.exit(1 if failures else 0)
PYTHON
echo "ok: name, tags, files (stripped library, license, py.typed, stubs) and metadata"

"$python" -m pip install -q --no-deps --target "$work/site" "$wheel"
out=$(cd "$work" && PYTHONPATH=$work/site "$python" -c '
import numpy as np, losscore, losscore.functional as F
print(losscore.__file__)
print("MAE error is:", F.l1_loss(np.array([0.0, 0.1, 0.2]), np.array([0.0, 0.2, 0.25])))')
echo "$out"
case "$out" in
"$work/site/losscore/__init__.py"*"MAE error is: 0.049999999999999996") echo "wheel: ok" ;;
*) echo "FAIL: the installed wheel did not compute the tutorial's MAE from its own copy" >&2; exit 1 ;;
esac

# Fresh virtual environments of two Python versions: the wheel's tag must let both install it.
# On PATH, or pyenv's (whose shims answer only for its selected versions).
versions=() seen=" "
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
for candidate in python3.11 "$pyenv_root"/versions/3.11*/bin/python3 python3.13 python3.12 \
    "$pyenv_root"/versions/3.13*/bin/python3 "$pyenv_root"/versions/3.12*/bin/python3 python3.10 python3.9; do
    version=$("$candidate" -c 'import sys, venv; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || continue
    case "$seen" in *" $version "*) continue ;; esac
    seen="$seen$version "
    versions+=("$candidate")
    [ ${#versions[@]} = 2 ] && break
done
[ ${#versions[@]} = 2 ] || { echo "FAIL: two Python versions are needed (found: ${versions[*]:-none})" >&2; exit 1; }
for interpreter in "${versions[@]}"; do
    env_dir=$(mktemp -d "$work/venv.XXXX")
    "$interpreter" -m venv "$env_dir"
    "$env_dir/bin/python" -m pip install -q --disable-pip-version-check "$wheel" ||
        { echo "FAIL: pip install of the wheel into a fresh $interpreter environment" >&2; exit 1; }
    out=$(cd "$work" && "$env_dir/bin/python" -c '
import sys, numpy as np, losscore, losscore.functional as F
print("Python %d.%d" % sys.version_info[:2], losscore.__file__.startswith(sys.prefix))
print("MAE error is:", F.l1_loss(np.array([0.0, 0.1, 0.2]), np.array([0.0, 0.2, 0.25])))')
    echo "$interpreter: $(echo "$out" | tr '\n' ' ')"
    case "$out" in
    "Python "*" True"*"MAE error is: 0.049999999999999996") ;;
    *) echo "FAIL: the wheel installed into a fresh $interpreter environment did not compute the tutorial's MAE" >&2; exit 1 ;;
    esac
done
echo "wheel: installs and computes in fresh environments of ${versions[*]}"
