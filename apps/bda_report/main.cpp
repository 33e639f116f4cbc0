// bda-report: the period report (HTML, PDF, XLSX) from the warehouse. Parses options, runs the
// report, and turns every failure into one line and an exit code.
#include "report_options.hpp"

#include "bda/report/report_format.hpp"

#include <chrono>
#include <cstdio>
#include <exception>

int main(int argc, char** argv) {
  try {
    const auto cl = bda::apps::parse_report_command_line(argc, argv);
    if (cl.early_exit_text) {
      std::fputs(cl.early_exit_text->c_str(), stdout);
      return 0;
    }
    const auto start = std::chrono::steady_clock::now();
    const auto out = bda::report::generate_report(cl.request);
    if (!cl.quiet) {
      const std::chrono::duration<double> seconds = std::chrono::steady_clock::now() - start;
      std::string files = out.html.string() + ", " + out.xlsx.string();
      if (out.pdf) files += ", " + out.pdf->string();
      std::fprintf(stderr, "bda-report: %s: %s customers, total duration %s s; wrote %s in %.1f s\n",
                   cl.request.period.key().c_str(),
                   bda::report::format_count(out.customers).c_str(),
                   bda::report::format_count(out.total_duration).c_str(), files.c_str(), seconds.count());
    }
    return 0;
  } catch (const bda::UsageError& e) {
    std::fprintf(stderr, "bda-report: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bda-report: error: %s\n", e.what());
    return 1;
  }
}
