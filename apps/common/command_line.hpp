// What the apps' command lines share: help layout, parsing with --config, the --db-* options.
#pragma once

#include "bda/core/date.hpp"
#include "bda/lake/day_selection_options.hpp" // parse_date_option
#include "bda/warehouse/db_options.hpp"

#include <boost/program_options.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace bda::apps {

namespace po = boost::program_options;

inline constexpr unsigned kHelpLineLength = 110;
inline constexpr unsigned kHelpDescriptionLength = 60;

//! --db-host, --db-port, --db-socket, --db-user, --db-name, --db-password-file and --config.
po::options_description warehouse_options(const std::string& caption, std::string_view account_example);

//! Parses argv without abbreviations ("--db-password x" is an unknown option, never a guess at
//! --db-password-file), then the --config file if one is named; the command line wins.
//! Throws UsageError ending with "(see PROGRAM --help)".
po::variables_map parse_command_line(int argc, const char* const argv[], const po::options_description& options,
                                     std::string_view program);

//! The connection from the parsed --db-* options; the password from --db-password-file or MYSQL_PWD.
warehouse::DbOptions db_options_from(const po::variables_map& vm);

//! The "General" section: --help and --version (etl adds its own entries before calling this).
po::options_description general_options();

//! The text to print and exit with for --help (usage, then every option) or --version; nullopt
//! for a normal run.
std::optional<std::string> help_or_version(const po::variables_map& vm, const po::options_description& options,
                                           std::string_view usage, std::string_view program);

} // namespace bda::apps
