#!/usr/bin/env bash
# Times hush against the alternatives on one generated corpus, in one run.
#
#   benches/compare.sh           1 GiB corpus (100 MiB prefix for the slow tools)
#   benches/compare.sh --quick   10 MB corpus: proves the script works (what CI runs)
#
# Prints a table (MB/s, ratio to hush, peak RSS) and writes benches/results.md and
# benches/chart.svg. Needs hyperfine, ripgrep, GNU time (Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."

size=1G slow=100M runs=3
if [[ "${1:-}" == "--quick" ]]; then size=10M slow=2M runs=1; fi
for tool in hyperfine rg /usr/bin/time python3 sed; do
  command -v "$tool" >/dev/null || { echo "compare.sh: missing $tool (apt-get install hyperfine ripgrep time)" >&2; exit 2; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -q -p hush-cli -p hush-benches
bin=${CARGO_TARGET_DIR:-target}/release
"$bin/gen-corpus" "$size" 200 > "$work/corpus.log"
head -c "$(numfmt --from=iec "$slow")" "$work/corpus.log" > "$work/slow.log"
# No secrets and no candidate words: the scan alone, against cat.
"$bin/gen-corpus" "$size" quiet > "$work/quiet.log"
# Known values, as a deployment with many secrets would load them.
for n in 10 1000 10000; do
  python3 -c 'import sys; [print(f"kv-{i:06d}-Zq8{i*7919%100000:05d}-secret") for i in range(int(sys.argv[1]))]' "$n" > "$work/known-$n.txt"
done
cp benches/patterns.txt "$work/patterns.txt"

cat > "$work/resub.py" <<'PY'
import re, sys
pats = [re.compile(p.encode()) for p in open(sys.argv[1]).read().split("\n") if p]
out = sys.stdout.buffer
for line in sys.stdin.buffer:
    for p in pats:
        line = p.sub(b"[REDACTED]", line)
    out.write(line)
PY
sed_script=$(sed 's/[/]/\\&/g; s/.*/s\/&\/[REDACTED]\/g/' "$work/patterns.txt")
printf '%s\n' "$sed_script" > "$work/redact.sed"
gitleaks_toml=../shared/data/gitleaks.toml
have_gitleaks=false
if [[ -f "$gitleaks_toml" ]]; then
  python3 - "$gitleaks_toml" "$work/gitleaks.txt" <<'PY'
import sys, tomllib
rules = tomllib.load(open(sys.argv[1], "rb")).get("rules", [])
with open(sys.argv[2], "w") as f:
    for r in rules:
        if "regex" in r:
            f.write(r["regex"].replace("\n", "") + "\n")
PY
  # Keep the patterns ripgrep accepts (gitleaks uses Go regex syntax).
  while IFS= read -r pat; do
    rg --no-unicode -q -e "$pat" /dev/null 2>/dev/null; [[ $? -le 1 ]] && printf '%s\n' "$pat"
  done < "$work/gitleaks.txt" > "$work/gitleaks.ok" || true
  mv "$work/gitleaks.ok" "$work/gitleaks.txt"
  have_gitleaks=true
fi

# name | input | command
rows=(
  "hush (file)|corpus|$bin/hush --no-default-sources $work/corpus.log"
  "hush (pipe)|corpus|cat $work/corpus.log | $bin/hush --no-default-sources"
  "rg --passthru -r (20 patterns)|corpus|rg --passthru --no-line-number -r '[REDACTED]' -f $work/patterns.txt $work/corpus.log"
  "cat|corpus|cat $work/corpus.log"
  "hush (file, 100 MiB)|slow|$bin/hush --no-default-sources $work/slow.log"
  "python re.sub (20 patterns)|slow|python3 $work/resub.py $work/patterns.txt < $work/slow.log"
  "sed -E (20 patterns)|slow|sed -E -f $work/redact.sed $work/slow.log"
  "hush (quiet corpus)|quiet|$bin/hush --no-default-sources $work/quiet.log"
  "cat (quiet corpus)|quiet|cat $work/quiet.log"
  "hush + 10 known values|corpus|$bin/hush --no-default-sources --known-file $work/known-10.txt $work/corpus.log"
  "hush + 1,000 known values|corpus|$bin/hush --no-default-sources --known-file $work/known-1000.txt $work/corpus.log"
  "hush + 10,000 known values|corpus|$bin/hush --no-default-sources --known-file $work/known-10000.txt $work/corpus.log"
)
if $have_gitleaks; then
  rows+=("hush --gitleaks|slow|$bin/hush --no-default-sources --gitleaks $gitleaks_toml $work/slow.log")
  rows+=("rg -c --no-unicode (gitleaks rules)|slow|rg -c --no-unicode -f $work/gitleaks.txt $work/slow.log")
fi

results=$work/results.tsv
: > "$results"
for row in "${rows[@]}"; do
  IFS='|' read -r name input cmd <<<"$row"
  file=$work/$input.log; [[ $input == corpus ]] && file=$work/corpus.log
  bytes=$(stat -c %s "$file")
  hyperfine --runs "$runs" --warmup 0 --export-json "$work/h.json" -N --shell=bash "$cmd > /dev/null" >/dev/null 2>&1 \
    || hyperfine --runs "$runs" --export-json "$work/h.json" "$cmd > /dev/null" >/dev/null 2>&1 || { echo "failed: $name" >&2; continue; }
  mean=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["mean"])' "$work/h.json")
  rss=$( { /usr/bin/time -v bash -c "$cmd > /dev/null" ; } 2>&1 | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}')
  printf '%s\t%s\t%s\t%s\n' "$name" "$bytes" "$mean" "${rss:-0}" >> "$results"
done

out_md=benches/results.md out_svg=benches/chart.svg
if [[ $size == 10M ]]; then out_md=$work/results.md out_svg=$work/chart.svg; fi
format_rules=$("$bin/hush" rules | awk '$2 == "format"' | wc -l)
python3 - "$results" "$out_md" "$out_svg" "$size" "$format_rules" <<'PY'
import sys, math
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
data = [(n, int(b) / max(float(t), 1e-4) / 1e6, int(r) / 1024) for n, b, t, r in rows]  # 1e-4: hyperfine may report 0 s for tiny inputs
hush = {n: v for n, v, _ in data}
def ref(name):
    if name == "cat (quiet corpus)":
        return hush.get("hush (quiet corpus)")
    if name in ("python re.sub (20 patterns)", "sed -E (20 patterns)", "hush --gitleaks"):
        return hush.get("hush (file, 100 MiB)")
    return hush.get("hush (file)")
lines = [f"Corpus: {sys.argv[4]} generated realistic log (1 line in 200 with a secret); slow tools on a prefix.", "",
         "| tool | MB/s | ratio to hush | peak RSS (MiB) |", "|---|---:|---:|---:|"]
for n, v, r in data:
    base = hush.get("hush --gitleaks") if n.startswith("rg -c") else ref(n)
    ratio = f"{v / base:.2f}×" if base else "-"
    lines.append(f"| {n} | {v:,.1f} | {ratio} | {r:,.1f} |")
lines += ["", "Ratios compare like with like: slow tools and the gitleaks row with hush on the same",
          "100 MiB prefix, the known-value rows (whole corpus, start-up included) with hush on it,",
          "the quiet-corpus rows with each other, ripgrep's gitleaks count with `hush --gitleaks`."]
table = "\n".join(lines)
print(table)
open(sys.argv[2], "w").write(table + "\n")
# SVG: horizontal bars, log scale.
w, bar, gap, left = 760, 22, 8, 260
h = 40 + len(data) * (bar + gap)
vmax = max(v for _, v, _ in data) * 1.5
vmin = max(min(v for _, v, _ in data) / 2, 0.1)
scale = lambda v: (math.log10(max(v, vmin)) - math.log10(vmin)) / (math.log10(vmax) - math.log10(vmin)) * (w - left - 20)
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
       f'<text x="10" y="20" font-size="14">Throughput, MB/s (log scale)</text>']
for i, (n, v, _) in enumerate(data):
    y = 35 + i * (bar + gap)
    color = "#2a7" if n.startswith("hush") else "#888"
    svg.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{n}</text>')
    svg.append(f'<rect x="{left}" y="{y}" width="{scale(v):.1f}" height="{bar}" fill="{color}"/>')
    svg.append(f'<text x="{left + scale(v) + 4:.1f}" y="{y + 15}">{v:,.0f}</text>')
# Second panel: hush's throughput as known values and rules are added (known values on the whole
# corpus; the gitleaks row on the 100 MiB prefix, as ripgrep's count).
scaling = [(n, v) for n, v, _ in data if n == "hush (file)" or n.startswith("hush + ") or n == "hush --gitleaks"]
if scaling:
    top = 40 + len(data) * (bar + gap) + 20
    svg.append(f'<text x="10" y="{top}" font-size="14">hush as known values and rules are added, MB/s (same scale)</text>')
    for i, (n, v) in enumerate(scaling):
        y = top + 15 + i * (bar + gap)
        label = f"defaults ({sys.argv[5]} format rules)" if n == "hush (file)" else n.replace("hush --gitleaks", "+ gitleaks rules (100 MiB)").replace("hush + ", "+ ")
        svg.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{label}</text>')
        svg.append(f'<rect x="{left}" y="{y}" width="{scale(v):.1f}" height="{bar}" fill="#4a9"/>')
        svg.append(f'<text x="{left + scale(v) + 4:.1f}" y="{y + 15}">{v:,.0f}</text>')
    h = top + 25 + len(scaling) * (bar + gap)
    svg[0] = f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">'
svg.append("</svg>")
open(sys.argv[3], "w").write("\n".join(svg) + "\n")
PY
