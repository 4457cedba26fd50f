# macOS disk image (DMG) with the Reelgate Studio app bundle, included by
# installers/CMakeLists.txt on Apple builds. It cannot be built on the Linux build machines;
# see installers/README.md.
#   cmake --preset default -DREELGATE_BUILD_SERVER=OFF -DREELGATE_BUILD_TESTS=OFF
#   cmake --build --preset default
#   cpack -G DragNDrop --config build/CPackConfig.cmake -B build/packages
# The image holds reelgate-studio.app ("Reelgate Studio") and a link to /Applications to drag it onto.
set(CPACK_GENERATOR "DragNDrop")
set(CPACK_COMPONENTS_ALL studio)
set(CPACK_PACKAGE_FILE_NAME "reelgate-studio-${PROJECT_VERSION}-macos")
set(CPACK_DMG_VOLUME_NAME "Reelgate Studio")
set(CPACK_DMG_FORMAT "UDZO")

if(TARGET reelgate-studio)
  # The bundle must exist when the studio's install(TARGETS) rule is made, so studio/
  # sets MACOSX_BUNDLE and installs with "BUNDLE DESTINATION ."; say so if it does not.
  get_target_property(is_bundle reelgate-studio MACOSX_BUNDLE)
  if(NOT is_bundle)
    message(WARNING "reelgate-studio is not a MACOSX_BUNDLE target, so there is no app bundle "
      "for the DMG: studio/CMakeLists.txt needs set_target_properties(reelgate-studio PROPERTIES "
      "MACOSX_BUNDLE ON) and \"BUNDLE DESTINATION .\" in its install(TARGETS)")
    return()
  endif()
  set_target_properties(reelgate-studio PROPERTIES
    MACOSX_BUNDLE_BUNDLE_NAME "Reelgate Studio"
    MACOSX_BUNDLE_GUI_IDENTIFIER "example.reelgate.studio"
    MACOSX_BUNDLE_BUNDLE_VERSION "${PROJECT_VERSION}"
    MACOSX_BUNDLE_SHORT_VERSION_STRING "${PROJECT_VERSION}"
    MACOSX_BUNDLE_COPYRIGHT "Copyright (c) Reelgate. All rights reserved.")

  # Qt's own deployment tool copies the Qt frameworks and plugins into the bundle, and every
  # non-system dylib the studio links (FFmpeg's libav*, qtkeychain), rewriting their paths.
  find_program(REELGATE_MACDEPLOYQT macdeployqt HINTS "${Qt6_DIR}/../../../bin" REQUIRED)
  install(CODE "
    execute_process(COMMAND \"${REELGATE_MACDEPLOYQT}\"
        \"\${CMAKE_INSTALL_PREFIX}/$<TARGET_BUNDLE_DIR_NAME:reelgate-studio>\" -always-overwrite
      COMMAND_ERROR_IS_FATAL ANY)" COMPONENT studio)
endif()
