#include "experiments/config/config_validate.h"

#include <algorithm>
#include <set>

#include "core/util/error.h"
#include "experiments/config/config_values.h"
#include "experiments/config/option_schema.h"

namespace traitlab::config {

namespace {

void check_range(const Config& c, const OptionSpec& o, double v, const std::string& shown) {
  if (o.min) {
    bool bad = o.min_exclusive ? !(v > *o.min) : !(v >= *o.min);
    if (bad)
      c.fail(o.key, str("must be ", o.min_exclusive ? "> " : ">= ", format_double(*o.min), ", got ",
                        shown));
  }
  if (o.max && v > *o.max)
    c.fail(o.key, str("must be <= ", format_double(*o.max), ", got ", shown));
}

void check_choice(const Config& c, const OptionSpec& o, const std::string& v) {
  if (std::find(o.choices.begin(), o.choices.end(), v) != o.choices.end()) return;
  std::string all;
  for (const auto& ch : o.choices) all += (all.empty() ? "" : ", ") + ch;
  std::string what = o.key == "instrument.traits" ? "unknown trait" : "unknown value";
  c.fail(o.key, str(what, " '", v, "' (expected one of: ", all, ")"));
}

// Parses, checks and returns the canonical text of one option.
std::string canonical(const Config& c, const OptionSpec& o) {
  const std::string& text = c.text(o.key);
  switch (o.type) {
    case OptionType::Bool:
      return c.get_bool(o.key) ? "true" : "false";
    case OptionType::Int: {
      int64_t v = c.get_int(o.key);
      check_range(c, o, static_cast<double>(v), text);
      return std::to_string(v);
    }
    case OptionType::Float: {
      double v = c.get_double(o.key);
      check_range(c, o, v, text);
      return format_double(v);
    }
    case OptionType::String:
      return text;
    case OptionType::Choice:
      check_choice(c, o, text);
      return text;
    case OptionType::IntList:
    case OptionType::FloatList:
    case OptionType::StringList:
    case OptionType::ChoiceList: {
      std::vector<std::string> items = c.get_list(o.key);
      std::set<std::string> seen;
      for (auto& item : items) {
        if (item.empty()) c.fail(o.key, str("empty item in list '", text, "'"));
        if (o.type == OptionType::IntList) {
          auto v = parse_int(item);
          if (!v) c.fail(o.key, str("expected a list of integers, got '", item, "'"));
          check_range(c, o, static_cast<double>(*v), item);
          item = std::to_string(*v);
        } else if (o.type == OptionType::FloatList) {
          auto v = parse_double(item);
          if (!v) c.fail(o.key, str("expected a list of numbers, got '", item, "'"));
          check_range(c, o, *v, item);
          item = format_double(*v);
        } else if (o.type == OptionType::ChoiceList) {
          check_choice(c, o, item);
        }
        if (!seen.insert(item).second) c.fail(o.key, str("lists '", item, "' twice"));
      }
      return join_list(items);
    }
  }
  return text;
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool any_of(const std::vector<std::string>& v, std::initializer_list<const char*> xs) {
  for (const char* x : xs)
    if (contains(v, x)) return true;
  return false;
}

// A key set to something other than its default although no cell uses it.
// (Compared by value, not by origin: a stored --dump-config lists every key.)
void check_unused(const Config& c, const std::string& key, bool used, const std::string& why) {
  if (used || c.origin(key).kind == Origin::Kind::Default) return;
  const OptionSpec* o = find_option(key);
  std::string def = o ? o->default_value : "";
  if (c.text(key) != def) c.fail(key, "is set, but " + why);
}

void check_consistency(const Config& c) {
  const auto techniques = c.get_list("technique.name");
  if (contains(techniques, "finetune") && c.text("finetune.data").empty())
    c.fail("technique.name", "technique 'finetune' needs training data: set finetune.data");
  check_unused(c, "technique.levels", any_of(techniques, {"persona", "fewshot", "p2"}),
               "levels apply only to techniques persona, fewshot and p2");
  check_unused(c, "technique.alphas", contains(techniques, "steer"),
               "alphas apply only to technique steer");
  check_unused(c, "technique.traits", any_of(techniques, {"persona", "fewshot", "p2", "steer"}),
               "target traits apply only to techniques persona, fewshot, p2 and steer");
  check_unused(c, "finetune.data", contains(techniques, "finetune"),
               "no cell uses technique finetune");
  if (c.get_int("finetune.lora_rank") > 0 && c.text("finetune.optimizer") == "galore")
    c.fail("finetune.optimizer", "galore trains full weights: set finetune.lora_rank = 0");

  for (const char* key : {"instrument.traits", "technique.traits"}) {
    const auto traits = c.get_list(key);
    if (contains(traits, "all") && traits.size() > 1)
      c.fail(key, "'all' cannot be combined with named traits");
  }
  if (c.get_list("instrument.traits").empty())
    c.fail("instrument.traits", "is empty: no traits to measure");
  if (c.get_list("instrument.templates").empty())
    c.fail("instrument.templates", "is empty: give at least one template (1-3)");
  const auto instruments = c.get_list("instrument.name");
  check_unused(c, "instrument.templates", contains(instruments, "trait"),
               "templates apply only to instrument 'trait'");
  check_unused(c, "instrument.questions", contains(instruments, "interview"),
               "questions apply only to instrument 'interview'");
  const std::string orders = c.text("scoring.orders");
  bool orders_ok = orders == "trait2" || orders == "all" || orders == "original" ||
                   (orders.rfind("random:", 0) == 0 && parse_int(orders.substr(7)) &&
                    *parse_int(orders.substr(7)) > 0);
  if (!orders_ok)
    c.fail("scoring.orders",
           "expected trait2, all, original or random:K (K > 0), got '" + orders + "'");
  for (const auto& cond : c.get_list("finetune.probe_conditions")) {
    if (cond == "none") continue;
    auto colon = cond.find(':');
    bool ok = colon != std::string::npos && contains(trait_names(), cond.substr(0, colon)) &&
              parse_int(cond.substr(colon + 1)) && *parse_int(cond.substr(colon + 1)) >= 1 &&
              *parse_int(cond.substr(colon + 1)) <= 9;
    if (!ok)
      c.fail(
          "finetune.probe_conditions",
          "expected none or trait:level with a level 1-9 (e.g. psychopathy:9), got '" + cond + "'");
  }

  const std::string& dev = c.text("run.device");
  bool dev_ok =
      dev == "cpu" || dev == "cuda" ||
      (dev.rfind("cuda:", 0) == 0 && parse_int(dev.substr(5)) && *parse_int(dev.substr(5)) >= 0);
  if (!dev_ok) c.fail("run.device", str("expected cpu, cuda or cuda:N, got '", dev, "'"));
  if (c.text("output.path").empty()) c.fail("output.path", "is empty");
}

}  // namespace

void validate_config(Config& config) {
  for (const auto& o : option_schema()) {
    std::string value = canonical(config, o);
    if (o.required && value.empty())
      config.fail(o.key, str("is required (set [", o.section(), "] ", o.name(), " = ... or --",
                             o.key, ")"));
    if (!o.axis.empty() && is_list(o.type) && value.empty())
      config.fail(o.key, "is empty: the grid would have no cells");
    config.set(o.key, value, config.origin(o.key));
  }
  check_consistency(config);
}

}  // namespace traitlab::config
