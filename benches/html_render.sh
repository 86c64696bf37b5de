#!/usr/bin/env bash
# Load and lay out a report.html in headless Chromium; print its size, the
# time from navigation to a laid-out page, and one text-search filter pass.
# An anchor (an empty page) is measured in the same run, as the machine is shared.
#   benches/html_render.sh out/report.html
set -euo pipefail
page=${1:?report.html}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
probe='<script>window.addEventListener("load",function(){var tl=performance.now();document.body.offsetHeight;tl=performance.now();var q=document.getElementById("f-q"),t1=performance.now();if(q){q.value="employee 12";q.dispatchEvent(new Event("input"));document.body.offsetHeight;}var t2=performance.now();document.title="LOAD_MS="+Math.round(tl)+" FILTER_MS="+Math.round(t2-t1);});</script>'
sed "s#</body>#${probe}</body>#" "$page" > "$tmp/page.html"
printf '<!DOCTYPE html><html><head><title>x</title></head><body><p>anchor</p>%s</body></html>' "$probe" > "$tmp/anchor.html"
run() {
  timeout 300 chromium --headless --no-sandbox --disable-background-networking \
    --disable-component-update --disable-gpu --window-size=1300,900 \
    --dump-dom "file://$1" 2>/dev/null | grep -o 'LOAD_MS=[0-9]* FILTER_MS=[0-9]*' | head -1
}
echo "size: $(stat -c %s "$page") bytes"
echo "anchor: $(run "$tmp/anchor.html")"
for i in 1 2 3; do echo "report run $i: $(run "$tmp/page.html")"; done
