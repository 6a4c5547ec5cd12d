#include "core/tokenizer/tokenizer.h"

#include <limits>

#include "core/tokenizer/added_tokens.h"
#include "core/tokenizer/bpe_model.h"
#include "core/tokenizer/decoders.h"
#include "core/tokenizer/normalizers.h"
#include "core/tokenizer/post_processor.h"
#include "core/tokenizer/pre_tokenizers.h"
#include "core/tokenizer/unicode.h"
#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {

struct Tokenizer::Impl {
  std::string where;
  nlohmann::json json;
  std::unique_ptr<tok::Normalizer> normalizer;
  std::unique_ptr<tok::PreTokenizer> pre_tokenizer;
  std::unique_ptr<tok::BpeModel> model;
  std::unique_ptr<tok::PostProcessor> post_processor;
  std::unique_ptr<tok::Decoder> decoder;
  tok::AddedVocabulary added;
  std::vector<int32_t> prefix;  // what the post-processor puts before the text
};

Tokenizer Tokenizer::from_file(const std::string& path) {
  return from_json(read_json_file(path), path);
}

Tokenizer Tokenizer::from_json(const nlohmann::json& j, const std::string& where) {
  check_input(j.is_object(), where, ": expected a JSON object at the top level");
  auto impl = std::make_shared<Impl>();
  impl->where = where;
  impl->json = j;
  check_input(j.contains("model"), where, ": missing key 'model'");
  impl->model = std::make_unique<tok::BpeModel>(j["model"], where);
  const nlohmann::json null;
  auto field = [&](const char* key) -> const nlohmann::json& {
    auto it = j.find(key);
    return it == j.end() ? null : *it;
  };
  impl->normalizer = tok::make_normalizer(field("normalizer"), where);
  impl->pre_tokenizer = tok::make_pre_tokenizer(field("pre_tokenizer"), where);
  impl->post_processor = tok::make_post_processor(field("post_processor"), where);
  impl->decoder = tok::make_decoder(field("decoder"), where);
  impl->added =
      tok::AddedVocabulary(field("added_tokens"), *impl->model, impl->normalizer.get(), where);
  if (impl->post_processor) {
    // The prefix is whatever the post-processor puts before a sentinel id.
    constexpr int32_t kSentinel = std::numeric_limits<int32_t>::min();
    std::vector<int32_t> probe{kSentinel};
    impl->post_processor->process(probe);
    for (int32_t id : probe) {
      if (id == kSentinel) break;
      impl->prefix.push_back(id);
    }
  }
  Tokenizer t;
  t.impl_ = std::move(impl);
  return t;
}

namespace {
const Tokenizer::Impl& checked(const std::shared_ptr<const Tokenizer::Impl>& impl) {
  if (!impl) throw InputError("Tokenizer: used before loading a tokenizer.json");
  return *impl;
}
}  // namespace

std::vector<int32_t> Tokenizer::encode(std::string_view text, bool add_special_tokens) const {
  const Impl& m = checked(impl_);
  const std::string clean = tok::sanitize_utf8(text);
  std::vector<int32_t> ids;
  ids.reserve(clean.size() / 3 + 4);
  std::vector<tok::Piece> pieces;
  for (tok::Segment& seg : m.added.split(clean, false)) {
    if (seg.id >= 0) {
      ids.push_back(seg.id);
      continue;
    }
    if (m.normalizer) m.normalizer->normalize(seg.text);
    for (tok::Segment& sub : m.added.split(seg.text, true)) {
      if (sub.id >= 0) {
        ids.push_back(sub.id);
        continue;
      }
      pieces.clear();
      pieces.push_back({std::move(sub.text), seg.offset == 0 && sub.offset == 0});
      if (m.pre_tokenizer) m.pre_tokenizer->pre_tokenize(pieces);
      for (const tok::Piece& p : pieces) m.model->tokenize(p.text, ids);
    }
  }
  if (add_special_tokens && m.post_processor) m.post_processor->process(ids);
  return ids;
}

std::string Tokenizer::decode(const std::vector<int32_t>& ids, bool skip_special_tokens) const {
  const Impl& m = checked(impl_);
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (int32_t id : ids) {
    std::string token;
    if (const tok::AddedToken* a = m.added.find(id)) {
      token = a->decoded;
    } else if (const std::string* t = m.model->id_to_token(id)) {
      token = *t;
    } else {
      continue;  // unknown ids are dropped, as `tokenizers` does
    }
    if (skip_special_tokens && m.added.is_special_content(token)) continue;
    tokens.push_back(std::move(token));
  }
  if (!m.decoder) {
    std::string out;
    for (size_t i = 0; i < tokens.size(); ++i) out += (i ? " " : "") + tokens[i];
    return out;
  }
  m.decoder->decode_chain(tokens);
  std::string out;
  for (const auto& t : tokens) out += t;
  return out;
}

int64_t Tokenizer::vocab_size() const {
  const Impl& m = checked(impl_);
  return static_cast<int64_t>(std::max(m.model->max_id(), m.added.max_id())) + 1;
}

std::optional<int32_t> Tokenizer::token_to_id(const std::string& token) const {
  const Impl& m = checked(impl_);
  if (const tok::AddedToken* a = m.added.find(token)) return a->id;
  return m.model->token_to_id(token);
}

std::string Tokenizer::id_to_token(int32_t id) const {
  const Impl& m = checked(impl_);
  if (const tok::AddedToken* a = m.added.find(id)) return a->decoded;
  const std::string* t = m.model->id_to_token(id);
  return t ? *t : std::string();
}

bool Tokenizer::is_special(int32_t id) const {
  const tok::AddedToken* a = checked(impl_).added.find(id);
  return a && a->special;
}

std::vector<int32_t> Tokenizer::prefix_special_ids() const { return checked(impl_).prefix; }

const nlohmann::json& Tokenizer::json() const { return checked(impl_).json; }

}  // namespace traitlab
