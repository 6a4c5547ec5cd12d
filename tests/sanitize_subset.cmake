# traitlab_sanitize_tests: the parsers of outside input (tokenizer, chat
# formats, safetensors, GGUF, JSON, HDF5, experiment configs and results files,
# item banks, training data) and their unit tests, compiled from their
# sources alone rather than from the layer libraries, so that an
# ASan/UBSan build of them takes minutes instead of the whole project's
# ~25. Defined only with TRAITLAB_SANITIZE; scripts/sanitize.sh builds it
# and runs its tests (ctest label "sanitize").
set(_src ${PROJECT_SOURCE_DIR})
file(GLOB _tokenizer CONFIGURE_DEPENDS ${_src}/core/tokenizer/*.cpp)
file(GLOB _hdf5 CONFIGURE_DEPENDS ${_src}/core/io/hdf5_*.cpp)
file(GLOB _config CONFIGURE_DEPENDS ${_src}/experiments/config/*.cpp)
set(_parser_sources ${_tokenizer} ${_hdf5} ${_config}
  ${_src}/core/io/strict_json.cpp ${_src}/core/io/safetensors.cpp
  ${_src}/core/io/mapped_file.cpp ${_src}/core/io/gguf.cpp ${_src}/core/io/gguf_quant.cpp
  ${_src}/core/io/safetensors_dtype.cpp ${_src}/core/io/safetensors_write.cpp
  ${_src}/core/util/json_io.cpp ${_src}/core/util/sha256.cpp ${_src}/core/util/child_guard.cpp
  ${_src}/core/util/device.cpp ${_src}/core/util/omp_env.cpp
  ${_src}/core/model/config.cpp ${_src}/core/model/config_write.cpp
  ${_src}/elicit/traits.cpp ${_src}/elicit/instruments/csv_reader.cpp
  ${_src}/elicit/instruments/item_records.cpp ${_src}/elicit/instruments/likert_item.cpp
  ${_src}/elicit/instruments/scenario_item.cpp
  ${_src}/finetune/data.cpp
  ${_src}/experiments/runner/journal.cpp ${_src}/experiments/runner/run_store.cpp
  ${_src}/experiments/runner/run_state.cpp ${_src}/experiments/runner/grid.cpp
  ${_src}/experiments/runner/shard.cpp ${_src}/experiments/runner/record.cpp
  ${_src}/experiments/runner/file_ops.cpp ${_src}/experiments/runner/hash.cpp)
set(_t ${CMAKE_CURRENT_SOURCE_DIR})
set(_parser_tests
  ${_t}/core/tokenizer_errors_test.cpp ${_t}/core/tokenizer_golden_test.cpp
  ${_t}/core/tokenizer_roundtrip_test.cpp ${_t}/core/chat_format_test.cpp
  ${_t}/core/safetensors_test.cpp ${_t}/core/safetensors_bad_input_test.cpp
  ${_t}/core/safetensors_fuzz_test.cpp ${_t}/core/json_io_test.cpp
  ${_t}/core/gguf_test.cpp ${_t}/core/gguf_quant_test.cpp
  ${_t}/core/hdf5_file_test.cpp ${_t}/core/hdf5_table_test.cpp
  ${_t}/core/hdf5_array_test.cpp ${_t}/core/hdf5_golden_test.cpp
  ${_t}/core/model_config_limits_test.cpp ${_t}/core/child_guard_test.cpp
  ${_t}/elicit/instruments_likert_test.cpp ${_t}/elicit/instruments_scenario_test.cpp
  ${_t}/elicit/instruments_traits_test.cpp
  ${_t}/finetune/data_rows_test.cpp
  ${_t}/experiments/config_parse_test.cpp ${_t}/experiments/config_dump_test.cpp
  ${_t}/experiments/config_validate_test.cpp ${_t}/experiments/runner_journal_test.cpp)
add_executable(traitlab_sanitize_tests EXCLUDE_FROM_ALL ${_parser_sources} ${_parser_tests})
target_include_directories(traitlab_sanitize_tests PRIVATE ${_src} ${TORCH_INCLUDE_DIRS}
  ${HDF5_C_INCLUDE_DIRS} ${HDF5_INCLUDE_DIRS})
target_link_libraries(traitlab_sanitize_tests PRIVATE ${TORCH_LIBRARIES}
  nlohmann_json::nlohmann_json PkgConfig::PCRE2 ${HDF5_C_LIBRARIES} Boost::program_options
  Threads::Threads GTest::gtest GTest::gtest_main traitlab_warnings traitlab_sanitize)
target_compile_definitions(traitlab_sanitize_tests PRIVATE
  TRAITLAB_TEST_DATA="${_t}/data" TRAITLAB_SOURCE_DIR="${_src}")
# One process for the whole subset: under ASan each start-up (loading
# LibTorch) costs ~1.5 s, which per test would triple the run time.
add_test(NAME sanitize_parsers COMMAND traitlab_sanitize_tests)
set_tests_properties(sanitize_parsers PROPERTIES LABELS sanitize TIMEOUT 900)
