#include "command_line.hpp"

#include "bda/core/error.hpp"
#include "bda/core/version.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace bda::apps {

po::options_description warehouse_options(const std::string& caption, std::string_view account_example) {
  po::options_description options(caption, kHelpLineLength, kHelpDescriptionLength);
  const std::string example(account_example);
  options.add_options()
    ("db-host", po::value<std::string>()->value_name("HOST")->default_value("127.0.0.1"), "MySQL/MariaDB host")
    ("db-port", po::value<unsigned>()->value_name("PORT")->default_value(warehouse::DbOptions::kDefaultPort), "port")
    ("db-socket", po::value<std::string>()->value_name("PATH"), "unix socket (instead of host and port)")
    ("db-user", po::value<std::string>()->value_name("USER"), ("account, e.g. " + example).c_str())
    ("db-name", po::value<std::string>()->value_name("NAME")->default_value("bda"), "schema")
    ("db-password-file", po::value<std::string>()->value_name("FILE"),
     "file whose first line is the password (otherwise MYSQL_PWD; never on the command line)")
    ("config", po::value<std::string>()->value_name("FILE"),
     ("read options from FILE, one 'name = value' per line (e.g. db-user = " + example +
      "); the command line wins").c_str());
  return options;
}

po::variables_map parse_command_line(int argc, const char* const argv[], const po::options_description& options,
                                     std::string_view program) {
  po::variables_map vm;
  try {
    const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::store(po::command_line_parser(argc, argv).options(options).style(style).run(), vm);
    if (vm.count("config")) {
      const std::string path = vm["config"].as<std::string>();
      std::ifstream file(path);
      if (!file) throw UsageError("cannot read --config " + path + ": " + errno_text(errno));
      po::store(po::parse_config_file(file, options), vm);
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string(e.what()) + " (see " + std::string(program) + " --help)");
  }
  return vm;
}

warehouse::DbOptions db_options_from(const po::variables_map& vm) {
  if (!vm.count("db-user")) throw UsageError("--db-user is required for the warehouse");
  warehouse::DbOptions db;
  db.host = vm["db-host"].as<std::string>();
  const unsigned port = vm["db-port"].as<unsigned>();
  if (port == 0 || port > 65535) throw UsageError("--db-port must be between 1 and 65535");
  db.port = static_cast<std::uint16_t>(port);
  if (vm.count("db-socket")) db.socket = vm["db-socket"].as<std::string>();
  db.user = vm["db-user"].as<std::string>();
  db.database = vm["db-name"].as<std::string>();
  if (vm.count("db-password-file")) {
    db.password = warehouse::read_password_file(vm["db-password-file"].as<std::string>());
  } else if (const char* env = std::getenv("MYSQL_PWD")) {
    db.password = env;
  }
  return db;
}

po::options_description general_options() {
  po::options_description options("General", kHelpLineLength, kHelpDescriptionLength);
  options.add_options()("help,h", "show this help")("version", "print the version");
  return options;
}

std::optional<std::string> help_or_version(const po::variables_map& vm, const po::options_description& options,
                                           std::string_view usage, std::string_view program) {
  if (vm.count("help")) {
    std::ostringstream text;
    text << usage << options;
    return text.str();
  }
  if (vm.count("version")) return std::string(program) + " " + std::string(version()) + "\n";
  return std::nullopt;
}

} // namespace bda::apps
