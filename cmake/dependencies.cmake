# Every third-party dependency comes from a Debian 12 package that
# scripts/bootstrap installs; nothing is downloaded at configure time.
find_package(PkgConfig REQUIRED)
find_package(PostgreSQL REQUIRED)          # libpq-dev
find_package(CURL REQUIRED)                # libcurl4-openssl-dev
find_package(OpenSSL REQUIRED)             # libssl-dev
find_package(fmt REQUIRED)                 # libfmt-dev
find_package(nlohmann_json REQUIRED)       # nlohmann-json3-dev
find_package(CLI11 REQUIRED)               # libcli11-dev
find_package(Threads REQUIRED)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
