#!/usr/bin/env bash
# The build fails loudly: a module's or a test's source that does not exist stops the configure
# step, naming the file (cmake/Sources.cmake), instead of leaving the module or test out.
#   test_configure.sh SOURCE_DIR CMAKE
# Configures copies of the source tree: intact (it must configure), without a library source, and
# without a test source (both must fail with the target and the file named).
set -euo pipefail
src=$1
cmake=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

copy() {
  mkdir -p "$tmp/$1"
  tar -C "$src" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$tmp/$1" -xf -
}

# configure NAME: 0 when the configure step succeeds; its output in $tmp/NAME.log.
configure() {
  "$cmake" -S "$tmp/$1" -B "$tmp/$1-build" -DBUILD_TESTING=ON >"$tmp/$1.log" 2>&1
}

fail=0
expect_missing() {  # NAME TARGET FILE
  if configure "$1"; then
    echo "FAIL: configured without $3" >&2
    fail=1
  elif ! grep -q "$2: source file missing" "$tmp/$1.log" || ! grep -q "$3" "$tmp/$1.log"; then
    echo "FAIL: the configure step failed without naming $2 and $3:" >&2
    cat "$tmp/$1.log" >&2
    fail=1
  fi
}

copy intact
if ! configure intact; then
  echo "FAIL: the intact tree does not configure:" >&2
  cat "$tmp/intact.log" >&2
  exit 1
fi

copy no-lib-source
rm "$tmp/no-lib-source/lib/reader/reader_views.cpp"
expect_missing no-lib-source gp_reader lib/reader/reader_views.cpp

copy no-test-source
rm "$tmp/no-test-source/tests/lib/test_time.cpp"
expect_missing no-test-source test_time tests/lib/test_time.cpp

exit "$fail"
