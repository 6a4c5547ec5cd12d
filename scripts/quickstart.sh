#!/usr/bin/env bash
# The main job on the built-in default: experiments/quickstart.ini on the
# persona-world model (models/world-base) -> results/quickstart.h5.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p results
build/traitlab run experiments/quickstart.ini --overwrite "$@"
