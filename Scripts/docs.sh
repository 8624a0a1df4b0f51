#!/usr/bin/env bash
# Builds the DocC documentation of the library modules with the toolchain's docc, warnings as
# errors, so a broken symbol link fails the run. Output: .build/docs/<Module>/ (open
# index.html through a static file server, or pass --transform-for-static-hosting yourself).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

modules=(LLMDevOpsMetrics LLMDevOpsMetricsTesting LLMDevOpsCollectors LLMDevOpsSidecarEmitter LLMDevOpsMetricsServer)
docc=$(command -v docc || true)
if [[ -z "$docc" ]]; then
    docc="$(dirname "$(command -v swift)")/docc"
fi

log=$(mktemp)
if ! swift package dump-symbol-graph --minimum-access-level public >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
rm -f "$log"
mkdir -p .build/docs
graphs=.build/$(uname -m)-unknown-linux-gnu/symbolgraph
[[ -d "$graphs" ]] || graphs=$(dirname "$(find .build -name 'LLMDevOpsMetrics.symbols.json' -path '*symbolgraph*' | head -n 1)")

# Every public symbol of the library modules must carry a doc comment: DocC only warns about
# broken links, so an undocumented public symbol would otherwise pass. Symbols the compiler
# synthesises or inherits from other modules (Equatable's !=, a RawRepresentable's rawValue)
# have no location in our sources and are not ours to document.
if ! python3 - "$graphs" "${modules[@]}" <<'PY'
import glob, json, os, sys
graphs, modules = sys.argv[1], sys.argv[2:]
missing = []
for module in modules:
    files = [os.path.join(graphs, f"{module}.symbols.json")] + sorted(glob.glob(os.path.join(graphs, f"{module}@*.symbols.json")))
    for path in files:
        with open(path) as handle:
            graph = json.load(handle)
        for symbol in graph["symbols"]:
            if symbol.get("accessLevel") not in ("public", "open"):
                continue
            location = symbol.get("location", {}).get("uri", "")
            if "::SYNTHESIZED::" in symbol["identifier"]["precise"] or "/Sources/" not in location:
                continue
            lines = symbol.get("docComment", {}).get("lines", [])
            if not any(line.get("text", "").strip() for line in lines):
                file = location.split("/Sources/", 1)[1]
                line = symbol["location"]["position"]["line"] + 1
                missing.append(f"Sources/{file}:{line}: {'.'.join(symbol['pathComponents'])} ({symbol['kind']['displayName']})")
for entry in sorted(set(missing)):
    print(f"[docs] undocumented public symbol: {entry}", file=sys.stderr)
sys.exit(1 if missing else 0)
PY
then
    echo "[docs] FAILED: every public symbol needs a /// doc comment" >&2
    exit 1
fi

status=0
for module in "${modules[@]}"; do
    input=$(mktemp -d)
    cp "$graphs/$module.symbols.json" "$input/"
    cp "$graphs/$module@"*.symbols.json "$input/" 2>/dev/null || true
    if "$docc" convert "Sources/$module/Documentation.docc" \
        --additional-symbol-graph-dir "$input" \
        --fallback-display-name "$module" --fallback-bundle-identifier "org.llmdevops.$module" \
        --output-path ".build/docs/$module" --warnings-as-errors >"$input/docc.log" 2>&1; then
        echo "[docs] $module: built (.build/docs/$module)"
    else
        status=1
        cat "$input/docc.log" >&2
        echo "[docs] $module: FAILED" >&2
    fi
    rm -rf "$input"
done

# The README is the front door and links into these catalogues: every relative link must name a
# file that exists, and a link to a DocC article must have been built into a page just now.
if ! python3 - "${modules[@]}" <<'PY'
import json, os, re, sys
modules, broken, checked = sys.argv[1:], [], 0
text = open("README.md").read()
for target in re.findall(r"\]\(([^)\s]+)\)", text):
    if re.match(r"[a-z]+:", target) or target.startswith("#"):
        continue
    checked += 1
    path = target.split("#", 1)[0]
    if not os.path.exists(path):
        broken.append(f"{target}: no such file")
        continue
    match = re.fullmatch(r"Sources/([^/]+)/Documentation\.docc/([^/]+)\.md", path)
    if match:
        module, article = match.groups()
        page = f".build/docs/{module}/data/documentation/{module.lower()}/{article.lower()}.json"
        if module not in modules or not os.path.exists(page):
            broken.append(f"{target}: no built DocC page ({page})")
for entry in broken:
    print(f"[docs] README link: {entry}", file=sys.stderr)
print(f"[docs] README: {checked} relative links checked, {len(broken)} broken")
sys.exit(1 if broken else 0)
PY
then
    status=1
fi
exit "$status"
