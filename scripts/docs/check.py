"""The Swift reference's inputs and the checks of the API reference that scripts/docs.sh builds.

    check.py graphs SRC DEST        copies the LossCore module's symbol graphs from SRC into DEST
                                    without the C exports (Sources/LossCore/CABI: the C header is
                                    their reference)
    check.py comments GRAPHS        every public Swift symbol has a doc comment, and every public
                                    loss function has the template's parts: a formula, each
                                    parameter, Returns, Throws, Reduction, Gradients, and an
                                    Example unless it takes raw buffers
    check.py examples GRAPHS WORK   runs every ```swift example of the doc comments in a package
                                    (in WORK) that depends on this checkout; each print must show
                                    what its comment says (after a `≈`: to the digits shown)
    check.py pages OUT              the reference in OUT has a page for every Python function and
                                    class, every public Swift loss function, and the C header

The Python docstrings' template and examples are checked by bindings/python/tests/test_docstrings.py.
"""
from __future__ import annotations

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULE = "/Sources/LossCore/"
CATALOG = ROOT / "Sources" / "LossCore" / "LossCore.docc"  # the reference's articles
FAMILIES = ("Elementwise", "ClassRows", "ClassMargins", "RowTuples", "Sequences", "Metrics")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def fail(problems: list, what: str) -> None:
    if problems:
        print(f"docs: {len(problems)} problem(s) with {what}:", *problems, sep="\n  ", file=sys.stderr)
        sys.exit(1)


def source_folder(symbol) -> str | None:
    """The folder of Sources/LossCore a symbol is declared in (None: synthesized, or not ours)."""
    uri = symbol.get("location", {}).get("uri", "")
    return uri.split(MODULE, 1)[1].split("/")[0] if MODULE in uri else None


def module_graphs(folder: Path) -> list:
    return sorted(folder.glob("LossCore*.symbols.json"))


def graphs(source: str, destination: str) -> None:
    """The module's graphs without the C exports and the relationships that name them."""
    Path(destination).mkdir(parents=True, exist_ok=True)
    for path in module_graphs(Path(source)):
        graph = json.loads(path.read_text())
        dropped = {s["identifier"]["precise"] for s in graph["symbols"] if source_folder(s) == "CABI"}
        graph["symbols"] = [s for s in graph["symbols"] if s["identifier"]["precise"] not in dropped]
        graph["relationships"] = [r for r in graph.get("relationships", [])
                                  if r["source"] not in dropped and r["target"] not in dropped]
        (Path(destination) / path.name).write_text(json.dumps(graph))


def symbols(folder: str) -> list:
    """The documented module's own public symbols (declared in its sources)."""
    found = []
    for path in module_graphs(Path(folder)):
        found += [s for s in json.loads(path.read_text())["symbols"] if source_folder(s) not in (None, "CABI")]
    return found


def doc_text(symbol) -> str:
    return "\n".join(line["text"] for line in symbol.get("docComment", {}).get("lines", []))


def name(symbol) -> str:
    return ".".join(symbol["pathComponents"])


def is_loss_function(symbol) -> bool:
    return symbol["kind"]["identifier"] == "swift.func" and source_folder(symbol) in FAMILIES


def takes_buffers(symbol) -> bool:
    fragments = json.dumps(symbol.get("functionSignature", {}).get("parameters", []))
    return "Unsafe" in fragments or "Buffers" in fragments


def comments(folder: str) -> None:
    problems, losses = [], 0
    for symbol in symbols(folder):
        text = doc_text(symbol)
        if not text.strip():
            problems.append(f"{name(symbol)}: no doc comment")
            continue
        if not is_loss_function(symbol):
            continue
        losses += 1
        signature = symbol.get("functionSignature", {})
        head = text.split("- Parameters:")[0]
        if not re.search(r"^    \S", head, re.M):
            problems.append(f"{name(symbol)}: no formula (an indented line before the parameters)")
        for parameter in signature.get("parameters", []):
            names = {parameter["name"], parameter.get("internalName", parameter["name"])}
            if not any(re.search(rf"^  - {re.escape(n)}:", text, re.M) for n in names):
                problems.append(f"{name(symbol)}: parameter {parameter['name']} is not documented")
        returns = "".join(f["spelling"] for f in signature.get("returns", []))
        parts = ["- Throws:", "## Reduction", "## Gradients"]
        parts += ["- Returns:"] if returns not in ("", "()", "Void") else []
        parts += [] if takes_buffers(symbol) else ["## Example", "```swift"]
        problems += [f"{name(symbol)}: no {part}" for part in parts if part not in text]
    fail(problems, "the Swift doc comments")
    if losses < 24:
        fail([f"only {losses} loss functions found in {folder}"], "the symbol graphs")
    print(f"docs: every public Swift symbol is documented; {losses} loss functions in the template")


def examples_of(folder: str) -> list:
    """(where, code lines) of every ```swift block of the doc comments and the catalog's articles."""
    texts = [(name(symbol), doc_text(symbol)) for symbol in symbols(folder)]
    texts += [(str(path.relative_to(ROOT)), path.read_text()) for path in sorted(CATALOG.glob("*.md"))]
    found = []
    for where, text in texts:
        for block in re.findall(r"^```swift\n(.*?)^```", text, re.M | re.S):
            lines = [line for line in block.rstrip("\n").split("\n") if not line.startswith("import ")]
            found.append((where, lines))
    return found


def shows(printed: str, comment: str) -> bool:
    """Whether a printed line is what its comment says: equal, or after `≈ `, equal in its text and
    in each number to the digits the comment shows."""
    if not comment.startswith("≈ "):
        return printed == comment
    comment = comment[2:]
    if NUMBER.split(printed) != NUMBER.split(comment):
        return False
    for got, shown in zip(NUMBER.findall(printed), NUMBER.findall(comment)):
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        if abs(float(got) - float(shown)) > 0.5 * 10.0 ** -decimals * (1 + 1e-9):
            return False
    return True


def examples(folder: str, work: str) -> None:
    found = examples_of(folder)
    package = Path(work) / "examples"
    (package / "Sources" / "examples").mkdir(parents=True, exist_ok=True)
    link = Path(work) / "losscore"
    if not link.exists():
        link.symlink_to(ROOT)
    (package / "Package.swift").write_text(
        "// swift-tools-version:6.0\nimport PackageDescription\n"
        'let package = Package(name: "examples", dependencies: [.package(path: "../losscore")],\n'
        '    targets: [.executableTarget(name: "examples", dependencies: [.product(name: "LossCoreStatic", '
        'package: "losscore")])])\n')
    source = ["import LossCore", ""]
    for k, (_, lines) in enumerate(found):
        source += [f"func example{k}() throws {{", *("    " + line for line in lines), "}", ""]
    source += [f'print("@@ {k}"); try example{k}()' for k in range(len(found))]
    (package / "Sources" / "examples" / "main.swift").write_text("\n".join(source) + "\n")
    run = subprocess.run(["swift", "run", "--package-path", str(package), "-q", "examples"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        fail([run.stdout[-3000:] + run.stderr[-3000:]], "running the Swift examples")
    printed = {}
    for line in run.stdout.splitlines():
        if line.startswith("@@ "):
            current = printed.setdefault(int(line[3:]), [])
        else:
            current.append(line)
    problems = []
    for k, (symbol, lines) in enumerate(found):
        expected = [line.split("  // ", 1)[1] for line in lines if line.lstrip().startswith("print(")]
        if len(expected) != sum(line.lstrip().startswith("print(") for line in lines):
            problems.append(f"{symbol}: a print without its `  // output` comment")
        got = printed.get(k, [])
        if len(got) != len(expected) or not all(map(shows, got, expected)):
            problems.append(f"{symbol}: printed {got}, its comments say {expected}")
    fail(problems, "the Swift examples")
    print(f"docs: {len(found)} Swift examples ran and printed what they show")


def pages(out: str) -> None:
    out = Path(out)
    sys.path.insert(0, str(ROOT / "bindings" / "python"))
    import losscore.functional as F
    import losscore.nn as nn

    problems = []
    for module, names in (("functional", F.__all__), ("nn", nn.__all__)):
        page = (out / "python" / "losscore" / f"{module}.html").read_text()
        text = html.unescape(re.sub(r"<[^>]+>", "", page))  # the code is highlighted token by token
        problems += [f"python: no section for {module}.{n}" for n in names if f'id="{n}"' not in page]
        prefix = "F." if module == "functional" else "nn."
        problems += [f"python: no example of {module}.{n}" for n in names if f">>> " not in text
                     or f"{prefix}{n}(" not in text]
    swift = out / "swift" / "documentation" / "losscore"
    made = {p.name for p in swift.iterdir()} if swift.is_dir() else set()
    functions = [s for s in symbols(os.environ["LOSSCORE_SYMBOL_GRAPHS"]) if is_loss_function(s)]
    for symbol in functions:
        page = symbol["pathComponents"][0].lower()
        if not any(p == page or p.startswith(page + "-") for p in made):
            problems.append(f"swift: no page for {name(symbol)}")
    header = out / "c" / "losscore.h"
    if not header.is_file() or header.read_bytes() != (ROOT / "include" / "losscore.h").read_bytes():
        problems.append("c: docs/api/c/losscore.h is not the header")
    fail(problems, f"the reference in {out}")
    print(f"docs: pages for {len(F.__all__)} functions and {len(nn.__all__)} classes (Python), "
          f"{len(functions)} loss functions (Swift), and the C header")


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"graphs": graphs, "comments": comments, "examples": examples, "pages": pages}[command](*arguments)
