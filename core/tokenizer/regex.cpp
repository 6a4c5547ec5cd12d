#define PCRE2_CODE_UNIT_WIDTH 8
#include "core/tokenizer/regex.h"

#include <pcre2.h>

#include "core/tokenizer/unicode.h"
#include "core/util/error.h"

namespace traitlab::tok {

struct Regex::Code {
  pcre2_code* code = nullptr;
  bool jit = false;
  ~Code() { pcre2_code_free(code); }
};

namespace {

// Per-thread scratch: one ovector pair is all find_all reads, and a JIT stack
// larger than the 32 KiB default so long whitespace runs stay on the JIT path.
struct ThreadScratch {
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  pcre2_jit_stack* stack = pcre2_jit_stack_create(32 * 1024, 4 * 1024 * 1024, nullptr);
  pcre2_match_context* context = pcre2_match_context_create(nullptr);
  ThreadScratch() {
    if (context && stack) pcre2_jit_stack_assign(context, nullptr, stack);
  }
  ~ThreadScratch() {
    pcre2_match_context_free(context);
    pcre2_jit_stack_free(stack);
    pcre2_match_data_free(data);
  }
};

ThreadScratch& scratch() {
  thread_local ThreadScratch s;
  return s;
}

}  // namespace

Regex::Regex(const std::string& pattern, const std::string& where) : pattern_(pattern) {
  int err = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                   PCRE2_UTF | PCRE2_UCP, &err, &offset, nullptr);
  if (!code) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(err, buf, sizeof(buf));
    throw InputError(str(where, ": invalid regex '", pattern, "' at offset ", offset, ": ",
                         reinterpret_cast<const char*>(buf)));
  }
  code_ = std::make_shared<Code>();
  code_->code = code;
  code_->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
}

bool Regex::match_at(std::string_view text, size_t from, Span* m) const {
  ThreadScratch& s = scratch();
  const auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  int rc =
      pcre2_match(code_->code, subject, text.size(), from, PCRE2_NO_UTF_CHECK, s.data, s.context);
  if (rc == PCRE2_ERROR_JIT_STACKLIMIT) {
    // Pathological input for the JIT stack: the interpreter keeps its frames on the heap.
    rc = pcre2_match(code_->code, subject, text.size(), from, PCRE2_NO_UTF_CHECK | PCRE2_NO_JIT,
                     s.data, nullptr);
  }
  if (rc == PCRE2_ERROR_NOMATCH) return false;
  if (rc < 0) {
    PCRE2_UCHAR buf[256];
    pcre2_get_error_message(rc, buf, sizeof(buf));
    throw InputError(
        str("regex '", pattern_, "': match failed: ", reinterpret_cast<const char*>(buf)));
  }
  const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(s.data);
  *m = {ov[0], ov[1]};
  return true;
}

std::vector<Span> Regex::find_all(std::string_view text) const {
  std::vector<Span> out;
  size_t pos = 0;
  bool have_last = false;
  size_t last_end = 0;
  while (pos <= text.size()) {
    Span m;
    if (!match_at(text, pos, &m)) break;
    if (m.first == m.second && have_last && last_end == m.second) {
      if (pos >= text.size()) break;
      // Step over one character, as Oniguruma's iterator does.
      pos += utf8_len(static_cast<unsigned char>(text[pos]));
      continue;
    }
    out.push_back(m);
    pos = m.second;
    last_end = m.second;
    have_last = true;
  }
  return out;
}

bool Regex::search(std::string_view text) const {
  Span m;
  return match_at(text, 0, &m);
}

}  // namespace traitlab::tok
