# Registers the fuzz targets with CTest (label `fuzz`) when clang is installed: fuzz_build
# builds them with clang into <build>/fuzz (run-fuzz.sh; the main build may use g++), then
# fuzz_<target> runs each for REELGATE_FUZZ_SECONDS from its corpus in the tree.
find_program(REELGATE_CLANGXX clang++)
set(REELGATE_FUZZ_SECONDS 20 CACHE STRING "seconds each fuzz target runs in CTest")
if(REELGATE_CLANGXX)
  set(fuzz_script "${CMAKE_CURRENT_LIST_DIR}/run-fuzz.sh")
  set(fuzz_build_dir "${CMAKE_BINARY_DIR}/fuzz")
  add_test(NAME fuzz_build
    COMMAND "${fuzz_script}" "${PROJECT_SOURCE_DIR}" "${fuzz_build_dir}" 0 build)
  set_tests_properties(fuzz_build PROPERTIES LABELS fuzz FIXTURES_SETUP fuzz TIMEOUT 900)
  foreach(target m3u8 tar manifest tus jsonbody inline)
    add_test(NAME fuzz_${target}
      COMMAND "${fuzz_script}" "${PROJECT_SOURCE_DIR}" "${fuzz_build_dir}"
        ${REELGATE_FUZZ_SECONDS} ${target})
    set_tests_properties(fuzz_${target} PROPERTIES
      LABELS fuzz FIXTURES_REQUIRED fuzz TIMEOUT 300)
  endforeach()
endif()
