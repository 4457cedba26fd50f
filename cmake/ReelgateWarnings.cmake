# reelgate_warnings(target): the project's warning set, applied per target so that
# third-party headers and generated code are not affected.
function(reelgate_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wnon-virtual-dtor -Wold-style-cast
      -Wcast-align -Wformat=2 -Wimplicit-fallthrough>
    $<$<CXX_COMPILER_ID:GNU>:-Wshadow=local>)
endfunction()
