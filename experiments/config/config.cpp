#include "experiments/config/config.h"

#include <c10/util/Exception.h>

#include "core/util/error.h"
#include "experiments/config/config_values.h"
#include "experiments/config/option_schema.h"

namespace traitlab::config {

std::string Origin::describe() const {
  switch (kind) {
    case Kind::Default:
      return "default";
    case Kind::CommandLine:
      return str("command line (", file, ")");
    case Kind::File:
      return str(file, ":", line);
  }
  return "?";
}

Config Config::defaults() {
  Config c;
  for (const auto& o : option_schema()) c.entries_[o.key] = ConfigEntry{o.default_value, Origin{}};
  return c;
}

void Config::set(const std::string& key, std::string value, Origin origin) {
  // A key outside the schema is a bug in traitlab, not bad input.
  if (!find_option(key)) throw Error(str("internal: config key not in the schema: ", key));
  entries_[key] = ConfigEntry{std::move(value), std::move(origin)};
}

const std::string& Config::text(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) throw Error(str("internal: config key not set: ", key));
  return it->second.value;
}

const Origin& Config::origin(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end()) throw Error(str("internal: config key not set: ", key));
  return it->second.origin;
}

void Config::fail(const std::string& key, const std::string& what) const {
  const Origin& o = origin(key);
  if (o.kind == Origin::Kind::Default) throw InputError(str("key '", key, "': ", what));
  throw InputError(str(o.describe(), ": key '", key, "': ", what));
}

int64_t Config::get_int(const std::string& key) const {
  auto v = parse_int(text(key));
  if (!v) fail(key, str("expected an integer, got '", text(key), "'"));
  return *v;
}

double Config::get_double(const std::string& key) const {
  auto v = parse_double(text(key));
  if (!v) fail(key, str("expected a finite number, got '", text(key), "'"));
  return *v;
}

bool Config::get_bool(const std::string& key) const {
  auto v = parse_bool(text(key));
  if (!v) fail(key, str("expected true or false, got '", text(key), "'"));
  return *v;
}

std::vector<std::string> Config::get_list(const std::string& key) const {
  return split_list(text(key));
}

std::vector<int64_t> Config::get_int_list(const std::string& key) const {
  std::vector<int64_t> out;
  for (const auto& item : get_list(key)) {
    auto v = parse_int(item);
    if (!v) fail(key, str("expected a list of integers, got '", item, "' in '", text(key), "'"));
    out.push_back(*v);
  }
  return out;
}

}  // namespace traitlab::config
