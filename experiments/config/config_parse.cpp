#include "experiments/config/config_parse.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/util/error.h"
#include "experiments/config/ini_scan.h"
#include "experiments/config/option_schema.h"

namespace traitlab::config {

namespace {

po::options_description config_description() {
  po::options_description desc("Config options");
  for (const auto& o : option_schema())
    desc.add_options()(o.key.c_str(), po::value<std::string>(), o.help.c_str());
  return desc;
}

po::options_description alias_description() {
  po::options_description desc("Aliases");
  for (const auto& o : option_schema())
    if (!o.alias.empty()) desc.add_options()(o.alias.c_str(), po::value<std::string>(), "");
  return desc;
}

po::options_description builtin_description() {
  po::options_description desc("General");
  desc.add_options()("help,h", "Show this help")(
      "config,c", po::value<std::vector<std::string>>()->composing(),
      "INI config file; may repeat, later files override earlier ones")(
      "dump-config", "Print the fully resolved config as INI and exit");
  return desc;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  check_input(static_cast<bool>(in), "config file '", path, "' cannot be read (missing?)");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Stores one INI text into vm after the pre-scan has vetted it.
void store_ini(const std::string& text, const IniScan& scan, const po::options_description& desc,
               po::variables_map& vm) {
  std::istringstream in(text);
  try {
    po::store(po::parse_config_file<char>(in, desc, false), vm);
  } catch (const po::error& e) {
    // The pre-scan accepts only what Boost accepts, so this is unexpected.
    throw InputError(str(scan.source, ": ", e.what()));
  }
}

}  // namespace

ParsedArgs parse_args(int argc, const char* const argv[], const po::options_description& generic,
                      const po::positional_options_description* positional) {
  const po::options_description config_desc = config_description();
  po::options_description cli;
  cli.add(builtin_description()).add(generic).add(config_desc).add(alias_description());

  po::parsed_options parsed(&cli);
  try {
    po::command_line_parser p(argc, argv);
    p.options(cli);
    // Exact flags only: Boost would otherwise accept any unique prefix.
    p.style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing);
    if (positional) p.positional(*positional);
    parsed = p.run();
  } catch (const po::error& e) {
    throw InputError(str("command line: ", e.what()));
  }

  // Aliases become their canonical key before storing; the flag the user
  // typed is kept for messages.
  std::map<std::string, std::string> cli_flag;  // config key -> flag used
  for (auto& opt : parsed.options) {
    for (const auto& o : option_schema()) {
      if (!o.alias.empty() && opt.string_key == o.alias) opt.string_key = o.key;
    }
    if (!find_option(opt.string_key)) continue;
    std::string flag = opt.original_tokens.empty() ? "--" + opt.string_key : opt.original_tokens[0];
    if (size_t eq = flag.find('='); eq != std::string::npos) flag.resize(eq);
    auto [it, inserted] = cli_flag.emplace(opt.string_key, flag);
    check_input(inserted, "command line: '", opt.string_key, "' given twice (", it->second, " and ",
                flag, ")");
  }

  ParsedArgs out;
  try {
    po::store(parsed, out.generic);
  } catch (const po::error& e) {
    throw InputError(str("command line: ", e.what()));
  }
  out.help = out.generic.count("help") > 0;
  out.dump_config = out.generic.count("dump-config") > 0;
  if (out.generic.count("config"))
    out.config_files = out.generic["config"].as<std::vector<std::string>>();

  std::vector<IniScan> scans;
  for (const auto& path : out.config_files) {
    std::string text = read_text_file(path);
    scans.push_back(scan_ini(text, path));
    scans.back().source = path;
  }
  // Reverse order: Boost keeps the first stored value, and later files win.
  for (size_t i = out.config_files.size(); i-- > 0;)
    store_ini(read_text_file(out.config_files[i]), scans[i], config_desc, out.generic);
  try {
    po::notify(out.generic);
  } catch (const po::error& e) {
    throw InputError(str("command line: ", e.what()));
  }

  out.config = Config::defaults();
  for (const auto& o : option_schema()) {
    if (!out.generic.count(o.key)) continue;
    Origin origin;
    if (auto it = cli_flag.find(o.key); it != cli_flag.end()) {
      origin.kind = Origin::Kind::CommandLine;
      origin.file = it->second;
    } else {
      for (size_t i = scans.size(); i-- > 0;) {
        if (auto e = scans[i].entries.find(o.key); e != scans[i].entries.end()) {
          origin.kind = Origin::Kind::File;
          origin.file = scans[i].source;
          origin.line = e->second.line;
          break;
        }
      }
    }
    out.config.set(o.key, out.generic[o.key].as<std::string>(), origin);
  }
  return out;
}

Config parse_config_text(const std::string& text, const std::string& source) {
  IniScan scan = scan_ini(text, source);
  po::variables_map vm;
  store_ini(text, scan, config_description(), vm);
  Config c = Config::defaults();
  for (const auto& [key, entry] : scan.entries)
    c.set(key, vm[key].as<std::string>(), Origin{Origin::Kind::File, source, entry.line});
  return c;
}

std::string options_help(const std::string& usage, const po::options_description& generic) {
  std::ostringstream os;
  os << "Usage: " << usage << "\n\n";
  po::options_description shown;
  shown.add(builtin_description()).add(generic);
  os << shown << "\n";
  os << "Config options: set in an INI file ([section] key = value) or as --section.key VALUE.\n"
     << "Precedence: command line > later --config > earlier --config > default.\n";
  std::string section;
  for (const auto& o : option_schema()) {
    if (o.section() != section) {
      section = o.section();
      os << "\n  [" << section << "]\n";
    }
    std::string flag = "--" + o.key;
    if (!o.alias.empty()) flag += " (--" + o.alias + ")";
    os << "  " << flag << " <" << option_type_name(o.type) << ">\n      " << o.help;
    if (!o.choices.empty()) {
      os << ". One of:";
      for (const auto& c : o.choices) os << " " << c;
    }
    if (o.required)
      os << ". Required";
    else
      os << ". Default: '" << o.default_value << "'";
    if (!o.axis.empty()) os << ". Grid axis '" << o.axis << "'";
    os << "\n";
  }
  return os.str();
}

}  // namespace traitlab::config
