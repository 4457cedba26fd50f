# macOS disk image with an app bundle, included by installers/CMakeLists.txt on Apple builds.
# Not buildable on the Linux build machines. A macOS build needs the studio target built with
# MACOSX_BUNDLE (set below) and then: cpack -G DragNDrop --config build/CPackConfig.cmake
set(CPACK_GENERATOR "DragNDrop")
set(CPACK_DMG_VOLUME_NAME "Reelgate Studio")
set(CPACK_DMG_FORMAT "UDZO")
if(TARGET reelgate-studio)
  set_target_properties(reelgate-studio PROPERTIES
    MACOSX_BUNDLE ON
    MACOSX_BUNDLE_BUNDLE_NAME "Reelgate Studio"
    MACOSX_BUNDLE_GUI_IDENTIFIER "example.reelgate.studio"
    MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
    MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}")
endif()
find_program(MACDEPLOYQT macdeployqt HINTS "${Qt6_DIR}/../../../bin")
if(MACDEPLOYQT)
  # Copies Qt frameworks and the FFmpeg dylibs the studio links into the bundle.
  install(CODE "execute_process(COMMAND \"${MACDEPLOYQT}\"
    \"\${CMAKE_INSTALL_PREFIX}/reelgate-studio.app\" -always-overwrite)" COMPONENT studio)
endif()
