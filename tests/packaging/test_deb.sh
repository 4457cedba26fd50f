#!/usr/bin/env bash
# Packaging test: build the DEB packages, inspect them, install them, run the installed server
# (as its service user, with the embedded PostgreSQL) and studio, remove (data kept),
# reinstall, purge (data, settings and user gone), and leave the machine as it was.
# Usage: test_deb.sh <build-dir> <cpack> <has-encode 0|1>
# Needs root; exits 77 (reported as skipped) when it cannot run without harming this machine.
set -euo pipefail
build="$1"
cpack="$2"
has_encode="$3"
skip() { echo "SKIPPED: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
step() { echo "== $*"; }
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg run rather than fail on its lock.
apt_q=(-y -q -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=300)

[ "$(id -u)" -eq 0 ] || skip "installing packages needs root (CI runs this as root)"
command -v dpkg-deb >/dev/null && command -v apt-get >/dev/null || skip "not a Debian-like system"
# One packaging test per machine at a time (two build trees may run the suite at once).
exec 9>/run/lock/reelgate-packaging-test.lock
flock -w 240 9 || skip "another packaging test has been running for 4 minutes"
pkg_state() { dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true; }
for pkg in reelgate-server reelgate-studio; do
  case "$(pkg_state "$pkg")" in
    "" | not-installed) ;;
    *) skip "$pkg is on this machine ($(pkg_state "$pkg")); not touching someone's real install" ;;
  esac
done
for path in /var/lib/reelgate /etc/reelgate; do
  [ ! -e "$path" ] || skip "$path exists; not touching someone's data"
done
getent passwd reelgate >/dev/null && skip "a 'reelgate' user exists already"
getent group reelgate >/dev/null && skip "a 'reelgate' group exists already"

systemd_running=false
[ -d /run/systemd/system ] && systemd_running=true
unit_links() { find /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled \
  /var/lib/systemd/deb-systemd-helper-masked -name '*reelgate*' 2>/dev/null || true; }
[ -z "$(unit_links)" ] || skip "systemd already knows a reelgate unit: $(unit_links | head -1)"
packages_before=$(dpkg-query -W -f='${Package}:${Architecture} ${db:Status-Status}\n' | grep ' installed$' | sort)

work="$(mktemp -d)"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
new_packages() {
  comm -13 <(echo "$packages_before") \
    <(dpkg-query -W -f='${Package}:${Architecture} ${db:Status-Status}\n' | grep ' installed$' | sort) \
    | cut -d' ' -f1
}
cleanup() {
  stop_server
  if $systemd_running; then systemctl stop reelgate-server.service >/dev/null 2>&1 || true; fi
  for pid in $(pgrep -u reelgate 2>/dev/null || true); do kill -TERM "$pid" 2>/dev/null || true; done
  dpkg --purge reelgate-server reelgate-studio >/dev/null 2>&1 || true
  # Packages apt pulled in for ours go again.
  local extra
  extra=$(new_packages)
  [ -z "$extra" ] || apt-get purge "${apt_q[@]}" $extra >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step "build the packages"
"$cpack" --config "$build/CPackConfig.cmake" -G DEB -B "$work" >"$work/cpack.log" 2>&1 \
  || { cat "$work/cpack.log"; fail "cpack"; }
server_deb=$(ls "$work"/reelgate-server_*.deb)
studio_deb=$(ls "$work"/reelgate-studio_*.deb)
version=$(dpkg-deb -f "$server_deb" Version)
[ "$(dpkg-deb -f "$studio_deb" Version)" = "$version" ] || fail "the two packages differ in version"

step "inspect them (dpkg-deb)"
dpkg-deb -I "$server_deb" >"$work/server.info"
dpkg-deb -I "$studio_deb" >"$work/studio.info"
dpkg-deb -c "$server_deb" | awk '{print $6}' >"$work/server.files"
dpkg-deb -c "$studio_deb" | awk '{print $6}' >"$work/studio.files"
has_file() { grep -qx "$2" "$work/$1.files" || fail "$1 package lacks $2"; }
for f in ./usr/bin/reelgate-server ./usr/lib/systemd/system/reelgate-server.service \
         ./etc/reelgate/reelgate.env ./usr/share/reelgate/web/layout.html \
         ./usr/share/reelgate/web/node_modules/hls.js/dist/hls.min.js \
         ./usr/share/doc/reelgate-server/copyright ./usr/share/doc/reelgate-server/hls.js-LICENSE \
         ./usr/share/doc/reelgate-server/examples/nginx-reelgate.conf; do
  has_file server "$f"
done
for f in ./usr/bin/reelgate-studio ./usr/share/applications/reelgate-studio.desktop \
         ./usr/share/icons/hicolor/256x256/apps/reelgate-studio.png \
         ./usr/share/doc/reelgate-studio/copyright; do
  has_file studio "$f"
done
# reelgate-encode ships with the server: it runs `reelgate-encode detect` for leak traces.
[ "$has_encode" = 1 ] && has_file server ./usr/bin/reelgate-encode
grep -q '^./usr/bin/reelgate-studio$' "$work/server.files" && fail "the studio is in the server package"
grep -q '^./usr/bin/reelgate-server$' "$work/studio.files" && fail "the server is in the studio package"
dpkg-deb -c "$server_deb" | grep ' ./etc/reelgate/reelgate.env$' | grep -q '^-rw-r-----' \
  || fail "the settings file (it may hold the SMTP password) is readable by everyone"

# Depends: the libraries found by dpkg-shlibdeps, plus what no ELF file reveals.
server_depends=$(dpkg-deb -f "$server_deb" Depends)
studio_depends=$(dpkg-deb -f "$studio_deb" Depends)
echo "   reelgate-server Depends: $server_depends"
echo "   reelgate-studio Depends: $studio_depends"
for dep in "libc6 (>=" "libpq5 (>=" "libssl3 (>=" "libstdc++6 (>=" "postgresql-15 | postgresql" adduser; do
  grep -qF "$dep" <<<"$server_depends" || fail "reelgate-server Depends lacks '$dep'"
done
for dep in "libqt6widgets6 (>=" "libqt6network6 (>=" "libqt6sql6 (>=" "libqt6keychain1 (>=" \
           "libavformat59 (>=" "libavcodec59 (>=" libqt6sql6-sqlite; do
  grep -qF "$dep" <<<"$studio_depends" || fail "reelgate-studio Depends lacks '$dep'"
done
# The server package never needs Qt; FFmpeg only for the reelgate-encode it ships (leak traces),
# not for reelgate-server itself.
grep -q "libqt6" <<<"$server_depends" && fail "the server depends on Qt"
objdump -p "$build/server/reelgate-server" | grep -q "NEEDED.*libav" && fail "reelgate-server links FFmpeg"
grep -q "libpq" <<<"$studio_depends" && fail "the studio depends on libpq"
for field in Maintainer Homepage Description Section; do
  [ -n "$(dpkg-deb -f "$server_deb" "$field")" ] && [ -n "$(dpkg-deb -f "$studio_deb" "$field")" ] \
    || fail "a package has no $field"
done
[ "$(dpkg-deb -f "$server_deb" Maintainer)" = "$(dpkg-deb -f "$studio_deb" Maintainer)" ] \
  || fail "the packages name different maintainers"
for script in postinst prerm postrm conffiles; do
  grep -qE "^ +[0-9]+ bytes, +[0-9]+ lines +\*? *$script( |$)" "$work/server.info" \
    || fail "reelgate-server has no $script"
done
[ "$(dpkg-deb -I "$server_deb" conffiles)" = /etc/reelgate/reelgate.env ] \
  || fail "the settings file is not the conffile"
for script in postinst prerm postrm; do
  dpkg-deb -I "$server_deb" "$script" >"$work/$script"
  sh -n "$work/$script" || fail "$script is not valid sh"
done
grep -q "adduser --system" "$work/postinst" || fail "postinst creates no system user"
grep -q "/var/lib/reelgate" "$work/postrm" || fail "postrm does not purge the data"

dpkg-deb -x "$server_deb" "$work/server-root"
dpkg-deb -x "$studio_deb" "$work/studio-root"
desktop="$work/studio-root/usr/share/applications/reelgate-studio.desktop"
grep -qx "Exec=reelgate-studio %F" "$desktop" || fail "desktop entry: Exec"
grep -qx "Icon=reelgate-studio" "$desktop" || fail "desktop entry: Icon"
grep -q "^MimeType=.*video/mp4;" "$desktop" || fail "the desktop entry is not offered for video files"
unit="$work/server-root/usr/lib/systemd/system/reelgate-server.service"
for line in User=reelgate EnvironmentFile=-/etc/reelgate/reelgate.env StateDirectory=reelgate \
            ExecStart=/usr/bin/reelgate-server NoNewPrivileges=yes ProtectSystem=strict \
            ReadWritePaths=/var/lib/reelgate Restart=on-failure KillSignal=SIGTERM \
            WantedBy=multi-user.target; do
  grep -qx "$line" "$unit" || fail "the unit lacks $line"
done
if command -v systemd-analyze >/dev/null; then
  # Checks the unit's syntax against this systemd; the binary is only in the package tree.
  sed "s|^ExecStart=/usr/bin/|ExecStart=$work/server-root/usr/bin/|" "$unit" >"$work/reelgate-server.service"
  systemd-analyze verify "$work/reelgate-server.service" >"$work/verify.log" 2>&1 || true
  if grep -v "Failed to \(open\|prepare\|setup\|connect\)\|System has not been booted with systemd\|Falling back\|not running as root" \
      "$work/verify.log" | grep -q .; then
    cat "$work/verify.log"
    fail "systemd-analyze verify complains about the unit"
  fi
fi

step "install them (apt-get, dependencies resolved)"
apt-get install "${apt_q[@]}" --no-install-recommends "$server_deb" "$studio_deb" >"$work/apt.log" 2>&1 \
  || { cat "$work/apt.log"; fail "apt-get install"; }
[ "$(pkg_state reelgate-server)" = installed ] && [ "$(pkg_state reelgate-studio)" = installed ] \
  || fail "not installed"
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd reelgate) || fail "postinst made no reelgate user"
[ "$uid" -lt 1000 ] && [ "$home" = /var/lib/reelgate ] && [ "$shell" = /usr/sbin/nologin ] \
  || fail "reelgate is not a system user with home /var/lib/reelgate and no shell"
[ "$(stat -c '%U %a' /var/lib/reelgate)" = "reelgate 700" ] || fail "/var/lib/reelgate is not the user's, 0700"
[ "$(stat -c '%U:%G %a' /etc/reelgate/reelgate.env)" = "root:reelgate 640" ] \
  || fail "/etc/reelgate/reelgate.env is not root:reelgate 0640"
# Starts on boot: enabled for multi-user.target even though systemd may not run right now.
wants=/etc/systemd/system/multi-user.target.wants/reelgate-server.service
[ -L "$wants" ] && [ "$(readlink -f "$wants")" = "$(readlink -f /usr/lib/systemd/system/reelgate-server.service)" ] \
  || fail "the service is not enabled for boot"
[ -x /usr/bin/reelgate-server ] && [ -x /usr/bin/reelgate-studio ] || fail "binaries not installed"

# Runs the installed server as the unit does: the service user, the settings file, here on a
# free port. Where systemd runs, through the unit itself.
run_installed_server() {
  if $systemd_running; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    sed -i "s|^REELGATE_LISTEN=.*|REELGATE_LISTEN=127.0.0.1:$port|" /etc/reelgate/reelgate.env
    since=$(date '+%Y-%m-%d %H:%M:%S')
    systemctl restart reelgate-server.service || fail "systemctl restart reelgate-server"
    url="http://127.0.0.1:$port"
    for _ in $(seq 1 300); do curl -fsS "$url/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
    journalctl -u reelgate-server.service --since "$since" --no-pager >"$work/server.log" 2>&1 || true
  else
    ( set -a; . /etc/reelgate/reelgate.env; set +a
      exec setpriv --reuid=reelgate --regid=reelgate --init-groups \
        /usr/bin/reelgate-server --listen 127.0.0.1:0 ) >"$work/server.log" 2>&1 &
    server_pid=$!
    url=""
    for _ in $(seq 1 600); do
      url=$(grep -o 'listening on http://[^ ]*' "$work/server.log" | sed 's/listening on //' || true)
      [ -n "$url" ] && break
      kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; fail "the installed server exited"; }
      sleep 0.1
    done
    [ -n "$url" ] || { cat "$work/server.log"; fail "the installed server did not start"; }
  fi
  health=$(curl -fsS "$url/healthz") || { cat "$work/server.log"; fail "no /healthz at $url"; }
  echo "   $url/healthz: $health"
  grep -q '"status":"ok"' <<<"$health" && grep -q "\"version\":\"${version%%-*}\"" <<<"$health" \
    || fail "unexpected health: $health"
  curl -fsS "$url/signin" | grep -q "Sign in" || fail "the installed web pages are not served"
  curl -fsS -o "$work/hls.min.js" "$url/static/vendor/hls.min.js" &&
    grep -q "Hls" "$work/hls.min.js" || fail "the installed server does not serve hls.js"
  [ "$(stat -c %U /var/lib/reelgate/pg)" = reelgate ] || fail "the cluster is not the service user's"
  [ -z "$(find /var/lib/reelgate -maxdepth 1 -newer /etc/reelgate/reelgate.env ! -user reelgate)" ] \
    || fail "the server made files in its data directory as another user"
  if $systemd_running; then
    systemctl stop reelgate-server.service || fail "systemctl stop"
  else
    kill -TERM "$server_pid"
    wait "$server_pid" || { cat "$work/server.log"; fail "the installed server did not stop cleanly on SIGTERM"; }
    server_pid=""
  fi
  for _ in $(seq 1 50); do pgrep -u reelgate >/dev/null || break; sleep 0.1; done
  pgrep -u reelgate >/dev/null && fail "processes of user reelgate left running: $(pgrep -a -u reelgate)"
  return 0
}
step "run the installed server (embedded PostgreSQL, user reelgate)"
run_installed_server
[ -f /var/lib/reelgate/pg/PG_VERSION ] || fail "no cluster in /var/lib/reelgate/pg"

step "run the installed studio"
studio_version=$(QT_QPA_PLATFORM=offscreen /usr/bin/reelgate-studio --version) || fail "reelgate-studio --version failed"
[ "$studio_version" = "reelgate-studio ${version%%-*}" ] || fail "reelgate-studio --version said '$studio_version'"
if [ "$has_encode" = 1 ]; then
  # Loads the FFmpeg libraries it was linked with and names their versions.
  /usr/bin/reelgate-encode --version | grep -q "^reelgate-encode (libavformat" || fail "reelgate-encode --version"
fi

step "remove keeps data, settings and user"
apt-get remove "${apt_q[@]}" reelgate-server reelgate-studio >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get remove"; }
for f in /usr/bin/reelgate-server /usr/bin/reelgate-studio /usr/lib/systemd/system/reelgate-server.service \
         /usr/share/applications/reelgate-studio.desktop; do
  [ ! -e "$f" ] || fail "$f left after remove"
done
[ -f /var/lib/reelgate/pg/PG_VERSION ] || fail "remove deleted the data"
[ -f /etc/reelgate/reelgate.env ] || fail "remove deleted the settings"
getent passwd reelgate >/dev/null || fail "remove deleted the user (the data would lose its owner)"

step "reinstall carries on with the data"
apt-get install "${apt_q[@]}" --no-install-recommends "$server_deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "reinstall"; }
run_installed_server
grep -q "database schema up to date" "$work/server.log" || fail "the reinstalled server did not reuse the data"

step "purge removes data, settings, user and unit state"
# The studio has no conffiles: its remove was already complete, apt knows it no more.
apt-get purge "${apt_q[@]}" reelgate-server >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get purge"; }
for pkg in reelgate-server reelgate-studio; do
  case "$(pkg_state "$pkg")" in "" | not-installed) ;; *) fail "$pkg is still $(pkg_state "$pkg")" ;; esac
done
[ ! -e /var/lib/reelgate ] || fail "/var/lib/reelgate left after purge"
[ ! -e /etc/reelgate ] || fail "/etc/reelgate left after purge"
getent passwd reelgate >/dev/null && fail "user reelgate left after purge"
getent group reelgate >/dev/null && fail "group reelgate left after purge"
[ -z "$(unit_links)" ] || fail "systemd links or state left after purge: $(unit_links)"

step "the machine is as it was"
extra=$(new_packages)
if [ -n "$extra" ]; then
  echo "   purging what apt pulled in: $extra"
  apt-get purge "${apt_q[@]}" $extra >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "purging pulled-in packages"; }
fi
[ -z "$(new_packages)" ] || fail "packages left: $(new_packages)"
pgrep -f "/usr/bin/reelgate-|/var/lib/reelgate" >/dev/null && fail "reelgate processes still run"
echo "packaging: all checks passed"
