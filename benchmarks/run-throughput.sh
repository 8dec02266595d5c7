#!/usr/bin/env bash
# ConvGen vs TorchSharp throughput, back to back in one run (DESIGN.md §7): for every network,
# ConvGen's `throughput` then TorchSharp's with the same batch, threads and timing, then a markdown
# table of medians and ratios. Absolute figures on a shared machine are noisy; the ratios of one
# run are what to quote. Results go to benchmarks/results/<UTC date-time>/ (JSON per run + table.md).
#
#   benchmarks/run-throughput.sh                       # the full table: see CONFIGS and THREADS below
#   ROUNDS=3 benchmarks/run-throughput.sh              # the same, medians of 3 rounds
#   NETS="lenet" BATCHES="32 1" THREADS=1 benchmarks/run-throughput.sh
#   CONFIGS="mobilenet:32 unet:16" benchmarks/run-throughput.sh
#
# Variables: CONFIGS (net:batch pairs, net one of seed lenet fashion mobilenet unet; default the speed issue's table: seed at 32 and at 1 for
# the batch-1 latency, lenet and fashion at 64), or NETS x BATCHES instead when either is set;
# THREADS (a list; default "1 <nproc>"), ROUNDS (pairs per configuration; medians are reported),
# BLOCKS, WARMUP (seconds), BLOCK_SECONDS, SAMPLES, OUT (result folder).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -n "${NETS:-}${BATCHES:-}" ]; then
  CONFIGS=""
  for batch in ${BATCHES:-32}; do
    for net in ${NETS:-seed lenet fashion}; do CONFIGS="$CONFIGS $net:$batch"; done
  done
fi
CONFIGS=${CONFIGS:-"seed:32 seed:1 lenet:64 fashion:64"}
THREADS=${THREADS:-"1 $(nproc)"}
ROUNDS=${ROUNDS:-1}
BLOCKS=${BLOCKS:-7}
WARMUP=${WARMUP:-3}
BLOCK_SECONDS=${BLOCK_SECONDS:-1}
SAMPLES=${SAMPLES:-512}
OUT=${OUT:-benchmarks/results/$(date -u +%Y-%m-%dT%H-%M-%SZ)}
mkdir -p "$OUT"

dotnet build -c Release benchmarks/ConvGen.Benchmarks -v q -nologo
dotnet build -c Release benchmarks/ConvGen.Benchmarks.Torch -v q -nologo
convgen=(dotnet benchmarks/ConvGen.Benchmarks/bin/Release/net10.0/ConvGen.Benchmarks.dll)
torch=(dotnet benchmarks/ConvGen.Benchmarks.Torch/bin/Release/net10.0/ConvGen.Benchmarks.Torch.dll)
common=(--blocks "$BLOCKS" --warmup-seconds "$WARMUP" --block-seconds "$BLOCK_SECONDS" --samples "$SAMPLES")

echo "== uptime: $(uptime)"
"${convgen[@]}" peak --json "$OUT/peak.json"
for round in $(seq 1 "$ROUNDS"); do
  for threads in $THREADS; do
    for config in $CONFIGS; do
      net=${config%%:*}
      batch=${config##*:}
      echo "== round $round, $net, batch $batch, threads $threads; uptime: $(uptime)"
      run="$net-b$batch-t$threads-r$round"
      "${convgen[@]}" throughput --net "$net" --batch "$batch" --threads "$threads" "${common[@]}" --json "$OUT/throughput-$run-convgen.json"
      "${torch[@]}" throughput --net "$net" --batch "$batch" --threads "$threads" "${common[@]}" --json "$OUT/throughput-$run-torch.json"
    done
  done
done
"${convgen[@]}" report --dir "$OUT" | tee "$OUT/table.md"
echo "== written to $OUT/table.md"
