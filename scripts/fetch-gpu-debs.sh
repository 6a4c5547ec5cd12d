#!/usr/bin/env bash
# Run on a Debian 12 machine with network (the CI machine): downloads the
# Debian packages scripts/gpu-check.sh needs on a bare GPU machine that has
# CUDA PyTorch, CMake and nvcc but no network and no HDF5/Boost/GoogleTest.
#   scripts/fetch-gpu-debs.sh [DIR=gpu-debs]   # then carry DIR to the GPU machine
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-gpu-debs}"
mkdir -p "$DIR"
PKGS=(libhdf5-dev libhdf5-103-1 libhdf5-hl-100 libsz2 libaec0 libaec-dev zlib1g-dev
      libboost-program-options-dev libboost-program-options1.74-dev libboost-program-options1.74.0
      libboost1.74-dev libgtest-dev libgmock-dev googletest nlohmann-json3-dev
      libpcre2-dev libpcre2-8-0 libpcre2-16-0 libpcre2-32-0 libpcre2-posix3 pkg-config)
(cd "$DIR" && apt-get download "${PKGS[@]}")
ls -1 "$DIR"/*.deb | wc -l | xargs echo "debs in $DIR:"
