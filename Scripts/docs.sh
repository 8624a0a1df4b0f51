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
exit "$status"
