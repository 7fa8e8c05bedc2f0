# Third-party libraries from Debian packages (scripts/setup.sh installs
# them). Each becomes an imported target that modules link PRIVATE.

find_package(PkgConfig REQUIRED)
pkg_check_modules(sodium REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
find_package(Protobuf 3.21 REQUIRED)
# SQLCipher is not Debian's (3.4.1 on SQLite 3.15.2): it is compiled from the
# amalgamation in third_party/sqlcipher (target candor::sqlcipher).
