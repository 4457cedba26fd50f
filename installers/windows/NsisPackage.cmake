# Windows installer (NSIS), included by installers/CMakeLists.txt when building on Windows.
# Not buildable on the Linux build machines; kept here so a Windows build only needs:
#   cmake --preset default && cmake --build --preset default && cpack -G NSIS --config build/CPackConfig.cmake
# Qt and FFmpeg runtimes are copied next to the studio by windeployqt at install time.
set(CPACK_GENERATOR "NSIS;ZIP")
set(CPACK_NSIS_PACKAGE_NAME "Reelgate Studio")
set(CPACK_NSIS_DISPLAY_NAME "Reelgate Studio ${PROJECT_VERSION}")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
if(EXISTS "${PROJECT_SOURCE_DIR}/resources/icons/reelgate.ico")
  set(CPACK_NSIS_MUI_ICON "${PROJECT_SOURCE_DIR}/resources/icons/reelgate.ico")
endif()
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\reelgate-studio.exe")
set(CPACK_NSIS_MENU_LINKS "bin/reelgate-studio.exe" "Reelgate Studio")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "Reelgate")
set(CPACK_PACKAGE_EXECUTABLES "reelgate-studio" "Reelgate Studio")
find_program(WINDEPLOYQT windeployqt HINTS "${Qt6_DIR}/../../../bin")
if(WINDEPLOYQT)
  install(CODE "execute_process(COMMAND \"${WINDEPLOYQT}\" --release --no-translations
    \"\${CMAKE_INSTALL_PREFIX}/bin/reelgate-studio.exe\")" COMPONENT studio)
endif()
# FFmpeg DLLs (avformat-*.dll, avcodec-*.dll, ...) from the FFmpeg used for the build:
install(CODE "file(GLOB ffmpeg_dlls \"${FFMPEG_BIN_DIR}/*.dll\")
  file(INSTALL \${ffmpeg_dlls} DESTINATION \"\${CMAKE_INSTALL_PREFIX}/bin\")" COMPONENT studio)
