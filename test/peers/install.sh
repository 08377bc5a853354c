#!/usr/bin/env bash
# Builds the fediverse servers that test/federation/real-peers.test.ts runs as peers:
# GoToSocial (Go, through the Go module proxy) and bovine-herd (Python, from PyPI).
# Each lands under $PRAXIS_PEERS_DIR (default ~/.cache/praxis-peers) in a folder named for
# its version, so a second run finds them and returns at once.
#
#   bash test/peers/install.sh [gotosocial] [bovine]     (both when none is named)
#
# Prints one line a peer on stdout, `gotosocial=<binary>` and `bovine=<python>`, which
# test/support/{gotosocial,bovine}.ts read: .ci/run calls it before the tests, and the
# tests call it again (at once when built). What it did goes to stderr; on failure one line
# saying which peer and why, and exit status 1.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
peers_dir="${PRAXIS_PEERS_DIR:-$HOME/.cache/praxis-peers}"

# v0.18.3 is the newest release under the module path that is served here with a checksum:
# code.superseriousbusiness.org/gotosocial answers 403 for every version, and
# github.com/…@v0.19.2 declares that other path and needs go-mutexes built for Go < 1.25.
# The checksum database does not list v0.18.3, so its module hash is pinned here instead.
gts_module="github.com/superseriousbusiness/gotosocial"
gts_version="v0.18.3"
gts_sum="h1:xSptoQ8fGg/d+itJWXHpKDpoc3N0Ls6fNX36l1860Hw="
gts_dir="$peers_dir/gotosocial-$gts_version"

bovine_version="0.5.19"
bovine_dir="$peers_dir/bovine-herd-$bovine_version"

fail() {
  echo "test/peers/install.sh: $*" >&2
  exit 1
}

seconds_since() { echo $(($(date +%s) - $1)); }

install_gotosocial() {
  if [ -x "$gts_dir/gotosocial" ] && [ -d "$gts_dir/web/template" ]; then
    echo "gotosocial=$gts_dir/gotosocial"
    return 0
  fi
  command -v go >/dev/null || fail "could not build GoToSocial $gts_version: no go command on PATH"
  local started work log info dir sum
  started=$(date +%s)
  work="$(mktemp -d)"
  log="$work/build.log"
  # The module's own go.mod carries replace directives, so it is built as the main module
  # in a writable copy of its folder, not with `go install …@version`.
  info="$(GONOSUMDB="$gts_module" go mod download -json "$gts_module@$gts_version" 2>"$log")" ||
    fail "could not download GoToSocial $gts_version: $(grep -m1 -o '"Error": "[^"]*' <<<"$info" | cut -c11- || tail -n1 "$log")"
  dir="$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' <<<"$info")"
  sum="$(sed -n 's/^\t"Sum": "\(.*\)",$/\1/p' <<<"$info")"
  [ "$sum" = "$gts_sum" ] || fail "GoToSocial $gts_version has hash $sum, not the pinned $gts_sum"
  cp -r "$dir" "$work/src"
  chmod -R u+w "$work/src"
  # The zip keeps only vendor/modules.txt; without removing it Go insists on -mod=vendor.
  rm -rf "$work/src/vendor"
  if ! (cd "$work/src" && CGO_ENABLED=0 go build -mod=mod -trimpath \
    -tags "netgo osusergo static_build kvformat timetzdata nootel" \
    -ldflags "-s -w -X main.Version=$gts_version" \
    -o "$work/gotosocial" ./cmd/gotosocial) >>"$log" 2>&1; then
    fail "could not build GoToSocial $gts_version: $(grep -v '^go: downloading' "$log" | tail -n1)"
  fi
  rm -rf "$gts_dir.partial"
  mkdir -p "$gts_dir.partial/web"
  mv "$work/gotosocial" "$gts_dir.partial/gotosocial"
  # Templates for the sign-in and authorize pages of its OAuth flow, and the default avatars.
  cp -r "$work/src/web/template" "$work/src/web/assets" "$gts_dir.partial/web/"
  rm -rf "$gts_dir" "$work"
  mv "$gts_dir.partial" "$gts_dir"
  echo "GoToSocial $gts_version built in $(seconds_since "$started") s" >&2
  echo "gotosocial=$gts_dir/gotosocial"
}

install_bovine() {
  local wanted
  wanted="$(sha256sum "$here/bovine-requirements.txt" | cut -d' ' -f1)"
  if [ -x "$bovine_dir/venv/bin/python" ] && [ "$(cat "$bovine_dir/installed" 2>/dev/null)" = "$wanted" ]; then
    echo "bovine=$bovine_dir/venv/bin/python"
    return 0
  fi
  local python started log
  python="${PRAXIS_PYTHON:-python3}"
  command -v "$python" >/dev/null || fail "could not install bovine-herd $bovine_version: no $python on PATH"
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' ||
    fail "could not install bovine-herd $bovine_version: it needs Python 3.11 or newer, $python is $("$python" --version 2>&1)"
  started=$(date +%s)
  rm -rf "$bovine_dir"
  mkdir -p "$bovine_dir"
  log="$bovine_dir/install.log"
  "$python" -m venv "$bovine_dir/venv" >"$log" 2>&1 ||
    fail "could not make a Python venv for bovine-herd: $(tail -n1 "$log")"
  "$bovine_dir/venv/bin/pip" install --quiet --disable-pip-version-check \
    -r "$here/bovine-requirements.txt" >>"$log" 2>&1 ||
    fail "could not install bovine-herd $bovine_version from PyPI: $(grep -m1 ERROR "$log" || tail -n1 "$log")"
  echo "$wanted" >"$bovine_dir/installed"
  echo "bovine-herd $bovine_version installed in $(seconds_since "$started") s" >&2
  echo "bovine=$bovine_dir/venv/bin/python"
}

mkdir -p "$peers_dir"
# One build at a time, however many test processes or CI steps ask at once.
exec 9>"$peers_dir/.install.lock"
flock 9

wanted=("$@")
[ ${#wanted[@]} -gt 0 ] || wanted=(gotosocial bovine)
for peer in "${wanted[@]}"; do
  case "$peer" in
  gotosocial) install_gotosocial ;;
  bovine) install_bovine ;;
  *) fail "unknown peer $peer (gotosocial or bovine)" ;;
  esac
done
