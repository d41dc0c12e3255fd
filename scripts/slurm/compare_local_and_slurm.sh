#!/usr/bin/env bash
# Run the pipeline on the tests' tiny config twice, locally and through profiles/slurm, time both and
# check that both runs wrote the same results. Needs a running SLURM (scripts/slurm/local_cluster.sh start)
# and snakemake-executor-plugin-slurm (pip install -e ".[slurm]").
#
#   scripts/slurm/compare_local_and_slurm.sh [WORKDIR]      # WORKDIR: a new or empty folder (default: mktemp)
#
# The two commands it times, each in its own copy of the workflow:
#   local:  snakemake -c2
#   SLURM:  snakemake --profile profiles/slurm --slurm-status-command squeue --slurm-no-account \
#               --slurm-init-seconds-before-status-checks 5
# The three --slurm-* options are for the one-node test cluster, which has no accounting database:
# without `--slurm-status-command squeue` the plugin polls sacct, which fails, and it then hangs; with no
# account there is nothing to guess one from; the first status poll would otherwise come after 40 s.
# A real cluster with accounting needs none of them (README "Running on a cluster (SLURM)").
set -euo pipefail

REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${1:-$(mktemp -d /tmp/lifsim-slurm.XXXXXX)}
PYTHON=${PYTHON:-python3}
command -v sbatch >/dev/null || { echo "SLURM is not installed (scripts/slurm/local_cluster.sh install)" >&2; exit 1; }
scontrol ping | grep -q UP || { echo "no slurmctld answers (scripts/slurm/local_cluster.sh start)" >&2; exit 1; }
"$PYTHON" -c "import snakemake_executor_plugin_slurm" 2>/dev/null \
    || { echo "snakemake-executor-plugin-slurm is missing: pip install -e '.[slurm]'" >&2; exit 1; }

"$PYTHON" "$REPO/scripts/slurm/tiny_pipeline.py" prepare "$WORK/local" "$WORK/slurm"

seconds() { date +%s.%N; }
run() {  # run NAME CMD...: run CMD in $WORK/NAME, output to $WORK/NAME/run.log; prints the wall time
    local start end
    start=$(seconds)
    (cd "$WORK/$1" && shift && "$@") > "$WORK/$1/run.log" 2>&1 \
        || { echo "$1 run failed: see $WORK/$1/run.log" >&2; tail -30 "$WORK/$1/run.log" >&2; exit 1; }
    end=$(seconds)
    awk -v a="$start" -v b="$end" "BEGIN { print b - a }"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
local_s=$(run local "$PYTHON" -m snakemake -c2)
slurm_s=$(run slurm timeout 1200 "$PYTHON" -m snakemake --profile profiles/slurm --slurm-status-command squeue \
    --slurm-no-account --slurm-init-seconds-before-status-checks 5)

jobs=$(grep -c "has been submitted with SLURM jobid" "$WORK/slurm/run.log" || true)
steps_local=$(grep -o "[0-9]* of [0-9]* steps (100%) done" "$WORK/local/run.log" | tail -1)
steps_slurm=$(grep -o "[0-9]* of [0-9]* steps (100%) done" "$WORK/slurm/run.log" | tail -1)
echo "load average (1, 5, 15 min) before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf "local run:  %6.1f s wall  (%s)\n" "$local_s" "$steps_local"
printf "SLURM run:  %6.1f s wall  (%s; %s SLURM jobs)\n" "$slurm_s" "$steps_slurm" "$jobs"
for id in $(grep -o "SLURM jobid [0-9]*" "$WORK/slurm/run.log" | awk '{print $3}'); do
    scontrol show job "$id" 2>/dev/null | tr ' ' '\n' | grep -E "^(JobId|JobState|RunTime|TRES)=" | paste -sd' ' || true
done
"$PYTHON" "$REPO/scripts/slurm/tiny_pipeline.py" compare "$WORK/local" "$WORK/slurm"
echo "runs and logs kept in $WORK"
