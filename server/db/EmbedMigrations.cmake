# Build-time script: writes OUTPUT, a C++ file returning the contents of every sql/*.sql.
# Usage: cmake -DSQL_DIR=... -DOUTPUT=... -P EmbedMigrations.cmake
file(GLOB sql_files LIST_DIRECTORIES false "${SQL_DIR}/*.sql")
list(SORT sql_files)
set(body "")
foreach(file IN LISTS sql_files)
  get_filename_component(name "${file}" NAME)
  file(READ "${file}" text)
  string(FIND "${text}" ")reelgate_sql\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${name} contains the raw-string delimiter )reelgate_sql\"")
  endif()
  string(APPEND body "        {0, \"${name}\", R\"reelgate_sql(${text})reelgate_sql\", {}},\n")
endforeach()
set(content "// Generated from sql/*.sql by EmbedMigrations.cmake. Do not edit.
#include \"db/Migration.h\"

namespace reelgate::server::db {

std::vector<Migration> builtInMigrations() {
    return prepareMigrations({
${body}    });
}

} // namespace reelgate::server::db
")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
