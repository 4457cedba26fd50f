# Windows installer (NSIS) for Reelgate Studio, included by installers/CMakeLists.txt on
# Windows builds. It cannot be built on the Linux build machines; see installers/README.md.
#   cmake --preset default -DREELGATE_BUILD_SERVER=OFF -DREELGATE_BUILD_TESTS=OFF
#   cmake --build --preset default
#   cpack -G NSIS --config build/CPackConfig.cmake -B build/packages
# The server is a Linux service: the Windows package holds the studio (and reelgate-encode).
set(CPACK_GENERATOR "NSIS;ZIP")
set(CPACK_COMPONENTS_ALL studio)
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Reelgate Studio")
set(CPACK_PACKAGE_FILE_NAME "reelgate-studio-${PROJECT_VERSION}-win64")
# Start-menu entry "Reelgate Studio" -> bin\reelgate-studio.exe. The NSIS generator always
# writes Uninstall.exe, its Start-menu link and the "Apps & features" entry.
set(CPACK_PACKAGE_EXECUTABLES "reelgate-studio" "Reelgate Studio")
set(CPACK_NSIS_PACKAGE_NAME "Reelgate Studio")
set(CPACK_NSIS_DISPLAY_NAME "Reelgate Studio ${PROJECT_VERSION}")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\reelgate-studio.exe")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_CONTACT "${REELGATE_MAINTAINER}")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
set(CPACK_NSIS_MODIFY_PATH OFF)
if(EXISTS "${PROJECT_SOURCE_DIR}/resources/icons/reelgate-studio.ico")
  set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/icons/reelgate-studio.ico")
  set(CPACK_NSIS_MUI_UNIICON "${PROJECT_SOURCE_DIR}/resources/icons/reelgate-studio.ico")
endif()

if(TARGET reelgate-studio)
  # A window app: no console window behind it.
  set_target_properties(reelgate-studio PROPERTIES WIN32_EXECUTABLE ON)

  # Qt runtime: Qt's own deployment tool copies the Qt DLLs and the plugins the studio loads
  # (platforms/qwindows, sqldrivers/qsqlite, tls, multimedia ...) next to the executable.
  find_program(REELGATE_WINDEPLOYQT windeployqt HINTS "${Qt6_DIR}/../../../bin" REQUIRED)
  install(CODE "
    execute_process(COMMAND \"${REELGATE_WINDEPLOYQT}\" $<IF:$<CONFIG:Debug>,--debug,--release>
        --no-translations --no-compiler-runtime
        \"\${CMAKE_INSTALL_PREFIX}/bin/$<TARGET_FILE_NAME:reelgate-studio>\"
      COMMAND_ERROR_IS_FATAL ANY)" COMPONENT studio)

  # FFmpeg runtime (avformat-*.dll, avcodec-*.dll, swscale-*.dll ... and what they need):
  # exactly the DLLs the studio and reelgate-encode load from the FFmpeg used for the build.
  pkg_get_variable(ffmpeg_prefix libavformat prefix)
  set(REELGATE_FFMPEG_BIN_DIR "${ffmpeg_prefix}/bin" CACHE PATH
    "Folder with the FFmpeg DLLs to ship in the Windows installer")
  set(runtime_exes "$<TARGET_FILE_NAME:reelgate-studio>")
  if(TARGET reelgate-encode)
    list(APPEND runtime_exes "$<TARGET_FILE_NAME:reelgate-encode>")
  endif()
  install(CODE "set(ffmpeg_dir [[${REELGATE_FFMPEG_BIN_DIR}]])
    set(exe_names [[${runtime_exes}]])" COMPONENT studio)
  install(CODE [[
    set(exes "")
    foreach(name IN LISTS exe_names)
      list(APPEND exes "${CMAKE_INSTALL_PREFIX}/bin/${name}")
    endforeach()
    file(GET_RUNTIME_DEPENDENCIES EXECUTABLES ${exes} DIRECTORIES "${ffmpeg_dir}"
      RESOLVED_DEPENDENCIES_VAR resolved PRE_EXCLUDE_REGEXES "^api-ms-" "^ext-ms-")
    file(TO_CMAKE_PATH "${ffmpeg_dir}" ffmpeg_dir)
    string(TOLOWER "${ffmpeg_dir}/" ffmpeg_prefix)
    foreach(dll IN LISTS resolved)
      file(TO_CMAKE_PATH "${dll}" dll)
      string(TOLOWER "${dll}" dll_lower)
      string(FIND "${dll_lower}" "${ffmpeg_prefix}" at)
      if(at EQUAL 0)
        file(INSTALL "${dll}" DESTINATION "${CMAKE_INSTALL_PREFIX}/bin")
      endif()
    endforeach()
  ]] COMPONENT studio)

  # The compiler's runtime (MSVC redistributable DLLs) goes into bin/ as well.
  set(CMAKE_INSTALL_SYSTEM_RUNTIME_DESTINATION "${CMAKE_INSTALL_BINDIR}")
  set(CMAKE_INSTALL_SYSTEM_RUNTIME_COMPONENT studio)
  include(InstallRequiredSystemLibraries)
endif()
