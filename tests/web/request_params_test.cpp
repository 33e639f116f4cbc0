// The dashboard API's parameter checks and the asset table, without a database or a server.
#include "bda/dashboard/api.hpp"
#include "bda/dashboard/dimensions.hpp"
#include "bda/dashboard/embedded_assets.hpp"
#include "bda/dashboard/request_params.hpp"
#include "bda/dashboard/sql_json.hpp"
#include "bda/warehouse/period_key.hpp"

#include <catch2/catch.hpp>

using namespace bda::dashboard;

namespace {

const std::vector<std::string_view> kAll = {"period", "period_start", "period_end", "segment",  "most_watch", "taste", "page",
                                            "page_size",    "sort",       "order",    "search",     "contract",
                                            "contract_hex", "bins"};

RequestParams params(QueryParams q) { return RequestParams(q, kAll); }

} // namespace

TEST_CASE("RequestParams: day ranges are both dates or neither", "[dashboard]") {
  CHECK_FALSE(params({}).day_range().has_value());
  const auto p = params({{"period_start", "2022-04-01"}, {"period_end", "2022-04-30"}}).day_range();
  REQUIRE(p.has_value());
  CHECK(p->days() == 30);
  CHECK_THROWS_AS(params({{"period_start", "2022-04-01"}}).day_range(), BadRequest);
  CHECK_THROWS_AS(params({{"period_start", "2022-02-30"}, {"period_end", "2022-04-30"}}).day_range(), BadRequest);
  CHECK_THROWS_AS(params({{"period_start", "2022-04-30"}, {"period_end", "2022-04-01"}}).day_range(), BadRequest);
  CHECK_THROWS_WITH(params({{"period_start", "x"}, {"period_end", "2022-04-30"}}).day_range(),
                    Catch::Contains("period_start 'x' is not a date"));
}

TEST_CASE("RequestParams: a period is a canonical period key or absent", "[dashboard]") {
  CHECK_FALSE(params({}).period_key().has_value());
  CHECK(*params({{"period", "2022-04-01..2022-04-30"}}).period_key() == "2022-04-01..2022-04-30");
  CHECK(*params({{"period", "2022-04-01..2022-04-15/8002"}}).period_key() == "2022-04-01..2022-04-15/8002");
  for (const char* bad : {"", "2022-04-01", "2022-04-01/2022-04-30", "2022-04-30..2022-04-01", "2022-02-30..2022-03-01",
                          "2022-04-01..2022-04-15/8003", "2022-04-01..2022-04-15/8002 ", "2022-04-01..2022-04-15/80",
                          "2022-04-01..2022-04-15/800A", "2022-04-01..2022-04-04/f", "2022-04-01..2022-04-15/0002"})
    CHECK_THROWS_AS(params({{"period", bad}}).period_key(), BadRequest);
  CHECK_THROWS_WITH(params({{"period", "2022-04-01"}}).period_key(), Catch::Contains("is not a period key"));
}

TEST_CASE("period_key: a range without a bitmap, any other set with one, and back", "[dashboard]") {
  using bda::Date;
  using bda::warehouse::period_key;
  using bda::warehouse::period_key_days;
  const Date d1 = Date::parse_iso("2022-04-01"), d15 = Date::parse_iso("2022-04-15");
  CHECK(period_key({d1}) == "2022-04-01..2022-04-01");
  std::vector<Date> april;
  for (Date d = d1; d <= d15; d = d.next()) april.push_back(d);
  CHECK(period_key(april) == "2022-04-01..2022-04-15");
  CHECK(period_key({d1, d15}) == "2022-04-01..2022-04-15/8002");
  CHECK(period_key({d1, Date::parse_iso("2022-04-03")}) == "2022-04-01..2022-04-03/a");
  CHECK(period_key_days("2022-04-01..2022-04-15/8002") == std::vector<Date>{d1, d15});
  CHECK(period_key_days("2022-04-01..2022-04-15") == april);
  // Any set round-trips, and no two sets share a key.
  const std::vector<Date> odd = {d1, Date::parse_iso("2022-04-02"), Date::parse_iso("2022-04-09"), d15};
  CHECK(period_key_days(period_key(odd)) == odd);
  CHECK(period_key(odd) != period_key({d1, Date::parse_iso("2022-04-09"), d15}));
  // Bounded: a list may span kPeriodKeyMaxListSpanDays days, and its key fits the column.
  const Date far = Date::from_days(d1.days_since_epoch() + bda::warehouse::kPeriodKeyMaxListSpanDays - 1);
  CHECK(period_key({d1, far}).size() <= bda::warehouse::kPeriodKeyMaxBytes);
  CHECK_THROWS_AS(period_key({d1, far.next()}), bda::UsageError);
  CHECK_THROWS_AS(period_key({}), bda::UsageError);
}

TEST_CASE("RequestParams: filters take only known segments, categories and canonical tastes", "[dashboard]") {
  const auto f =
      params({{"segment", "Loyal Customer"}, {"most_watch", "none"}, {"taste", "Child-TV"}}).customer_filter();
  CHECK(*f.segment == "Loyal Customer");
  CHECK(*f.most_watch == "none");
  CHECK(*f.taste == "Child-TV");
  CHECK_THROWS_AS(params({{"segment", "loyal customer"}}).customer_filter(), BadRequest);
  CHECK_THROWS_AS(params({{"most_watch", "tv"}}).customer_filter(), BadRequest);
  CHECK_THROWS_AS(params({{"taste", "TV-Child"}}).customer_filter(), BadRequest);
  CHECK_THROWS_AS(params({{"taste", "Child-Child"}}).customer_filter(), BadRequest);
  CHECK(all_tastes().size() == 31);
  CHECK(all_tastes().back() == "Child-Movie-Sport-TV-Relax");
}

TEST_CASE("RequestParams: paging, whitelisted sort columns, free-text search", "[dashboard]") {
  const PageRequest defaults = params({}).page_request();
  CHECK(defaults.page == 1);
  CHECK(defaults.page_size == PageRequest::kDefaultPageSize);
  CHECK(defaults.sort == "total_duration");
  const PageRequest p = params({{"page", "3"}, {"page_size", "500"}, {"sort", "contract"}, {"order", "asc"},
                                {"search", "' OR 1=1 --"}})
                            .page_request();
  CHECK(p.page == 3);
  CHECK(p.page_size == 500);
  CHECK(p.order == SortOrder::Asc);
  CHECK(p.search == "' OR 1=1 --");
  for (const char* bad : {"0", "501", "10000", "-1", "1e3", "", " 5", "5x", "99999999999999999999"}) {
    INFO(bad);
    CHECK_THROWS_AS(params({{"page_size", bad}}).page_request(), BadRequest);
  }
  CHECK_THROWS_AS(params({{"sort", "Contract"}}).page_request(), BadRequest);
  CHECK_THROWS_AS(params({{"sort", "1; DROP TABLE x"}}).page_request(), BadRequest);
  CHECK_THROWS_AS(params({{"order", "ASC"}}).page_request(), BadRequest);
  CHECK_THROWS_AS(params({{"search", std::string(PageRequest::kMaxSearchBytes + 1, 'a')}}).page_request(), BadRequest);
  for (const SortColumn& c : kSortColumns) CHECK(find_sort_column(c.name) == &c);
}

TEST_CASE("RequestParams: unknown, repeated and non-UTF-8 parameters are refused", "[dashboard]") {
  CHECK_THROWS_WITH(RequestParams({{"segmnt", "x"}}, {"segment"}), Catch::Contains("unknown parameter 'segmnt'"));
  CHECK_THROWS_WITH(params({{"page", "1"}, {"page", "2"}}), Catch::Contains("more than once"));
  CHECK_THROWS_AS(params({{"search", "\xff"}}), BadRequest);
  CHECK_NOTHROW(params({{"search", "Ngô 😀"}}));
}

TEST_CASE("is_utf8: well-formed UTF-8 only", "[dashboard]") {
  CHECK(is_utf8(""));
  CHECK(is_utf8("abc"));
  CHECK(is_utf8("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
  for (std::string_view bad : {"\x80", "\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                               "\xf8\x88\x80\x80\x80", "\xe2\x82"}) {
    CHECK_FALSE(is_utf8(bad));
  }
}

TEST_CASE("RequestParams: contract or contract_hex, exactly one", "[dashboard]") {
  CHECK(params({{"contract", "SGH1"}}).contract_key().value == "SGH1");
  CHECK(params({{"contract_hex", "53474831"}}).contract_key().hex);
  CHECK_THROWS_AS(params({}).contract_key(), BadRequest);
  CHECK_THROWS_AS(params({{"contract", "a"}, {"contract_hex", "61"}}).contract_key(), BadRequest);
  CHECK_THROWS_AS(params({{"contract_hex", "5"}}).contract_key(), BadRequest);
  CHECK_THROWS_AS(params({{"contract_hex", "zz"}}).contract_key(), BadRequest);
  // SPEC §2: a Contract has up to 1024 bytes.
  CHECK(params({{"contract_hex", std::string(2048, 'a')}}).contract_key().value.size() == 2048);
  CHECK(params({{"contract", std::string(1024, 'a')}}).contract_key().value.size() == 1024);
  CHECK_THROWS_AS(params({{"contract_hex", std::string(2050, 'a')}}).contract_key(), BadRequest);
  CHECK_THROWS_AS(params({{"contract", std::string(1025, 'a')}}).contract_key(), BadRequest);
}

TEST_CASE("decimal_to_json: DECIMAL text as exact JSON numbers", "[dashboard]") {
  CHECK(decimal_to_json("12345").is_number_unsigned());
  CHECK(decimal_to_json("18446744073709551615").get<std::uint64_t>() == 18446744073709551615ULL);
  CHECK(decimal_to_json("-7").get<std::int64_t>() == -7);
  CHECK(decimal_to_json("423993.94").get<double>() == 423993.94);
  CHECK(decimal_to_json("184467440737095516150").is_number_float());
}

TEST_CASE("Api: unknown endpoints and bad parameters answer without touching the database", "[dashboard]") {
  bda::warehouse::DbOptions nowhere;
  nowhere.socket = "/nonexistent/bda.sock";
  ConnectionPool pool(nowhere);
  DashboardQueries queries(pool);
  const Api api(queries, ApiSettings{});
  CHECK(api.handle("nope", {}).status == 404);
  CHECK(api.handle("overview", {{"segment", "Gold"}}).status == 400);
  CHECK(api.handle("customers", {{"page_size", "0"}}).body["error"].is_string());
  const ApiResponse config = api.handle("config", {});
  CHECK(config.status == 200);
  CHECK(config.body["refresh_seconds"] == ApiSettings::kDefaultRefreshSeconds);
  CHECK(api.handle("overview", {}).status == 503);
}

TEST_CASE("embedded assets: both pages, the scripts and ECharts are in the binary", "[dashboard]") {
  for (const char* path : {"/", "/details", "/assets/app.css", "/assets/common.js", "/assets/overview.js",
                           "/assets/details.js", "/assets/echarts.min.js"}) {
    INFO(path);
    const EmbeddedAsset* a = find_asset(path);
    REQUIRE(a != nullptr);
    CHECK_FALSE(a->body.empty());
    CHECK(a->etag.front() == '"');
  }
  CHECK(find_asset("/assets/echarts.min.js")->body.size() > 500'000);
  CHECK(find_asset("/")->content_type == "text/html; charset=utf-8");
  CHECK(find_asset("/nope") == nullptr);
}
