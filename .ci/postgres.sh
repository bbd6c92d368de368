#!/usr/bin/env bash
# A throw-away PostgreSQL server for the Postgres store's tests.
#
#   eval "$(bash .ci/postgres.sh start)"   # prints the exports (URL, data dir) on stdout
#   bash .ci/postgres.sh stop "$PUSHCHECK_TEST_PG_DIR"
#
# Installs PostgreSQL from the Debian packages when no server binaries are
# found, creates a cluster in a fresh temporary folder and starts it on a
# free port on 127.0.0.1 only. The server refuses to run as root, so as root
# the cluster belongs to an unprivileged user (the package's `postgres`, or
# one made for the purpose). Everything it prints for people goes to stderr.
set -euo pipefail

say() { printf '%s\n' "postgres.sh: $*" >&2; }

find_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && { echo "$d"; return 0; }
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  return 1
}

install_server() {
  if [[ $(id -u) -ne 0 ]]; then
    say "no PostgreSQL server binaries found, and installing them needs root: apt-get install -y postgresql"
    exit 1
  fi
  say "installing PostgreSQL from the Debian packages"
  # The package's own cluster is not wanted (and cannot start in a container without an init system).
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

start() {
  local bindir dir port user run=()
  bindir=$(find_bindir) || { install_server; bindir=$(find_bindir); }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/pushcheck-pg.XXXXXX")
  if [[ $(id -u) -eq 0 ]]; then
    user=postgres
    if ! id "$user" >/dev/null 2>&1; then
      user=pushcheck-pg
      id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    fi
    chown "$user" "$dir"
    chmod 700 "$dir"
    run=(runuser -u "$user" --)
  fi
  port=$(free_port)
  # Trust on loopback only: a test cluster with no secrets, gone when the run ends.
  "${run[@]}" "$bindir/initdb" -D "$dir/data" -U pushcheck -A trust --no-sync -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; say "initdb failed"; exit 1; }
  "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -h 127.0.0.1 -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >&2 ||
    { cat "$dir/server.log" >&2; say "the server did not start"; exit 1; }
  "${run[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U pushcheck pushcheck >&2
  say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port (data in $dir)"
  echo "export PUSHCHECK_TEST_DATABASE_URL=postgres://pushcheck@127.0.0.1:$port/pushcheck"
  echo "export PUSHCHECK_TEST_PG_DIR=$dir"
}

stop() {
  local dir=${1:?usage: postgres.sh stop DIR} bindir run=()
  [[ -d "$dir/data" ]] || return 0
  bindir=$(find_bindir)
  [[ $(id -u) -eq 0 ]] && run=(runuser -u "$(stat -c %U "$dir")" --)
  "${run[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) say "usage: postgres.sh start | stop DIR"; exit 2 ;;
esac
