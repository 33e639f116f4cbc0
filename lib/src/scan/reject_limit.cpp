#include "bda/scan/reject_limit.hpp"

#include "bda/core/error.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace bda {

RejectLimit RejectLimit::default_limit() {
  RejectLimit limit;
  limit.kind_ = Kind::Percent;
  limit.percent_ = kDefaultPercent;
  return limit;
}

RejectLimit RejectLimit::parse(std::string_view text) {
  auto bad = [&] {
    return UsageError("--max-rejects '" + std::string(text) +
                      "' is neither a count (e.g. 0, 1000), a percentage (e.g. 0.5%) nor 'none'");
  };
  RejectLimit limit;
  if (text == "none") return limit;
  if (!text.empty() && text.back() == '%') {
    std::string number(text.substr(0, text.size() - 1));
    if (number.empty() || number.find_first_not_of("0123456789.") != std::string::npos) throw bad();
    char* end = nullptr;
    double p = std::strtod(number.c_str(), &end);
    if (end != number.c_str() + number.size() || !std::isfinite(p) || p < 0 || p > 100) throw bad();
    limit.kind_ = Kind::Percent;
    limit.percent_ = p;
    return limit;
  }
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), limit.count_);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) throw bad();
  limit.kind_ = Kind::Count;
  return limit;
}

bool RejectLimit::exceeded(std::uint64_t rejected, std::uint64_t non_blank) const {
  switch (kind_) {
  case Kind::None: return false;
  case Kind::Count: return rejected > count_;
  case Kind::Percent:
    return non_blank > 0 && static_cast<double>(rejected) * 100.0 > percent_ * static_cast<double>(non_blank);
  }
  return false;
}

std::string RejectLimit::describe() const {
  switch (kind_) {
  case Kind::None: return "none";
  case Kind::Count: return std::to_string(count_);
  case Kind::Percent: {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g%%", percent_);
    return buf;
  }
  }
  return "";
}

} // namespace bda
