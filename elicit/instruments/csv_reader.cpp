#include "elicit/instruments/csv_reader.h"

#include "core/tokenizer/unicode.h"
#include "core/util/error.h"

namespace traitlab {

namespace {
// Item text goes into prompts, HDF5 strings and JSON journals, all of which
// need UTF-8 (the JSON loaders reject invalid bytes too). A multi-byte
// sequence never contains '\n', so checking line by line is exact.
void check_utf8(std::string_view text, const std::string& where) {
  int line = 1;
  for (size_t start = 0; start <= text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    check_input(tok::is_valid_utf8(text.substr(start, end - start)), where, ":", line,
                ": not valid UTF-8 (save the file as UTF-8)");
    start = end + 1;
  }
}
}  // namespace

std::vector<CsvRecord> parse_csv(const std::string& input, const std::string& where) {
  std::string_view text(input);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  check_utf8(text, where);
  std::vector<CsvRecord> out;
  CsvRecord rec;
  std::string field;
  int line = 1;
  rec.line = 1;
  bool in_quotes = false;
  bool field_was_quoted = false;
  bool record_has_content = false;
  int quote_line = 0;

  auto end_field = [&] {
    rec.fields.push_back(field);
    field.clear();
    field_was_quoted = false;
  };
  auto end_record = [&] {
    end_field();
    // A blank line is one empty, unquoted field: skip it.
    if (record_has_content) out.push_back(std::move(rec));
    rec = CsvRecord{};
    record_has_content = false;
  };

  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"') {
      check_input(
          field.empty() && !field_was_quoted, where, ":", line,
          ": a quote inside an unquoted field (quote the whole field and double the quote)");
      in_quotes = true;
      field_was_quoted = true;
      record_has_content = true;
      quote_line = line;
    } else if (c == ',') {
      end_field();
      record_has_content = true;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;  // the \n ends the record
    } else if (c == '\n') {
      end_record();
      ++line;
      rec.line = line;
    } else {
      check_input(!field_was_quoted, where, ":", line,
                  ": text after a closing quote (a quoted field must end at a comma or line end)");
      field += c;
      record_has_content = true;
    }
  }
  check_input(!in_quotes, where, ":", quote_line, ": unterminated quoted field");
  if (record_has_content || !field.empty()) end_record();
  return out;
}

}  // namespace traitlab
