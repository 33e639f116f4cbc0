#include "bda/report/report_job.hpp"

#include "bda/report/html_report.hpp"
#include "bda/report/report_source.hpp"
#include "bda/report/report_text.hpp"
#include "bda/report/xlsx_report.hpp"

#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <vector>

namespace bda::report {
namespace {

constexpr std::size_t kPeriodsInMessage = 5;

//! Output files written under temporary names in the output folder and renamed together at the
//! end; whatever was not renamed is removed, so a failed run leaves the folder as it was.
class Staging {
public:
  explicit Staging(std::filesystem::path dir) : dir_(std::move(dir)) {}
  ~Staging() {
    for (const auto& [temp, final_path] : files_) {
      std::error_code ignored;
      std::filesystem::remove(temp, ignored);
    }
  }
  Staging(const Staging&) = delete;
  Staging& operator=(const Staging&) = delete;

  //! A temporary path for `name` ("report.html" -> ".report-tmp-<pid>.html": the extension stays).
  std::filesystem::path add(const std::string& name) {
    const std::filesystem::path n(name);
    const std::filesystem::path temp =
        dir_ / ("." + n.stem().string() + "-tmp-" + std::to_string(::getpid()) + n.extension().string());
    files_.emplace_back(temp, dir_ / name);
    return temp;
  }
  void commit() {
    for (const auto& [temp, final_path] : files_) {
      std::error_code ec;
      std::filesystem::rename(temp, final_path, ec);
      if (ec) throw OutputError("cannot rename " + temp.string() + " to " + final_path.string() + ": " + ec.message());
    }
    files_.clear();
  }

private:
  std::filesystem::path dir_;
  std::vector<std::pair<std::filesystem::path, std::filesystem::path>> files_;
};

void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) throw OutputError("cannot write " + path.string() + ": " + errno_text(errno));
}

//! "2022-04-01 to 2022-04-30", or for a list "2022-04-01 to 2022-04-15 (2 listed days: --period KEY)".
std::string describe_period(const Period& p) {
  std::string text = p.start.iso() + " to " + p.end.iso();
  if (!p.listed.empty()) text += " (" + std::to_string(p.days()) + " listed days: --period " + p.key() + ")";
  return text;
}

std::string no_data_message(ReportSource& source, const ReportRequest& r) {
  std::string text = "the warehouse " + r.db.describe() + " holds no data for the period " + describe_period(r.period) +
                     " (a report covers exactly the period of one bda-etl load)";
  const std::vector<Period> periods = source.loaded_periods(kPeriodsInMessage);
  if (periods.empty()) return text + "; no period has been loaded yet";
  text += "; loaded periods";
  if (periods.size() == kPeriodsInMessage) text += " (latest " + std::to_string(kPeriodsInMessage) + ")";
  text += ":";
  for (const Period& p : periods)
    text += " " + describe_period(p) + (&p == &periods.back() ? "" : ",");
  return text;
}

} // namespace

ReportOutputs generate_report(const ReportRequest& r) {
  if (r.period.end < r.period.start)
    throw UsageError("--period-end " + r.period.end.iso() + " is before --period-start " + r.period.start.iso());
  std::error_code ec;
  std::filesystem::create_directories(r.out_dir, ec);
  if (ec || !std::filesystem::is_directory(r.out_dir))
    throw OutputError("cannot create the output folder --out-dir " + r.out_dir.string() +
                      (ec ? ": " + ec.message() : ": not a directory"));

  ReportSource source(r.db);
  if (!source.has_period(r.period)) throw NoDataError(no_data_message(source, r));
  const ReportData data = source.load(r.period);

  Staging staging(r.out_dir);
  ReportOutputs out;
  out.customers = data.metrics.customers;
  out.total_duration = data.metrics.total_duration;
  out.html = r.out_dir / "report.html";
  out.xlsx = r.out_dir / "report.xlsx";

  const std::filesystem::path html = staging.add("report.html");
  write_text(html, render_html_report(data, summarize(data)));

  const std::filesystem::path xlsx = staging.add("report.xlsx");
  const std::uint64_t rows =
      write_xlsx_report(xlsx, data, [&](const auto& visit) { source.each_customer(r.period, visit); });
  if (rows != data.metrics.customers)
    throw OutputError("report.xlsx: " + std::to_string(rows) + " customer rows, but the period has " +
                      std::to_string(data.metrics.customers));

  if (r.pdf) {
    const std::filesystem::path pdf = staging.add("report.pdf");
    print_pdf(html, pdf, *r.pdf);
    out.pdf = r.out_dir / "report.pdf";
  } else {
    std::filesystem::remove(r.out_dir / "report.pdf", ec); // never leave an older run's PDF beside new files
  }
  staging.commit();
  return out;
}

} // namespace bda::report
