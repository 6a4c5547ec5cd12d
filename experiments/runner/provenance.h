#pragma once
// Provenance: what a results file was computed from and with. Collected when
// a run starts, kept in the journal header and written as root attributes of
// the results file (docs/hdf5-schema.md, "Provenance").
#include <nlohmann/json.hpp>
#include <string>

#include "experiments/config/config.h"

namespace traitlab::runner {

// {"traitlab_version", "git_commit", "torch_version", "device", "threads",
//  "hostname", "command_line", "started_utc", "inputs_sha256": {path: hex}}.
// Input hashes (with run.hash_inputs): every *.safetensors, config.json and
// tokenizer.json of each model.path (or the file itself), instrument.bank
// and finetune.data. A model path or file that does not exist is an
// InputError naming the key.
nlohmann::json collect_provenance(const config::Config& config, const std::string& command_line);
nlohmann::json hash_inputs(const config::Config& config);

std::string utc_now();  // "2026-11-28T17:54:12Z"
std::string host_name();
// argv joined with spaces, arguments with shell-special characters quoted.
std::string join_command_line(int argc, const char* const argv[]);

}  // namespace traitlab::runner
