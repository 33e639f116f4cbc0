# Writes OUTPUT: a C++ source defining bda::warehouse::embedded_migrations() from the files
# sql/migrations/NNN_name.sql in SQL_DIR (run with cmake -P at build time).
file(GLOB files "${SQL_DIR}/[0-9][0-9][0-9]_*.sql")
list(SORT files)
set(body "")
foreach(f IN LISTS files)
  get_filename_component(name "${f}" NAME)
  string(SUBSTRING "${name}" 0 3 version)
  math(EXPR version "${version}")
  file(READ "${f}" text)
  string(APPEND body "      {${version}, \"${name}\", R\"bda_sql(${text})bda_sql\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "// Generated from sql/migrations by cmake/EmbedSql.cmake; do not edit.
#include \"bda/warehouse/migrations.hpp\"

namespace bda::warehouse {

std::vector<Migration> embedded_migrations() {
  return {
${body}  };
}

} // namespace bda::warehouse
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
