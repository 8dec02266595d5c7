#!/usr/bin/env bash
# Fuzzes one ConvGen reader of untrusted bytes with libFuzzer for a fixed time:
#
#   fuzz/run.sh READER SECONDS        READER: safetensors | onnx | idx | csv
#
# Builds fuzz/ConvGen.Fuzz in Release, instruments ConvGen.dll and ConvGen.Onnx.dll with SharpFuzz
# (`dotnet sharpfuzz`, the local tool of .config/dotnet-tools.json), builds fuzz/driver with clang
# when it changed, then runs libFuzzer on the seeds of fuzz/corpus/READER plus the inputs earlier
# runs found (fuzz/out/corpus/READER). Crashing, hanging or memory-hungry inputs go to
# fuzz/findings/READER/ (git-ignored). Exit status: 0 when the time ran out with no finding,
# non-zero on a finding or when the tools are missing. See fuzz/README.md.
set -euo pipefail

readers="safetensors onnx idx csv"
if [ $# -ne 2 ] || [[ " $readers " != *" $1 "* ]] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: fuzz/run.sh READER SECONDS   (READER: ${readers// / | })" >&2
  exit 2
fi
reader=$1
seconds=$2

fuzz=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$fuzz")
out="$fuzz/out"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Limits. libFuzzer's -rss_limit_mb watches the native driver only, so the .NET harness's heap gets
# the same cap through the GC (hex bytes); allocating past it is an OutOfMemoryException, a finding.
rss_limit_mb=2048
timeout_seconds=10
max_len=65536

# --- tools -------------------------------------------------------------------------------------
missing_tools() {
  echo "fuzz/run.sh: $1" >&2
  echo "Install clang and libFuzzer (Debian: apt-get install -y clang libclang-rt-14-dev, or the" >&2
  echo "libclang-rt-NN-dev matching 'clang --version'), then run 'dotnet tool restore' in the repository." >&2
  exit 3
}
command -v clang >/dev/null || missing_tools "clang is not installed."
fuzzer_lib=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
[ -f "$fuzzer_lib" ] || missing_tools "clang has no libFuzzer runtime (libclang_rt.fuzzer-x86_64.a not found)."

cd "$root"
dotnet tool restore >/dev/null || missing_tools "'dotnet tool restore' could not install SharpFuzz.CommandLine."

# --- native driver: rebuilt when its source is newer than the binary --------------------------
mkdir -p "$out"
driver="$out/dotnet-fuzz-driver"
if [ ! -x "$driver" ] || [ "$fuzz/driver/dotnet-fuzz-driver.c" -nt "$driver" ]; then
  echo "fuzz/run.sh: building the libFuzzer driver"
  clang -O2 -g -Wall -Wextra -Werror -fsanitize=fuzzer "$fuzz/driver/dotnet-fuzz-driver.c" -o "$driver" \
    || missing_tools "clang -fsanitize=fuzzer failed."
fi

# --- harness: Release build, then an instrumented copy ----------------------------------------
# SharpFuzz rewrites assemblies in place and refuses to do it twice, so it works on a copy of the
# build output; the copy is redone only when a built assembly changed.
echo "fuzz/run.sh: building the harness (Release)"
dotnet build "$fuzz/ConvGen.Fuzz/ConvGen.Fuzz.csproj" -c Release -o "$out/build" -nologo -v quiet \
  -p:TreatWarningsAsErrors=true >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
instrumented="$out/instrumented"
sums=$(cd "$out/build" && sha256sum ConvGen.Fuzz.dll ConvGen.dll ConvGen.Onnx.dll)
if [ ! -f "$instrumented/.built-from" ] || [ "$sums" != "$(cat "$instrumented/.built-from")" ]; then
  echo "fuzz/run.sh: instrumenting ConvGen.dll and ConvGen.Onnx.dll"
  rm -rf "$instrumented"
  cp -r "$out/build" "$instrumented"
  for assembly in ConvGen.dll ConvGen.Onnx.dll; do
    dotnet sharpfuzz "$instrumented/$assembly" >"$out/instrument.log" 2>&1 || { cat "$out/instrument.log" >&2; exit 1; }
  done
  echo "$sums" >"$instrumented/.built-from"
fi

# --- fuzz --------------------------------------------------------------------------------------
findings="$fuzz/findings/$reader"
corpus="$out/corpus/$reader"
mkdir -p "$findings" "$corpus"
before=$(find "$findings" -maxdepth 1 -type f | wc -l)

echo "fuzz/run.sh: fuzzing '$reader' for ${seconds}s (findings go to fuzz/findings/$reader/)"
status=0
DOTNET_GCHeapHardLimit=$(printf '0x%x' $((rss_limit_mb * 1024 * 1024))) \
  "$driver" --harness="$instrumented/ConvGen.Fuzz.dll" --reader="$reader" \
  -max_total_time="$seconds" -timeout="$timeout_seconds" -rss_limit_mb="$rss_limit_mb" \
  -max_len="$max_len" -artifact_prefix="$findings/" -print_final_stats=1 \
  "$corpus" "$fuzz/corpus/$reader" || status=$?

# Per-process input folders of harnesses that were killed (timeouts, crashes) stay in tmpfs.
for folder in /dev/shm/convgen-fuzz-*; do
  [ -d "$folder" ] || continue
  kill -0 "${folder##*-}" 2>/dev/null || rm -rf "$folder"
done

after=$(find "$findings" -maxdepth 1 -type f | wc -l)
if [ "$status" -ne 0 ] || [ "$after" -ne "$before" ]; then
  echo "fuzz/run.sh: FINDING for '$reader' (libFuzzer exit $status); inputs in fuzz/findings/$reader/:" >&2
  ls -1 "$findings" >&2
  echo "Replay one with: dotnet fuzz/out/build/ConvGen.Fuzz.dll replay $reader FILE" >&2
  exit 1
fi
echo "fuzz/run.sh: no finding for '$reader' in ${seconds}s"
