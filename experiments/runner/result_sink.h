#pragma once
// Where a cell function puts its results: rows appended to named tables.
//
//   sink.append("responses", {{"item", 17}, {"choice", "H1"}, {"p_high", 0.82}});
//
// The first row a table ever gets (in the whole run, across resumes) fixes
// its columns: names, order and types. Later rows must match exactly. The
// column name "cell" is reserved: the results file adds it (the cell index).
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "experiments/runner/record.h"

namespace traitlab::runner {

class ResultSink {
 public:
  // `schemas` holds the columns of every table seen so far in the run and
  // is extended by new tables; it must outlive the sink.
  ResultSink(CellRecord& record, std::map<std::string, Columns>& schemas);

  // A mismatch with the table's columns is a traitlab::Error (a bug in the
  // cell function, not user input).
  void append(const std::string& table, const std::vector<std::pair<std::string, Value>>& row);
  int64_t rows_appended() const { return rows_; }

 private:
  CellRecord& record_;
  std::map<std::string, Columns>& schemas_;
  int64_t rows_ = 0;
};

}  // namespace traitlab::runner
