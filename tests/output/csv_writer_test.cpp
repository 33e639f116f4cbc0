// SPEC §4 CSV: the header, RFC 4180 quoting exactly when needed, and the row format.
#include "bda/output/csv_writer.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace bda;

namespace {

std::string field(std::string_view f) {
  std::string out;
  append_csv_field(out, f);
  return out;
}

} // namespace

TEST_CASE("CSV writer: the header lists the SPEC §4 columns in order", "[output]") {
  CHECK(kOlapCsvHeader == "Contract,ChildDuration,MovieDuration,SportDuration,TVDuration,RelaxDuration,MostWatch,"
                          "Taste,DateCount,Activeness\n");
}

TEST_CASE("CSV writer: a field is quoted exactly when it holds a comma, quote, CR or LF", "[output]") {
  CHECK(field("SGH597377") == "SGH597377");
  CHECK(field("") == "");
  CHECK(field(" spaced ") == " spaced ");
  CHECK(field("tab\there") == "tab\there");
  CHECK(field("semi;colon") == "semi;colon");
  CHECK(field("\xC3\xA9") == "\xC3\xA9");
  CHECK(field("it's") == "it's");
  CHECK(field("a,b") == "\"a,b\"");
  CHECK(field(",") == "\",\"");
  CHECK(field("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(field("\"") == "\"\"\"\"");
  CHECK(field("line1\nline2") == "\"line1\nline2\"");
  CHECK(field("cr\r") == "\"cr\r\"");
  CHECK(field("\r\n") == "\"\r\n\"");
  CHECK(field("a,\"b\"\n") == "\"a,\"\"b\"\"\n\"");
  CHECK(field(std::string_view("nul\0byte", 8)) == std::string("nul\0byte", 8));
}

TEST_CASE("CSV writer: append_csv_field appends to what is there", "[output]") {
  std::string out = "x,";
  append_csv_field(out, "a,b");
  append_csv_field(out, "c");
  CHECK(out == "x,\"a,b\"c");
}

TEST_CASE("CSV writer: profile rows hold durations, MostWatch, Taste, DateCount and Activeness", "[output]") {
  ContractTable table(30);
  table.add("SGH2", Category::TV, 0, 100);
  table.add("SGH2", Category::Child, 1, 40);
  table.add("SGH2", Category::TV, 1, 5);
  table.add("a,\"b\"", Category::Relax, 29, 7);
  table.add("ZERO", Category::Sport, 3, 0);
  table.add("TIE", Category::Movie, 2, 50);
  table.add("TIE", Category::Sport, 2, 50);
  table.add("MAX", Category::Movie, 4, 9223372036854775807);
  std::string out;
  append_profile_rows(out, table, table.sorted_rows(), 30);
  CHECK(out == "MAX,0,9223372036854775807,0,0,0,Movie,Movie,1,3.33\n"
               "SGH2,40,0,0,105,0,TV,Child-TV,2,6.67\n"
               "TIE,0,50,50,0,0,Movie,Movie-Sport,1,3.33\n"
               "ZERO,0,0,0,0,0,,,1,3.33\n"
               "\"a,\"\"b\"\"\",0,0,0,0,7,Relax,Relax,1,3.33\n");
}

TEST_CASE("CSV writer: rows come out in the order given, and Activeness uses the selected days", "[output]") {
  ContractTable table(4);
  for (std::uint32_t day = 0; day < 4; ++day) table.add("ALL", Category::Child, day, 1);
  table.add("ONE", Category::Relax, 3, 2);
  std::string out;
  append_profile_rows(out, table, {1, 0}, 4);
  CHECK(out == "ONE,0,0,0,0,2,Relax,Relax,1,25.00\nALL,4,0,0,0,0,Child,Child,4,100.00\n");
  out.clear();
  append_profile_rows(out, table, {}, 4);
  CHECK(out.empty());
}
