#!/usr/bin/env bash
# Checks the dependency rules of DESIGN.md and STYLE.md (habits 1 and 13) on the source tree:
#  - shared/ includes no Qt, httplib or libpq; server/ includes no Qt and no FFmpeg (libav*);
#    studio/ never includes libav* (it goes through reelgate::media's job and engine classes);
#  - inside server/ and studio/, folders depend downwards only: no folder includes app/ (the
#    composition root), and the folder include graph has no cycle.
# Prints every violation with the file and line; exits 1 when there is any.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
failed=0

forbid() { # forbid <folder> <extended regex of an include line> <what>
  local hits
  hits="$(grep -rnE --include='*.h' --include='*.cpp' "$2" "$1" || true)"
  if [ -n "$hits" ]; then
    echo "$1 must not include $3:"
    printf '%s\n' "$hits" | sed 's/^/  /'
    failed=1
  fi
}
forbid shared '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(Q[A-Za-z]*|Qt[A-Za-z]*/[^>]*|httplib\.h|libpq-fe\.h|postgresql/[^>]*)>' "Qt, httplib or libpq"
forbid server '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(Q[A-Za-z]*|Qt[A-Za-z]*/[^>]*|libav[a-z]*/[^>]*|libsw[a-z]*/[^>]*)>' "Qt or FFmpeg"
forbid studio '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(libav[a-z]*/[^>]*|libsw[a-z]*/[^>]*)>' "FFmpeg (use reelgate::media)"

# Folder graph of one component: edges "from to" for every '#include "<folder>/..."' between
# two different top-level folders of the component; main.cpp at the root may include anything.
check_folders() {
  local component="$1"
  local folders
  folders="$(find "$component" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)"
  local edges
  edges="$(grep -rnE --include='*.h' --include='*.cpp' '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[a-z]+/' "$component" |
    sed -nE "s|^$component/([a-z]+)/[^:]*:([0-9]+):[[:space:]]*#[[:space:]]*include[[:space:]]*\"([a-z]+)/.*|\1 \3 \1/...:\2|p" |
    while read -r from to where; do
      if [ "$from" != "$to" ] && grep -qx "$to" <<<"$folders"; then echo "$from $to"; fi
    done | sort -u)"
  local into_app
  into_app="$(awk '$2 == "app"' <<<"$edges")"
  if [ -n "$into_app" ]; then
    echo "$component: only main.cpp may include app/ (the composition root), but:"
    grep -rnE --include='*.h' --include='*.cpp' '#[[:space:]]*include[[:space:]]*"app/' "$component" |
      grep -v "^$component/app/" | grep -v "^$component/main.cpp" | sed 's/^/  /'
    failed=1
  fi
  # Transitive closure (Floyd-Warshall) over the folders; a folder that reaches itself is in a cycle.
  local cycles
  cycles="$(awk '
    { a[$1] = 1; a[$2] = 1; e[$1 SUBSEP $2] = 1 }
    END {
      n = 0; for (x in a) names[++n] = x
      for (k = 1; k <= n; k++) for (i = 1; i <= n; i++) if (e[names[i] SUBSEP names[k]])
        for (j = 1; j <= n; j++) if (e[names[k] SUBSEP names[j]]) e[names[i] SUBSEP names[j]] = 1
      for (i = 1; i <= n; i++) for (j = 1; j <= n; j++)
        if (i < j && e[names[i] SUBSEP names[j]] && e[names[j] SUBSEP names[i]])
          print "  " names[i] " <-> " names[j]
    }' <<<"$edges" | sort)"
  if [ -n "$cycles" ]; then
    echo "$component: folders that depend on each other (directly or through others):"
    printf '%s\n' "$cycles"
    failed=1
  fi
}
check_folders server
check_folders studio

if [ "$failed" -ne 0 ]; then exit 1; fi
echo "layering: shared/, server/ and studio/ follow the dependency rules"
