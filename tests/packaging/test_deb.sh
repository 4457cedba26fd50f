#!/usr/bin/env bash
# Packaging test: build the DEB packages, inspect them, install them, run the installed server
# (as its service user, with the embedded PostgreSQL) and studio, remove (data kept) and purge
# (data, settings and user gone), and leave the machine as it was.
# Usage: test_deb.sh <build-dir>. Needs root; exits 77 (skipped) when it cannot run safely.
set -euo pipefail
build="$1"
skip() { echo "SKIPPED: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "installing packages needs root"
command -v dpkg-deb >/dev/null && command -v apt-get >/dev/null || skip "not a Debian-like system"
for pkg in reelgate-server reelgate-studio; do
  if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "installed"; then
    skip "$pkg is installed on this machine; not touching someone's real install"
  fi
done
[ ! -e /var/lib/reelgate ] && [ ! -e /etc/reelgate ] || skip "/var/lib/reelgate or /etc/reelgate exists"
getent passwd reelgate >/dev/null && skip "a 'reelgate' user exists already"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  DEBIAN_FRONTEND=noninteractive dpkg --purge reelgate-server reelgate-studio >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
step() { echo "== $*"; }

step "build the packages"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" >"$work/cpack.log" 2>&1 || { cat "$work/cpack.log"; fail "cpack"; }
server_deb=$(ls "$work"/reelgate-server_*.deb)
studio_deb=$(ls "$work"/reelgate-studio_*.deb)
version=$(dpkg-deb -f "$server_deb" Version)

step "inspect them"
server_info=$(dpkg-deb -I "$server_deb")
server_files=$(dpkg-deb -c "$server_deb" | awk '{print $6}')
studio_info=$(dpkg-deb -I "$studio_deb")
studio_files=$(dpkg-deb -c "$studio_deb" | awk '{print $6}')
for f in ./usr/bin/reelgate-server ./usr/lib/systemd/system/reelgate-server.service \
         ./etc/reelgate/reelgate.env ./usr/share/reelgate/web/layout.html; do
  grep -qx "$f" <<<"$server_files" || fail "server package lacks $f"
done
for f in ./usr/bin/reelgate-studio ./usr/share/applications/reelgate-studio.desktop \
         ./usr/share/icons/hicolor/256x256/apps/reelgate-studio.png; do
  grep -qx "$f" <<<"$studio_files" || fail "studio package lacks $f"
done
# Dependencies computed by dpkg-shlibdeps, plus the PostgreSQL server for the embedded cluster.
for dep in libpq5 libcpp-httplib libargon2 "postgresql-15 | postgresql"; do
  grep -q "Depends:.*$dep" <<<"$server_info" || fail "server Depends lacks $dep"
done
for dep in libqt6widgets6 libavformat libqt6keychain1; do
  grep -q "Depends:.*$dep" <<<"$studio_info" || fail "studio Depends lacks $dep"
done
grep -q "Maintainer: Reelgate" <<<"$server_info" || fail "no maintainer"
for script in postinst prerm postrm conffiles; do
  grep -q " $script" <<<"$server_info" || fail "server package lacks its $script"
done
dpkg-deb -I "$server_deb" conffiles | grep -qx /etc/reelgate/reelgate.env || fail "settings are not a conffile"
grep -q "MimeType=video/mp4" <(dpkg-deb --fsys-tarfile "$studio_deb" | tar -xO ./usr/share/applications/reelgate-studio.desktop) \
  || fail "the desktop entry is not offered for video files"
if command -v systemd-analyze >/dev/null; then
  dpkg-deb -x "$server_deb" "$work/root"
  systemd-analyze verify "$work/root/usr/lib/systemd/system/reelgate-server.service" 2>&1 \
    | grep -v "reelgate-server: No such file\|Command /usr/bin/reelgate-server is not executable" || true
fi

step "install them"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$server_deb" "$studio_deb" >"$work/apt.log" 2>&1 \
  || { cat "$work/apt.log"; fail "apt-get install"; }
getent passwd reelgate >/dev/null || fail "postinst made no reelgate user"
[ "$(stat -c '%U %a' /var/lib/reelgate)" = "reelgate 700" ] || fail "/var/lib/reelgate is not the user's, 0700"

start_installed_server() {
  # As the unit does: the service user, the settings file, a free port.
  ( set -a; . /etc/reelgate/reelgate.env; set +a
    exec setpriv --reuid=reelgate --regid=reelgate --clear-groups \
      /usr/bin/reelgate-server --listen 127.0.0.1:0 ) >"$work/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 600); do
    url=$(grep -o 'listening on http://[^ ]*' "$work/server.log" | sed 's/listening on //' || true)
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; fail "the installed server exited"; }
    sleep 0.1
  done
  [ -n "$url" ] || fail "the installed server did not start"
  health=$(curl -fsS "$url/healthz") || fail "no /healthz"
  grep -q "\"status\":\"ok\"" <<<"$health" && grep -q "\"version\":\"$version\"" <<<"$health" \
    || fail "unexpected health: $health"
  curl -fsS "$url/signin" | grep -q "Sign in" || fail "the installed web pages are not served"
  kill -TERM "$server_pid"; wait "$server_pid" || fail "the installed server did not stop cleanly"
  server_pid=""
  pgrep -u reelgate >/dev/null && fail "processes of user reelgate left running"
  return 0
}
step "run the installed server (embedded PostgreSQL, user reelgate)"
start_installed_server
[ -f /var/lib/reelgate/pg/PG_VERSION ] || fail "no cluster in /var/lib/reelgate"
[ "$(stat -c %U /var/lib/reelgate/pg)" = reelgate ] || fail "the cluster is not the service user's"

step "run the installed studio"
[ "$(QT_QPA_PLATFORM=offscreen /usr/bin/reelgate-studio --version)" = "reelgate-studio $version" ] \
  || fail "reelgate-studio --version"

step "remove keeps data and settings"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -q reelgate-server reelgate-studio >/dev/null
[ ! -e /usr/bin/reelgate-server ] && [ ! -e /usr/bin/reelgate-studio ] || fail "binaries left after remove"
[ -f /var/lib/reelgate/pg/PG_VERSION ] || fail "remove deleted the data"
[ -f /etc/reelgate/reelgate.env ] || fail "remove deleted the settings"

step "reinstall finds the data"
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$server_deb" >/dev/null 2>&1 || fail "reinstall"
start_installed_server
grep -q "database schema up to date" "$work/server.log" || fail "the reinstalled server did not reuse the data"

step "purge removes data, settings and user"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -q reelgate-server >/dev/null
dpkg --purge reelgate-studio >/dev/null 2>&1 || true
[ ! -e /var/lib/reelgate ] || fail "/var/lib/reelgate left after purge"
[ ! -e /etc/reelgate ] || fail "/etc/reelgate left after purge"
getent passwd reelgate >/dev/null && fail "user reelgate left after purge"
getent group reelgate >/dev/null && fail "group reelgate left after purge"
for pkg in reelgate-server reelgate-studio; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "installed" && fail "$pkg still installed"
done
pgrep -u reelgate >/dev/null 2>&1 && fail "processes of the old service user still run"
echo "packaging: all checks passed"
