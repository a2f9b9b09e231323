#!/usr/bin/env bash
# Starts (or stops) the servers the scale-out suite needs, as plain processes on loopback ports in a
# temporary directory: one PostgreSQL (Debian's package) and two clickhouse-server shards (Debian's
# package, an old release). Installs the Debian packages and the in-process ClickHouse (`chdb`, npm,
# kept out of the default install for its ~540 MB) when missing.
#   scripts/scaleout-servers.sh start DIR   prints `export NORTHSTAR_TEST_…=…` lines for the suite
#   scripts/scaleout-servers.sh stop DIR
# initdb refuses to run as root, so PostgreSQL runs as the `postgres` user (or the caller when not root).
set -euo pipefail
cmd=${1:?start|stop}
dir=${2:?a directory for the server files}
root="$(cd "$(dirname "$0")/.." && pwd)"
PG_PORT=${NORTHSTAR_PG_PORT:-55432}
CH_HTTP=(${NORTHSTAR_CH_HTTP_PORTS:-58123 58124})
CH_TCP=(${NORTHSTAR_CH_TCP_PORTS:-59000 59001})

log() { echo "scale-out: $*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && { echo "$d"; return; }; done
  return 1
}

install_missing() {
  local pkgs=()
  pg_bin >/dev/null || pkgs+=(postgresql)
  [ -x /usr/bin/clickhouse ] || [ -x /usr/sbin/clickhouse-server ] || pkgs+=(clickhouse-server)
  if [ ${#pkgs[@]} -gt 0 ]; then
    log "installing Debian's ${pkgs[*]}…"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null
  fi
  if [ ! -d "$root/node_modules/chdb" ]; then
    log "installing chdb (in-process ClickHouse) for this suite only…"
    (cd "$root" && npm install --no-save --no-audit --no-fund --ignore-scripts chdb@3.4.0 >/dev/null)
  fi
}

wait_for() { # url-or-command, what
  local i
  for i in $(seq 1 100); do
    if eval "$1" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  log "$2 did not start"; return 1
}

start_pg() {
  local bin; bin=$(pg_bin)
  local owner=postgres
  [ "$(id -u)" -ne 0 ] && owner=$(id -un)
  mkdir -p "$dir/pg"
  chown "$owner" "$dir/pg"
  local run=(); [ "$(id -u)" -eq 0 ] && run=(runuser -u "$owner" --)
  "${run[@]}" "$bin/initdb" -D "$dir/pg/data" -U northstar --auth=trust -E UTF8 --no-locale >"$dir/pg/initdb.log" 2>&1
  "${run[@]}" "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir/pg -c fsync=off -c shared_buffers=64MB" start >/dev/null
  echo "export NORTHSTAR_TEST_PG=postgres://northstar@127.0.0.1:$PG_PORT/postgres"
}

ch_config() { # n http tcp
  local d="$dir/ch$1"
  mkdir -p "$d/data" "$d/tmp" "$d/log"
  cat >"$d/config.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$d/log/server.log</log><errorlog>$d/log/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>$2</http_port>
  <tcp_port>$3</tcp_port>
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <users_config>$d/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <max_concurrent_queries>50</max_concurrent_queries>
  <remote_servers>
    <northstar>
      <shard><replica><host>127.0.0.1</host><port>${CH_TCP[0]}</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>${CH_TCP[1]}</port></replica></shard>
    </northstar>
  </remote_servers>
</yandex>
XML
  cat >"$d/users.xml" <<XML
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage><max_threads>2</max_threads></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
XML
  chown -R clickhouse "$d" 2>/dev/null || true
}

start_ch() {
  local bin=/usr/bin/clickhouse; [ -x "$bin" ] || bin=/usr/sbin/clickhouse-server
  local i run=()
  [ "$(id -u)" -eq 0 ] && getent passwd clickhouse >/dev/null && run=(runuser -u clickhouse --)
  for i in 0 1; do
    ch_config "$i" "${CH_HTTP[$i]}" "${CH_TCP[$i]}"
    if [ "$bin" = /usr/bin/clickhouse ]; then
      "${run[@]}" "$bin" server --config-file="$dir/ch$i/config.xml" --pid-file="$dir/ch$i/pid" --daemon
    else
      "${run[@]}" "$bin" --config-file="$dir/ch$i/config.xml" --pid-file="$dir/ch$i/pid" --daemon
    fi
  done
  for i in 0 1; do wait_for "curl -sf http://127.0.0.1:${CH_HTTP[$i]}/ping" "clickhouse-server shard $i"; done
  echo "export NORTHSTAR_TEST_CH_SHARDS=http://127.0.0.1:${CH_HTTP[0]},http://127.0.0.1:${CH_HTTP[1]}"
  echo "export NORTHSTAR_TEST_CH_CLUSTER=northstar"
}

case "$cmd" in
  start)
    mkdir -p "$dir"; chmod 755 "$dir"
    install_missing
    start_pg
    start_ch
    echo "export NORTHSTAR_TEST_CHDB=1"
    ;;
  stop)
    if [ -f "$dir/pg/data/postmaster.pid" ]; then
      owner=$(stat -c %U "$dir/pg/data")
      run=(); [ "$(id -u)" -eq 0 ] && run=(runuser -u "$owner" --)
      "${run[@]}" "$(pg_bin)/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null || true
    fi
    for i in 0 1; do
      if [ -f "$dir/ch$i/pid" ]; then
        pid=$(cat "$dir/ch$i/pid"); kill "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      fi
    done
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
