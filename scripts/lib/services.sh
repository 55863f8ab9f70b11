# Helpers shared by the private-service scripts (mariadb.sh, redis.sh, memcached.sh, rabbitmq.sh).
# Source it; it defines functions only.

# find_bin NAME: the path of a server program (also looked up in /usr/sbin, which root's PATH may
# lack), or a message naming the install script.
find_bin() {
  local name=$1
  command -v "$name" 2>/dev/null || { [[ -x /usr/sbin/$name ]] && echo "/usr/sbin/$name"; } || {
    echo "${0##*/}: $name not found (run scripts/install-deps.sh)" >&2
    return 1
  }
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
  python3 -S -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# alive PID: the process runs. A daemon's parent is init, which may reap it late: a zombie that
# exited but was not reaped yet counts as gone.
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}
