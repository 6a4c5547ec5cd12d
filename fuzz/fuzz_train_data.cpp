// libFuzzer target: training data JSONL (SFT and preference rows). The first
// byte picks SFT or DPO, the loss mode, the chat format (llama3 with the
// llama3 tokenizer, chatml with qwen2's) and a max_length; the rest is the
// file. Any bytes: examples or a traitlab::InputError naming file and line.
// Accepted examples are trainable: ids inside the vocabulary, labels equal
// to the ids or -100, at most max_length tokens, a loss token after
// position 0 (SFT), non-empty prompt, chosen and rejected (DPO).
#include <cstdint>
#include <string>
#include <vector>

#include "core/ops/fused_logprob.h"
#include "core/tokenizer/chat_format.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "finetune/data.h"
#include "fuzz/fuzz_util.h"

namespace {

using traitlab::fuzz::expect;

struct Setup {
  traitlab::Tokenizer tok;
  traitlab::TokenizeContext ctx;
};

Setup make_setup(const char* name, traitlab::ChatFormatKind kind, const char* eos) {
  const std::string dir = traitlab::fuzz::test_data_dir() + "/tokenizers/";
  Setup s{traitlab::Tokenizer::from_file(dir + name + "/tokenizer.json"), {}};
  s.ctx.chat = traitlab::ChatFormat(kind);
  s.ctx.eos_id = s.tok.token_to_id(eos).value();
  return s;
}

void check_ids(const std::vector<int64_t>& ids, int64_t vocab) {
  for (int64_t id : ids) expect(id >= 0 && id < vocab, "id outside the vocab");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traitlab;
  static Setup llama3 = make_setup("llama3", ChatFormatKind::Llama3, "<|eot_id|>");
  static Setup qwen2 = make_setup("qwen2", ChatFormatKind::ChatML, "<|im_end|>");
  if (size == 0) return 0;
  const uint8_t sel = data[0];
  Setup& s = (sel & 4) ? qwen2 : llama3;
  s.ctx.tok = &s.tok;
  DataOptions opts;
  opts.loss_on = (sel & 2) ? LossOn::All : LossOn::Assistant;
  opts.max_length = (sel >> 3) == 0 ? 0 : (sel >> 3) * 2;  // 0 (no limit) or 2..62
  const std::string path = fuzz::write_scratch("data.jsonl", data + 1, size - 1);
  const int64_t vocab = s.tok.vocab_size();
  try {
    if (sel & 1) {
      for (const auto& ex : load_preference_jsonl(path, s.ctx, opts)) {
        expect(!ex.prompt.empty() && !ex.chosen.empty() && !ex.rejected.empty(), "empty part");
        for (const auto* c : {&ex.chosen, &ex.rejected}) {
          expect(opts.max_length <= 0 ||
                     static_cast<int64_t>(ex.prompt.size() + c->size()) <= opts.max_length,
                 "preference row longer than max_length");
        }
        check_ids(ex.prompt, vocab);
        check_ids(ex.chosen, vocab);
        check_ids(ex.rejected, vocab);
      }
    } else {
      for (const auto& ex : load_sft_jsonl(path, s.ctx, opts)) {
        expect(ex.ids.size() == ex.labels.size(), "labels and ids differ in length");
        expect(opts.max_length <= 0 || static_cast<int64_t>(ex.ids.size()) <= opts.max_length,
               "SFT row longer than max_length");
        bool loss = false;
        for (size_t t = 0; t < ex.ids.size(); ++t) {
          expect(ex.labels[t] == kIgnoreIndex || ex.labels[t] == ex.ids[t], "label != id");
          loss = loss || (t > 0 && ex.labels[t] != kIgnoreIndex);
        }
        expect(loss, "SFT row with no loss token");
        check_ids(ex.ids, vocab);
      }
    }
  } catch (const InputError&) {
  }
  return 0;
}
