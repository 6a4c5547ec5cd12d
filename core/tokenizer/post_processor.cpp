#include "core/tokenizer/post_processor.h"

#include "core/tokenizer/component_json.h"

namespace traitlab::tok {

namespace {

class NoOpProcessor : public PostProcessor {
 public:
  void process(std::vector<int32_t>&) const override {}
};

class SequenceProcessor : public PostProcessor {
 public:
  explicit SequenceProcessor(std::vector<std::unique_ptr<PostProcessor>> parts)
      : parts_(std::move(parts)) {}
  void process(std::vector<int32_t>& ids) const override {
    for (const auto& p : parts_) p->process(ids);
  }

 private:
  std::vector<std::unique_ptr<PostProcessor>> parts_;
};

// ids = before + sequence + after (the single-sequence template).
class WrapProcessor : public PostProcessor {
 public:
  WrapProcessor(std::vector<int32_t> before, std::vector<int32_t> after)
      : before_(std::move(before)), after_(std::move(after)) {}
  void process(std::vector<int32_t>& ids) const override {
    ids.insert(ids.begin(), before_.begin(), before_.end());
    ids.insert(ids.end(), after_.begin(), after_.end());
  }

 private:
  std::vector<int32_t> before_, after_;
};

std::unique_ptr<PostProcessor> make_template(const nlohmann::json& j, const std::string& ctx) {
  auto single = j.find("single");
  check_input(single != j.end() && single->is_array(), ctx, ": missing array 'single'");
  const nlohmann::json specials = j.value("special_tokens", nlohmann::json::object());
  check_input(specials.is_object(), ctx, ".special_tokens: expected an object");
  std::vector<int32_t> before, after;
  bool seen_sequence = false;
  for (size_t i = 0; i < single->size(); ++i) {
    const auto& piece = (*single)[i];
    const std::string pctx = str(ctx, ".single[", i, "]");
    if (piece.contains("Sequence")) {
      const std::string id = get_field<std::string>(piece["Sequence"], "id", pctx);
      check_input(id == "A" && !seen_sequence, pctx,
                  ": a single template holds sequence $A once, got $", id);
      seen_sequence = true;
    } else if (piece.contains("SpecialToken")) {
      const std::string name = get_field<std::string>(piece["SpecialToken"], "id", pctx);
      auto sp = specials.find(name);
      check_input(sp != specials.end(), pctx, ": special token '", name,
                  "' is missing from special_tokens");
      auto ids = sp->find("ids");
      check_input(ids != sp->end() && ids->is_array(), ctx, ".special_tokens['", name,
                  "']: missing 'ids'");
      for (const auto& id : *ids) {
        check_input(id.is_number_integer(), ctx, ".special_tokens['", name,
                    "'].ids: expected integers");
        (seen_sequence ? after : before).push_back(id.get<int32_t>());
      }
    } else {
      throw InputError(
          str(pctx, ": expected Sequence or SpecialToken, got ", piece.dump().substr(0, 80)));
    }
  }
  check_input(seen_sequence, ctx, ".single: the template has no $A");
  return std::make_unique<WrapProcessor>(std::move(before), std::move(after));
}

// BertProcessing / RobertaProcessing: {"cls": [token, id], "sep": [token, id]}.
std::unique_ptr<PostProcessor> make_cls_sep(const nlohmann::json& j, const std::string& ctx) {
  auto id_of = [&](const char* key) {
    auto it = j.find(key);
    check_input(it != j.end() && it->is_array() && it->size() == 2 && (*it)[1].is_number_integer(),
                ctx, ": key '", key, "': expected [token, id]");
    return (*it)[1].get<int32_t>();
  };
  return std::make_unique<WrapProcessor>(std::vector<int32_t>{id_of("cls")},
                                         std::vector<int32_t>{id_of("sep")});
}

}  // namespace

std::unique_ptr<PostProcessor> make_post_processor(const nlohmann::json& j,
                                                   const std::string& where,
                                                   const std::string& key) {
  if (j.is_null()) return nullptr;
  const std::string type = component_type(j, where, key);
  const std::string ctx = str(where, ": ", key);
  if (type == "Sequence") {
    std::vector<std::unique_ptr<PostProcessor>> parts;
    const auto& arr = array_field(j, "processors", where, key);
    for (size_t i = 0; i < arr.size(); ++i) {
      auto p = make_post_processor(arr[i], where, str(key, ".processors[", i, "]"));
      if (p) parts.push_back(std::move(p));
    }
    return std::make_unique<SequenceProcessor>(std::move(parts));
  }
  if (type == "TemplateProcessing") return make_template(j, ctx);
  if (type == "ByteLevel") return std::make_unique<NoOpProcessor>();
  if (type == "BertProcessing" || type == "RobertaProcessing") return make_cls_sep(j, ctx);
  unsupported(where, key, type,
              "TemplateProcessing, ByteLevel, BertProcessing, RobertaProcessing, Sequence");
}

}  // namespace traitlab::tok
