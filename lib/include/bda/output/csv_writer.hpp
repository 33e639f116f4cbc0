// SPEC §4's OLAP CSV: header, RFC 4180 quoting, one row per contract.
#pragma once

#include "bda/aggregate/contract_table.hpp"
#include "bda/aggregate/daily_usage.hpp"
#include "bda/core/date.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bda {

inline constexpr std::string_view kOlapCsvHeader =
    "Contract,ChildDuration,MovieDuration,SportDuration,TVDuration,RelaxDuration,MostWatch,Taste,DateCount,"
    "Activeness\n";

//! Appends `field`, quoted with '"' doubled exactly when it holds ',', '"', CR or LF.
void append_csv_field(std::string& out, std::string_view field);

//! Appends the CSV rows of `rows` (already in output order) of a merged table.
void append_profile_rows(std::string& out, const ContractTable& table, const std::vector<std::uint32_t>& rows,
                         std::uint32_t selected_days);

inline constexpr std::string_view kDailyUsageCsvHeader = "stat_date,category,sessions,total_duration,customers\n";

//! The per-day table as CSV: for each day given (date, day index), a row "All" then one per category.
void append_daily_usage_rows(std::string& out, const DailyUsage& usage,
                             const std::vector<std::pair<Date, std::uint32_t>>& days);

} // namespace bda
