#!/usr/bin/env bash
# A one-node Slurm cluster on localhost, for tests and CI: munged with a
# generated key, slurmctld and slurmd with a generated slurm.conf, all in
# one private folder (state, spool, logs, sockets). Installs nothing.
#
#   scripts/slurm-local.sh start [DIR]   # start; prints `export SLURM_CONF=...`
#   scripts/slurm-local.sh env [DIR]     # print that line again
#   scripts/slurm-local.sh status [DIR]  # sinfo of the running cluster
#   scripts/slurm-local.sh stop [DIR]    # stop the daemons, delete DIR
#
#   eval "$(scripts/slurm-local.sh start)"; sbatch ...; scripts/slurm-local.sh stop
#
# DIR defaults to $SGDL_SLURM_DIR, else $TMPDIR/sgdl-slurm-local. The
# node has $SGDL_SLURM_CPUS CPUs (default: 2, or fewer if the machine
# has fewer) and one partition, "debug". Needs root (slurmd launches
# jobs) and the Debian packages slurm-wlm and munge.
#
# Exit status: 0 done, 1 failed (logs are printed), 2 usage, 3 a
# prerequisite is missing (the message says which).
set -euo pipefail

say() { printf '[slurm-local] %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

cmd=${1:-}
dir=${2:-${SGDL_SLURM_DIR:-${TMPDIR:-/tmp}/sgdl-slurm-local}}
case "$cmd" in
  start|stop|env|status) ;;
  -h|--help|help) sed -n '2,20p' "$0"; exit 0 ;;
  *) say "usage: $0 start|stop|env|status [DIR]"; exit 2 ;;
esac

prereqs() {
  local missing=()
  for b in munged mungekey slurmctld slurmd sbatch squeue scancel sinfo scontrol; do
    command -v "$b" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin" command -v "$b" >/dev/null 2>&1 || missing+=("$b")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    say "missing ${missing[*]}: install the Debian packages slurm-wlm and munge" \
      "(apt-get install slurm-wlm munge)"
    exit 3
  fi
  if [ "$(id -u)" != 0 ]; then
    say "must run as root (slurmd launches the jobs)"
    exit 3
  fi
}

export PATH="$PATH:/usr/sbin:/sbin"

# First free TCP port on 127.0.0.1 from $1 on (nothing answers a connect).
free_port() {
  local p=$1
  while (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; do p=$((p + 1)); done
  echo "$p"
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

print_env() {
  printf 'export SLURM_CONF=%q\n' "$dir/slurm.conf"
}

stop_daemon() { # pidfile name
  local pf=$1 name=$2 i
  pid_alive "$pf" || return 0
  local pid
  pid=$(cat "$pf")
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  say "$name (pid $pid) did not stop; killing it"
  kill -KILL "$pid" 2>/dev/null || true
}

show_logs() {
  for f in "$dir"/log/*.log; do
    [ -f "$f" ] || continue
    say "---- $(basename "$f") (last 30 lines)"
    tail -n 30 "$f" >&2 || true
  done
}

case "$cmd" in
  env)
    [ -f "$dir/slurm.conf" ] || die "no cluster in $dir (run start first)"
    print_env
    exit 0
    ;;
  status)
    [ -f "$dir/slurm.conf" ] || die "no cluster in $dir"
    SLURM_CONF="$dir/slurm.conf" sinfo
    exit 0
    ;;
  stop)
    if [ ! -d "$dir" ]; then say "nothing to stop in $dir"; exit 0; fi
    if [ -f "$dir/slurm.conf" ]; then
      # Cancel what is left so slurmd's job processes go too.
      SLURM_CONF="$dir/slurm.conf" timeout 10 scancel --quiet --full \
        --user=root 2>/dev/null || true
    fi
    stop_daemon "$dir/slurmd.pid" slurmd
    stop_daemon "$dir/slurmctld.pid" slurmctld
    stop_daemon "$dir/munge/munged.pid" munged
    [ -f "$dir/.sgdl-slurm-local" ] && rm -rf "$dir"
    say "stopped"
    exit 0
    ;;
esac

# ---------------------------------------------------------------- start
prereqs
if [ -f "$dir/slurm.conf" ] && pid_alive "$dir/slurmctld.pid" && pid_alive "$dir/slurmd.pid"; then
  say "already running in $dir"
  print_env
  exit 0
fi
if [ -e "$dir" ] && [ ! -f "$dir/.sgdl-slurm-local" ] && [ -n "$(ls -A "$dir")" ]; then
  die "$dir exists and is not ours; choose another DIR"
fi
# Half a cluster (a daemon died): start again from scratch.
stop_daemon "$dir/slurmd.pid" slurmd
stop_daemon "$dir/slurmctld.pid" slurmctld
mkdir -p "$dir"
chmod 0700 "$dir"
touch "$dir/.sgdl-slurm-local"
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 0700 "$dir/munge"

# munge: a fresh key, a private socket.
if [ ! -f "$dir/munge/munge.key" ]; then
  mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null 2>&1 \
    || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1 count=1024 2>/dev/null
  chmod 0400 "$dir/munge/munge.key"
fi
sock="$dir/munge/munge.socket"
if ! pid_alive "$dir/munge/munged.pid"; then
  munged --force --socket="$sock" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" \
    --seed-file="$dir/munge/munged.seed" \
    || { show_logs; die "munged did not start"; }
fi
for i in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
munge --socket="$sock" -n </dev/null | unmunge --socket="$sock" >/dev/null 2>&1 \
  || { show_logs; die "munge does not answer on $sock"; }

# slurm.conf: one node, one partition, no accounting, no cgroups.
cores=$(nproc)
cpus=${SGDL_SLURM_CPUS:-2}
[ "$cpus" -gt "$cores" ] && cpus=$cores
mem=$(awk '/^MemTotal:/ {printf "%d", $2 / 1024 * 0.9}' /proc/meminfo)
ctld_port=$(free_port 16817)
slurmd_port=$(free_port $((ctld_port + 1)))
: > "$dir/plugstack.conf"
cat > "$dir/slurm.conf" <<EOF
# Generated by scripts/slurm-local.sh: a one-node cluster on localhost.
ClusterName=sgdllocal
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$sock
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SlurmdParameters=config_overrides
PlugStackConfig=$dir/plugstack.conf
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ReturnToService=2
KillWait=5
MinJobAge=600
InactiveLimit=0
Waittime=0
MaxArraySize=10001
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"

slurmctld -c -f "$SLURM_CONF" || { show_logs; die "slurmctld did not start"; }
slurmd -N localhost -f "$SLURM_CONF" || { show_logs; die "slurmd did not start"; }

# Wait until the node takes jobs.
for i in $(seq 1 150); do
  state=$(sinfo -h -N -n localhost -o '%t' 2>/dev/null || true)
  case "$state" in
    idle*|mix*|alloc*) break ;;
  esac
  sleep 0.2
done
case "${state:-}" in
  idle*|mix*|alloc*) ;;
  *) show_logs; die "node did not come up (state: ${state:-unknown})" ;;
esac
say "running in $dir: node localhost ($cpus CPUs), partition debug," \
  "slurmctld port $ctld_port"
print_env
