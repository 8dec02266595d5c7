#!/usr/bin/env bash
# ConvGen vs TorchSharp throughput, back to back in one run (DESIGN.md §7): for every network,
# ConvGen's `throughput` then TorchSharp's with the same batch, threads and timing, then a markdown
# table of medians and ratios. Absolute figures on a shared machine are noisy; the ratios of one
# run are what to quote. Results go to benchmarks/results/<UTC date-time>/ (JSON per run + table.md).
#
#   benchmarks/run-throughput.sh                       # seed lenet fashion, batch 32, all cores
#   NETS="lenet" BATCHES="32 1" THREADS=1 ROUNDS=3 benchmarks/run-throughput.sh
#
# Variables: NETS, BATCHES, THREADS (default nproc), ROUNDS (pairs per configuration; medians are
# reported), BLOCKS, WARMUP (seconds), BLOCK_SECONDS, SAMPLES, OUT (result folder).
set -euo pipefail
cd "$(dirname "$0")/.."

NETS=${NETS:-"seed lenet fashion"}
BATCHES=${BATCHES:-32}
THREADS=${THREADS:-$(nproc)}
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
common=(--threads "$THREADS" --blocks "$BLOCKS" --warmup-seconds "$WARMUP" --block-seconds "$BLOCK_SECONDS" --samples "$SAMPLES")

echo "== uptime: $(uptime)"
"${convgen[@]}" peak --json "$OUT/peak.json"
for round in $(seq 1 "$ROUNDS"); do
  for batch in $BATCHES; do
    for net in $NETS; do
      echo "== round $round, $net, batch $batch, threads $THREADS; uptime: $(uptime)"
      "${convgen[@]}" throughput --net "$net" --batch "$batch" "${common[@]}" --json "$OUT/throughput-$net-b$batch-r$round-convgen.json"
      "${torch[@]}" throughput --net "$net" --batch "$batch" "${common[@]}" --json "$OUT/throughput-$net-b$batch-r$round-torch.json"
    done
  done
done
"${convgen[@]}" report --dir "$OUT" | tee "$OUT/table.md"
echo "== written to $OUT/table.md"
