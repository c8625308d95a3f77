# CPack: a Debian package of what `cmake --install` installs (the binary, its man page), under /usr.
#   cpack --config <build>/CPackConfig.cmake      ->  gdpr-purge_<version>-1_<arch>.deb
# The runtime dependencies are declared by hand (checked with ldd and dpkg-shlibdeps on Debian 12):
# the shared libraries the binary is linked against and the packages that hold them.
set(GP_DEB_MAINTAINER "gdpr-purge maintainers <gdpr-purge@example.org>"
    CACHE STRING "The Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gdpr-purge)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${GP_DEB_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "delete Freshdesk contacts and tickets by retention rules (GDPR)")
# Wrapped at 80 columns: each line becomes a line of the package's long description.
set(CPACK_PACKAGE_DESCRIPTION
    "gdpr-purge applies a retention rules file to a Freshdesk account: 'plan' reads
the account and writes what would be deleted, for review, without deleting
anything; 'apply' executes a plan contact by contact, journaling every step so
that an interrupted run resumes; 'undo-soft' restores what a journal records as
soft-deleted. Made for cron: safety guards, a lock per account, JSON reports
and Prometheus metrics.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# The build is RelWithDebInfo: the package gets the binary without its debug information.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_NAME gdpr-purge)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${GP_DEB_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Boost is linked dynamically: its runtime packages are named after the exact Boost version.
set(gp_boost_version ${Boost_VERSION_MAJOR}.${Boost_VERSION_MINOR}.${Boost_VERSION_PATCH})
set(gp_deb_depends
    "libc6 (>= 2.34)"
    "libgcc-s1 (>= 3.0)"
    "libstdc++6 (>= 12)"
    "libssl3 (>= 3.0.0)"
    "libboost-json${gp_boost_version} (>= ${gp_boost_version})"
    "libboost-program-options${gp_boost_version} (>= ${gp_boost_version})"
    "libboost-url${gp_boost_version} (>= ${gp_boost_version})")
if(GP_SANITIZE AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # A sanitized build (CI) links GCC's sanitizer runtimes and, as ldd shows, Boost.Container
  # (the plain build does not); such a package is for tests only.
  list(APPEND gp_deb_depends libasan8 libubsan1
       "libboost-container${gp_boost_version} (>= ${gp_boost_version})")
endif()
list(JOIN gp_deb_depends ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
unset(gp_boost_version)
unset(gp_deb_depends)

include(CPack)
