#!/usr/bin/env bash
# Starts or stops a private standalone HBase with its Thrift2 gateway for tests: one JVM
# (scripts/hbase/ChirpHBase.java runs ZooKeeper, a master, a region server and the gateway), all
# state in DIR, every port a free loopback port. The data is thrown away: start wipes DIR's state.
# Usage: scripts/hbase.sh start DIR   → prints hbase://127.0.0.1:PORT (also in DIR/url) once the
#                                       gateway serves calls that need the master
#        scripts/hbase.sh stop DIR
#        scripts/hbase.sh pid DIR     → prints the JVM's process id
#        scripts/hbase.sh fetch       → only downloads the jars (done by start when missing)
# Needs Java 17 and Maven (apt: openjdk-17-jdk-headless maven). The jars (~120 MB, from Maven
# Central through scripts/hbase/pom.xml) are cached in $CHIRP_HBASE_LIB, by default
# ~/.cache/chirp/hbase-VERSION/lib. Environment: CHIRP_HBASE_HEAP (default 1g; 4g in bench mode),
# CHIRP_HBASE_THRIFT_TIMEOUT_MS (the gateway drops connections idle this long; default 600000),
# CHIRP_HBASE_MODE: test (default: a JVM that starts fast — C1 only, serial GC, small heap — and
# HBase's write path tuned small) or bench (bench/run.sh full: full JIT, parallel GC, a 4 GB heap,
# big memstore flushes, no region splits and fewer compactions: hbase/hbase-site-bench.xml.in).
# `chirp seed`'s 7M wide-column rows cost the JVM ~75 s of CPU in bench mode, over 200 s in test
# mode.
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"

usage() { echo "usage: $0 start|stop|pid DIR  or  $0 fetch" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
pom=$here/hbase/pom.xml
launcher_src=$here/hbase/ChirpHBase.java
hbase_version=$(sed -n 's:.*<hbase.version>\(.*\)</hbase.version>.*:\1:p' "$pom")
libdir=${CHIRP_HBASE_LIB:-$HOME/.cache/chirp/hbase-$hbase_version/lib}
start_timeout=180
mode=${CHIRP_HBASE_MODE:-test}
case "$mode" in
  test) jvm_tuning=(-Xmx"${CHIRP_HBASE_HEAP:-1g}" -Xms64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1) ;;
  # Parallel GC: the least GC CPU on 2 shared cores (memstore cells live in MSLAB chunks).
  bench) jvm_tuning=(-Xmx"${CHIRP_HBASE_HEAP:-4g}" -Xms"${CHIRP_HBASE_HEAP:-4g}" -XX:+UseParallelGC) ;;
  *) echo "${0##*/}: CHIRP_HBASE_MODE must be test or bench (not $mode)" >&2; exit 2 ;;
esac

# find_java: a Java 11..22 (HBase 2.6 runs on 17; Hadoop's login code breaks on 23+).
find_java() {
  local candidate major
  for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null || true)" \
                   /usr/lib/jvm/java-17-openjdk-*/bin/java; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    major=$("$candidate" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
    if [[ -n "$major" ]] && ((major >= 11 && major <= 22)); then
      echo "$candidate"
      return 0
    fi
  done
  echo "${0##*/}: no Java 11..22 found (run scripts/install-deps.sh: openjdk-17-jdk-headless)" >&2
  return 1
}

# fetch_jars: copies HBase's runtime jars into $libdir unless a previous copy of the same pom
# completed (the marker holds the pom's checksum). A lock keeps parallel starts from racing.
fetch_jars() {
  local cache sum staging
  cache=$(dirname "$libdir")
  sum=$(sha256sum "$pom" | cut -d' ' -f1)
  if [[ "$(cat "$libdir/.complete" 2>/dev/null)" == "$sum" ]]; then
    return 0
  fi
  command -v mvn >/dev/null || {
    echo "${0##*/}: mvn not found (run scripts/install-deps.sh: maven)" >&2
    return 1
  }
  mkdir -p "$cache"
  exec 9>"$cache/.fetch.lock"
  flock 9
  if [[ "$(cat "$libdir/.complete" 2>/dev/null)" != "$sum" ]]; then
    echo "${0##*/}: fetching HBase $hbase_version jars into $libdir (first time: ~120 MB)" >&2
    staging=$libdir.partial
    rm -rf "$staging"
    if ! (cd "$here/hbase" && mvn -B -q dependency:copy-dependencies \
            -DoutputDirectory="$staging" -DincludeScope=runtime) >"$cache/fetch.log" 2>&1; then
      echo "${0##*/}: mvn could not fetch the HBase jars; log:" >&2
      tail -n 20 "$cache/fetch.log" >&2
      return 1
    fi
    echo "$sum" >"$staging/.complete"
    rm -rf "$libdir"
    mv "$staging" "$libdir"
  fi
  exec 9>&-
}

# launcher_classes: the directory holding ChirpHBase.class, compiled once per source version.
launcher_classes() {
  local java=$1 sum classes staging
  sum=$(cat "$launcher_src" "$pom" | sha256sum | cut -c1-16)
  classes=$(dirname "$libdir")/launcher-$sum
  if [[ ! -f "$classes/ChirpHBase.class" ]]; then
    staging=$classes.partial.$$
    rm -rf "$staging"
    mkdir -p "$staging"
    "$(dirname "$(readlink -f "$java")")/javac" -nowarn -d "$staging" -cp "$libdir/*" \
      "$launcher_src" >&2 || { rm -rf "$staging"; echo "${0##*/}: javac failed" >&2; return 1; }
    mv -T "$staging" "$classes" 2>/dev/null || rm -rf "$staging"  # another start won the race
  fi
  echo "$classes"
}

running() { [[ -f "$dir/hbase.pid" ]] && alive "$(cat "$dir/hbase.pid")"; }

# The flags HBase's own launcher adds on JDK 11+.
jvm_module_flags=(
  -Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true
  --add-modules jdk.unsupported
  --add-opens java.base/java.io=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens java.base/java.util=ALL-UNNAMED
  --add-opens java.base/java.util.concurrent=ALL-UNNAMED
  --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
  --add-exports java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-exports java.base/sun.net.dns=ALL-UNNAMED --add-exports java.base/sun.net.util=ALL-UNNAMED
)

# launch JAVA CLASSES PORT: runs the JVM; returns 0 once it printed READY, 3 when the gateway
# could not bind PORT, 1 on any other failure (after printing the log's tail).
launch() {
  local java=$1 classes=$2 port=$3 pid deadline status
  rm -rf "$dir/root" "$dir/zk" "$dir/tmp" "$dir/hbase.pid" "$dir/launcher.out"
  mkdir -p "$dir/zk" "$dir/tmp"
  # setsid: the JVM outlives this script and ignores the caller's terminal signals; it must not
  # hold the caller's stdout either (url=$(... start DIR) would hang).
  setsid "$java" "${jvm_tuning[@]}" \
    -XX:-UsePerfData -Djava.net.preferIPv4Stack=true "${jvm_module_flags[@]}" \
    -Dlog4j2.configurationFile="$dir/conf/log4j2.properties" -Dchirp.hbase.log="$dir/hbase.log" \
    -cp "$dir/conf:$classes:$libdir/*" ChirpHBase "$port" \
    "${CHIRP_HBASE_THRIFT_TIMEOUT_MS:-600000}" </dev/null >"$dir/launcher.out" 2>&1 &
  pid=$!
  echo "$pid" >"$dir/hbase.pid"
  deadline=$((SECONDS + start_timeout))
  while ((SECONDS < deadline)); do
    if grep -qs '^READY' "$dir/launcher.out"; then
      return 0
    fi
    if ! alive "$pid"; then
      status=0
      wait "$pid" || status=$?
      rm -f "$dir/hbase.pid"
      if ((status == 3)); then
        return 3
      fi
      echo "${0##*/}: HBase exited during start (status $status):" >&2
      tail -n 5 "$dir/launcher.out" >&2 || true
      echo "--- last lines of $dir/hbase.log:" >&2
      tail -n 30 "$dir/hbase.log" >&2 || true
      return 1
    fi
    sleep 0.2
  done
  echo "${0##*/}: HBase did not come up within $start_timeout s; last lines of $dir/hbase.log:" >&2
  tail -n 30 "$dir/hbase.log" >&2 || true
  stop >/dev/null 2>&1 || true
  return 1
}

start() {
  local java classes attempt port status
  java=$(find_java)
  fetch_jars
  classes=$(launcher_classes "$java")
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if running; then
    echo "${0##*/}: already running in $dir" >&2
    exit 1
  fi
  mkdir -p "$dir/conf"
  sed "s|@DIR@|$dir|g" "$here/hbase/hbase-site.xml.in" >"$dir/conf/hbase-site.xml"
  if [[ $mode == bench ]]; then
    # The bench properties go in before </configuration>; a later property overrides an earlier one.
    awk -v extra="$here/hbase/hbase-site-bench.xml.in" \
      '/<\/configuration>/ { while ((getline line < extra) > 0) print line } { print }' \
      "$dir/conf/hbase-site.xml" >"$dir/conf/hbase-site.xml.tmp"
    mv "$dir/conf/hbase-site.xml.tmp" "$dir/conf/hbase-site.xml"
  fi
  cp "$here/hbase/log4j2.properties" "$dir/conf/log4j2.properties"
  for attempt in 1 2 3; do
    port=$(free_port)
    status=0
    launch "$java" "$classes" "$port" || status=$?
    if ((status == 0)); then
      break
    fi
    if ((status != 3 || attempt == 3)); then
      exit 1
    fi
    echo "${0##*/}: port $port was taken; trying another" >&2
  done
  echo "$port" >"$dir/port"
  echo "hbase://127.0.0.1:$port" | tee "$dir/url"
}

stop() {
  local pid deadline
  if [[ ! -f "$dir/hbase.pid" ]]; then
    echo "${0##*/}: no server recorded in $dir" >&2
    return 0
  fi
  pid=$(cat "$dir/hbase.pid")
  if alive "$pid"; then
    kill -TERM "$pid"
    deadline=$((SECONDS + 30))
    while alive "$pid" && ((SECONDS < deadline)); do
      sleep 0.1
    done
    if alive "$pid"; then
      echo "${0##*/}: HBase $pid did not stop in 30 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      while alive "$pid"; do sleep 0.1; done
    fi
  fi
  rm -f "$dir/hbase.pid"
}

case "${1:-}" in
  fetch) [[ $# -eq 1 ]] || usage; fetch_jars ;;
  start|stop|pid)
    [[ $# -eq 2 ]] || usage
    dir=$2
    case "$1" in
      start) start ;;
      stop) stop ;;
      pid) running && cat "$dir/hbase.pid" || { echo "${0##*/}: not running in $dir" >&2; exit 1; } ;;
    esac
    ;;
  *) usage ;;
esac
