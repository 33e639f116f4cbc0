# Warehouse tests: against a real, private MariaDB started by scripts/db.sh. A ctest fixture starts
# one server for all of them (wiping the previous one first) and always stops it, even after a
# failure; RESOURCE_LOCK runs them one at a time. Each script gets <bin dir> <source dir> <db dir>,
# sources <db dir>/env and works in a database of its own (tests/warehouse/wh_lib.sh).
set(BDA_TEST_DB_DIR ${PROJECT_BINARY_DIR}/test-db)

add_test(NAME warehouse.db_start
         COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/db.sh start ${BDA_TEST_DB_DIR} --fresh)
set_tests_properties(warehouse.db_start PROPERTIES
                     FIXTURES_SETUP bda_db RESOURCE_LOCK bda_db TIMEOUT 120 LABELS warehouse)
add_test(NAME warehouse.db_stop COMMAND bash ${PROJECT_SOURCE_DIR}/scripts/db.sh stop ${BDA_TEST_DB_DIR})
set_tests_properties(warehouse.db_stop PROPERTIES
                     FIXTURES_CLEANUP bda_db RESOURCE_LOCK bda_db TIMEOUT 120 LABELS warehouse)

# bda_add_warehouse_test(name script.sh): warehouse.<name>, script relative to tests/warehouse.
function(bda_add_warehouse_test name script)
  add_test(NAME warehouse.${name}
           COMMAND bash ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/${script}
                   ${PROJECT_BINARY_DIR}/bin ${PROJECT_SOURCE_DIR} ${BDA_TEST_DB_DIR})
  set_tests_properties(warehouse.${name} PROPERTIES
                       FIXTURES_REQUIRED bda_db RESOURCE_LOCK bda_db TIMEOUT 300 LABELS warehouse)
endfunction()

bda_add_warehouse_test(schema schema_test.sh)
bda_add_warehouse_test(constraints constraints_test.sh)
bda_add_warehouse_test(refresh refresh_test.sh)
bda_add_warehouse_test(views views_test.sh)
bda_add_warehouse_test(event event_test.sh)
bda_add_warehouse_test(privileges privileges_test.sh)

# The C++ loader's tests (Connector/C++), kept in a file of their own.
include(${CMAKE_CURRENT_LIST_DIR}/loader_tests.cmake)

# The warehouse module's parts that need no server: the period cube gathered from the load file.
bda_add_test(warehouse/period_cube_test bda::warehouse)
