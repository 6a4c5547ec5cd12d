#include "core/tokenizer/bpe_model.h"

#include <cstdio>
#include <limits>
#include <queue>

#include "core/tokenizer/unicode.h"
#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab::tok {

namespace {

uint64_t pair_key(int32_t a, int32_t b) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

// One merge pair from "a b" or ["a", "b"].
bool parse_merge(const nlohmann::json& m, std::string* a, std::string* b) {
  if (m.is_string()) {
    const std::string& s = m.get_ref<const std::string&>();
    const size_t sp = s.find(' ');
    if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos) return false;
    *a = s.substr(0, sp);
    *b = s.substr(sp + 1);
    return true;
  }
  if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
    *a = m[0].get<std::string>();
    *b = m[1].get<std::string>();
    return true;
  }
  return false;
}

}  // namespace

BpeModel::BpeModel(const nlohmann::json& model, const std::string& where) : where_(where) {
  const std::string ctx = str(where, ": model");
  check_input(model.is_object(), ctx, ": expected an object");
  const std::string type = get_field_or<std::string>(model, "type", "BPE", ctx);
  if (type != "BPE") {
    throw UnsupportedError(
        str(where, ": model type '", type, "' is not supported (supported: BPE)"));
  }
  const double dropout = get_field_or<double>(model, "dropout", 0.0, ctx);
  if (dropout != 0.0) {
    throw UnsupportedError(
        str(ctx, ": BPE dropout ", dropout, " is not supported (tokenization would be random)"));
  }

  auto vit = model.find("vocab");
  check_input(vit != model.end() && vit->is_object(), ctx, ": missing object 'vocab'");
  vocab_.reserve(vit->size());
  for (auto it = vit->begin(); it != vit->end(); ++it) {
    check_input(it->is_number_integer(), ctx, ".vocab['", it.key(), "']: expected an integer id");
    const int64_t id = it->get<int64_t>();
    check_input(id >= 0 && id < std::numeric_limits<int32_t>::max(), ctx, ".vocab['", it.key(),
                "']: id ", id, " is out of range");
    vocab_[it.key()] = static_cast<int32_t>(id);
    vocab_r_[static_cast<int32_t>(id)] = it.key();
    max_id_ = std::max(max_id_, static_cast<int32_t>(id));
  }

  prefix_ = get_field_or<std::string>(model, "continuing_subword_prefix", "", ctx);
  suffix_ = get_field_or<std::string>(model, "end_of_word_suffix", "", ctx);
  fuse_unk_ = get_field_or<bool>(model, "fuse_unk", false, ctx);
  byte_fallback_ = get_field_or<bool>(model, "byte_fallback", false, ctx);
  ignore_merges_ = get_field_or<bool>(model, "ignore_merges", false, ctx);
  unk_token_ = get_field_or<std::string>(model, "unk_token", "", ctx);
  if (!unk_token_.empty()) unk_id_ = token_to_id(unk_token_);
  if (byte_fallback_) {
    byte_ids_.assign(256, -1);
    for (int b = 0; b < 256; ++b) {
      char name[8];
      std::snprintf(name, sizeof(name), "<0x%02X>", b);
      if (auto id = token_to_id(name)) byte_ids_[b] = *id;
    }
  }

  auto mit = model.find("merges");
  if (mit == model.end() || mit->is_null()) return;
  check_input(mit->is_array(), ctx, ".merges: expected an array");
  merges_.reserve(mit->size());
  uint32_t rank = 0;
  for (size_t i = 0; i < mit->size(); ++i) {
    const auto& m = (*mit)[i];
    if (m.is_string() && m.get_ref<const std::string&>().rfind("#version", 0) == 0) continue;
    std::string a, b;
    check_input(parse_merge(m, &a, &b), ctx, ".merges[", i,
                "]: expected \"a b\" or [\"a\", \"b\"], got ", m.dump().substr(0, 80));
    auto ia = vocab_.find(a), ib = vocab_.find(b);
    check_input(ia != vocab_.end(), ctx, ".merges[", i, "]: token '", a, "' is not in the vocab");
    check_input(ib != vocab_.end(), ctx, ".merges[", i, "]: token '", b, "' is not in the vocab");
    check_input(b.size() >= prefix_.size(), ctx, ".merges[", i, "]: '", b,
                "' is shorter than continuing_subword_prefix");
    const std::string merged = a + b.substr(prefix_.size());
    auto im = vocab_.find(merged);
    check_input(im != vocab_.end(), ctx, ".merges[", i, "]: merged token '", merged,
                "' is not in the vocab");
    merges_[pair_key(ia->second, ib->second)] = {
        rank++, im->second};  // a repeated pair keeps the later rank
  }
}

std::optional<int32_t> BpeModel::token_to_id(const std::string& token) const {
  auto it = vocab_.find(token);
  if (it == vocab_.end()) return std::nullopt;
  return it->second;
}

const std::string* BpeModel::id_to_token(int32_t id) const {
  auto it = vocab_r_.find(id);
  return it == vocab_r_.end() ? nullptr : &it->second;
}

std::vector<int32_t> BpeModel::merge_word(std::string_view w) const {
  struct Sym {
    int32_t id, prev, next;
    bool alive;
  };
  std::vector<Sym> syms;
  syms.reserve(w.size());
  auto add = [&](int32_t id) {
    const int32_t n = static_cast<int32_t>(syms.size());
    if (n > 0) syms.back().next = n;
    syms.push_back({id, n - 1, -1, true});
  };
  auto unk_id = [&]() {
    if (!unk_id_) {
      throw InputError(str(where_, ": model.unk_token '", unk_token_, "' is not in the vocab"));
    }
    return *unk_id_;
  };
  int32_t pending_unk = -1;  // mirrors `tokenizers`: an unk is emitted lazily
  std::string s;
  for (size_t i = 0; i < w.size();) {
    const size_t len = utf8_len(static_cast<unsigned char>(w[i]));
    const bool is_first = i == 0, is_last = i + len >= w.size();
    s.assign(is_first ? "" : prefix_);
    s.append(w.substr(i, len));
    if (is_last) s.append(suffix_);
    i += len;
    if (auto it = vocab_.find(s); it != vocab_.end()) {
      if (pending_unk >= 0) add(pending_unk);
      pending_unk = -1;
      add(it->second);
      continue;
    }
    if (byte_fallback_) {
      bool all = true;
      for (unsigned char c : s) all = all && byte_ids_[c] >= 0;
      if (all) {
        for (unsigned char c : s) add(byte_ids_[c]);
        continue;
      }
    }
    if (!unk_token_.empty()) {
      if (pending_unk >= 0 && !fuse_unk_) add(pending_unk);
      if (pending_unk < 0 || !fuse_unk_) pending_unk = unk_id();
    }
  }
  if (pending_unk >= 0) add(pending_unk);

  struct Cand {
    uint32_t rank;
    int32_t pos, new_id;
  };
  auto worse = [](const Cand& a, const Cand& b) {
    return a.rank != b.rank ? a.rank > b.rank : a.pos > b.pos;
  };
  std::priority_queue<Cand, std::vector<Cand>, decltype(worse)> queue(worse);
  auto lookup = [&](int32_t a, int32_t b) -> const std::pair<uint32_t, int32_t>* {
    auto it = merges_.find(pair_key(a, b));
    return it == merges_.end() ? nullptr : &it->second;
  };
  for (size_t i = 0; i + 1 < syms.size(); ++i) {
    if (auto m = lookup(syms[i].id, syms[i + 1].id))
      queue.push({m->first, static_cast<int32_t>(i), m->second});
  }
  while (!queue.empty()) {
    const Cand top = queue.top();
    queue.pop();
    Sym& cur = syms[top.pos];
    if (!cur.alive || cur.next == -1) continue;
    const Sym right = syms[cur.next];
    auto m = lookup(cur.id, right.id);
    if (!m || m->second != top.new_id) continue;  // stale entry
    syms[cur.next].alive = false;
    cur.id = top.new_id;
    cur.next = right.next;
    if (right.next != -1) syms[right.next].prev = top.pos;
    if (cur.prev >= 0) {
      if (auto pm = lookup(syms[cur.prev].id, cur.id))
        queue.push({pm->first, cur.prev, pm->second});
    }
    if (cur.next != -1) {
      if (auto nm = lookup(cur.id, syms[cur.next].id)) queue.push({nm->first, top.pos, nm->second});
    }
  }
  std::vector<int32_t> ids;
  ids.reserve(syms.size());
  for (const Sym& sym : syms) {
    if (sym.alive) ids.push_back(sym.id);
  }
  return ids;
}

void BpeModel::tokenize(std::string_view word, std::vector<int32_t>& out) const {
  if (word.empty()) return;
  const std::string key(word);
  if (ignore_merges_) {
    if (auto it = vocab_.find(key); it != vocab_.end()) {
      out.push_back(it->second);
      return;
    }
  }
  {
    std::shared_lock<std::shared_mutex> lock(cache_mutex_);
    if (auto it = cache_.find(key); it != cache_.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
  }
  std::vector<int32_t> ids = merge_word(word);
  out.insert(out.end(), ids.begin(), ids.end());
  if (word.size() < kCacheMaxWord) {
    std::unique_lock<std::shared_mutex> lock(cache_mutex_);
    if (cache_.size() < kCacheCapacity) cache_.emplace(key, std::move(ids));
  }
}

}  // namespace traitlab::tok
