#!/usr/bin/env bash
# A one-node SLURM cluster on this machine, on loopback only, to try profiles/slurm for real.
#
#   sudo scripts/slurm/local_cluster.sh install   # apt-get: slurm-wlm + munge (Debian 12: SLURM 22.05)
#   sudo scripts/slurm/local_cluster.sh start     # write slurm.conf, start munged, slurmctld, slurmd
#   scripts/slurm/local_cluster.sh status         # the daemons this script started; sinfo
#   sudo scripts/slurm/local_cluster.sh stop      # stop exactly the daemons this script started
#
# For a test machine or a container, not a real cluster: one node (this host), CPUs=2, no accounting
# database, no cgroups (ProctrackType=proctrack/linuxproc, TaskPlugin=task/none: sandboxes without cgroup
# delegation crash slurmd otherwise), so a job's --mem is used for scheduling but not enforced.
# It starts no systemd units; the daemons' process ids are kept in $STATE/run/*.pid and `stop` ends
# exactly those processes (after checking each one's command name). It refuses to overwrite a
# /etc/slurm/slurm.conf that it did not write.
#
# Everything lives under STATE (default /var/lib/lifsim-slurm): conf/slurm.conf, spool/, ctld/, log/, run/.
# /etc/slurm/slurm.conf is a symlink to conf/slurm.conf: it must be there, because the jobstep plugin of
# snakemake strips every SLURM_* variable (SLURM_CONF included) before its inner srun.
set -euo pipefail

STATE=${LIFSIM_SLURM_STATE:-/var/lib/lifsim-slurm}
CONF=$STATE/conf/slurm.conf
ETC_CONF=/etc/slurm/slurm.conf
MARK="# written by lifsim scripts/slurm/local_cluster.sh"
MUNGE_RUN=/run/munge                   # munge's default socket folder: sacctmgr/srun ignore another one
NODE=$(hostname -s)

die() { echo "local_cluster: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "run as root (it installs packages, writes /etc/slurm and starts daemons)"; }

install_packages() {
    need_root
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y slurm-wlm munge
    # Installing starts nothing here (no systemd); the munge package made /etc/munge/munge.key.
    [ -s /etc/munge/munge.key ] || mungekey --create --force
}

write_conf() {
    # RealMemory a little below what slurmd detects (a node that reports less than its RealMemory is drained).
    local detected real
    detected=$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' | head -1)
    [ -n "$detected" ] || die "slurmd -C reported no RealMemory"
    real=$(( detected * 95 / 100 ))
    mkdir -p "$STATE"/{conf,spool,ctld,log,run}
    chown slurm:slurm "$STATE/ctld" "$STATE/log"
    cat > "$CONF" <<EOF
$MARK: a one-node test cluster on loopback
ClusterName=lifsim-local
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=slurm
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
# no cgroups in this sandbox: track processes by parent id, no task binding, no cgroup.conf at all
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# no accounting database: sacct does not work; snakemake polls with squeue (keep MinJobAge >= 120 s)
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MinJobAge=300
SchedulerType=sched/backfill
# start a submitted batch job at once instead of after the default batch delay
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
SlurmctldPort=6817
SlurmdPort=6818
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$STATE/run/slurmctld.pid
SlurmdPidFile=$STATE/run/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
NodeName=$NODE NodeAddr=127.0.0.1 NodeHostname=$NODE CPUs=2 RealMemory=$real State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
    mkdir -p /etc/slurm
    if [ -e "$ETC_CONF" ] || [ -L "$ETC_CONF" ]; then
        [ "$(readlink -f "$ETC_CONF")" = "$(readlink -f "$CONF")" ] || grep -q "^$MARK" "$ETC_CONF" \
            || die "$ETC_CONF exists and was not written by this script: not touching it"
        rm -f "$ETC_CONF"
    fi
    ln -s "$CONF" "$ETC_CONF"
}

alive() {  # alive PIDFILE NAME: the process in PIDFILE runs and its command is NAME
    local pid
    [ -s "$1" ] || return 1
    pid=$(cat "$1")
    [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm")" = "$2" ]
}

start() {
    need_root
    command -v slurmctld >/dev/null || die "SLURM is not installed: run '$0 install' first"
    write_conf
    # munged, as the munge user, with its default socket and pid file.
    if alive "$STATE/run/munged.pid" munged; then
        :   # started by an earlier 'start'
    elif alive "$MUNGE_RUN/munged.pid" munged; then
        echo "munged already runs (pid $(cat "$MUNGE_RUN/munged.pid")), not started here: using it; 'stop' leaves it"
    else
        install -d -o munge -g munge -m 0755 "$MUNGE_RUN"
        runuser -u munge -- munged
        for _ in $(seq 50); do alive "$MUNGE_RUN/munged.pid" munged && break; sleep 0.1; done
        alive "$MUNGE_RUN/munged.pid" munged || die "munged did not start (see /var/log/munge/munged.log)"
        cp "$MUNGE_RUN/munged.pid" "$STATE/run/munged.pid"   # ours: 'stop' ends it
    fi
    munge -n | unmunge >/dev/null || die "munge does not work"
    alive "$STATE/run/slurmctld.pid" slurmctld || slurmctld
    for _ in $(seq 100); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 0.2; done
    scontrol ping | grep -q UP || die "slurmctld did not come up (see $STATE/log/slurmctld.log)"
    alive "$STATE/run/slurmd.pid" slurmd || slurmd
    for _ in $(seq 150); do
        state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null || true)
        [ "$state" = idle ] && break
        sleep 0.2
    done
    [ "$state" = idle ] || die "node $NODE is '$state', not idle (see $STATE/log/slurmd.log)"
    status
}

stop_one() {  # stop_one NAME PIDFILE
    local pid
    if alive "$2" "$1"; then
        pid=$(cat "$2")
        kill "$pid"
        for _ in $(seq 100); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
        [ -d "/proc/$pid" ] && die "$1 (pid $pid) did not stop"
        echo "stopped $1 (pid $pid)"
    fi
    rm -f "$2"
}

stop() {
    need_root
    stop_one slurmd "$STATE/run/slurmd.pid"
    stop_one slurmctld "$STATE/run/slurmctld.pid"
    if [ -s "$STATE/run/munged.pid" ]; then   # only a munged that this script started
        stop_one munged "$STATE/run/munged.pid"
        rm -f "$MUNGE_RUN/munged.pid"
    fi
}

status() {
    local name
    for name in munged slurmctld slurmd; do
        if alive "$STATE/run/$name.pid" "$name"; then echo "$name: running, pid $(cat "$STATE/run/$name.pid")"
        else echo "$name: not running (none started by this script)"; fi
    done
    if scontrol ping 2>/dev/null | grep -q UP; then sinfo; fi
}

case "${1:-}" in
    install) install_packages ;;
    start) start ;;
    stop) stop ;;
    status) status ;;
    *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
