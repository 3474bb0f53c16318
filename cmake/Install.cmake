# Installs the programs, their desktop entry, icons and documents in their FHS places under
# CMAKE_INSTALL_PREFIX, and describes the Debian package CPack builds (`cpack -G DEB`).

include(GNUInstallDirs)
# Debian's place for a package's documents is named after the package, not the CMake project.
set(stdp_docdir ${CMAKE_INSTALL_DATADIR}/doc/stdp-studio)

install(TARGETS stdp-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT programs)
# The plugins where the programs look for them (foundation/Plugin.h).
install(TARGETS stdp_imgcodecs stdp_nir_hdf5 LIBRARY DESTINATION ${STDP_PLUGIN_INSTALL_DIR}
        COMPONENT programs)
# stdp-cli's bash completion (found by bash-completion on demand) and man page.
install(FILES ${PROJECT_SOURCE_DIR}/app/cli/share/stdp-cli.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME stdp-cli
        COMPONENT programs)
install(FILES ${PROJECT_SOURCE_DIR}/app/cli/share/stdp-cli.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT programs)
if(STDP_BUILD_STUDIO)
  install(TARGETS stdp-studio RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
          BUNDLE DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT programs)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/desktop/stdp-studio.desktop
          DESTINATION ${CMAKE_INSTALL_DATADIR}/applications COMPONENT programs)
  install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/stdp-studio.svg
          DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps COMPONENT programs)
  foreach(size 16 32 48 64 128 256)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/icons/stdp-studio-${size}.png
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps
            RENAME stdp-studio.png COMPONENT programs)
  endforeach()
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/LICENSE
              ${PROJECT_SOURCE_DIR}/CREDITS.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
              ${PROJECT_SOURCE_DIR}/CITATION.cff ${PROJECT_SOURCE_DIR}/ARCHITECTURE.md
        DESTINATION ${stdp_docdir} COMPONENT programs)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${stdp_docdir} RENAME copyright
        COMPONENT programs)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${stdp_docdir}/docs COMPONENT programs)

# The Debian package: dependencies from the installed programs' shared libraries
# (dpkg-shlibdeps), so they are exactly what the binaries link.
set(CPACK_PACKAGE_NAME stdp-studio)
set(CPACK_PACKAGE_VENDOR "The STDP Studio authors")
set(CPACK_PACKAGE_CONTACT "The STDP Studio authors <stdp-studio@invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "watch a spiking neural network learn visual features with event-based STDP")
set(CPACK_PACKAGE_DESCRIPTION
    "STDP Studio trains one layer of spiking neurons on image patches with the event-based STDP rule of Tavanaei, Masquelier and Maida (2018) and shows it learn: receptive fields, spikes, thresholds and reconstructions, live, while the user changes how it learns. stdp-cli trains, evaluates and exports from the command line.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The Python module links no libpython (the interpreter provides it): name what it needs.
if(STDP_BUILD_PYTHON)
  set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "python3 (>= 3.11), python3-numpy")
endif()
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_STRIP_FILES ON)
include(CPack)
