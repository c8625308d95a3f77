#!/usr/bin/env bash
# Installation tests (see CMakeLists.txt here), run by ctest:
#   test_install.sh prefix|deb|manpage --build-dir DIR --version X.Y.Z --cmake CMAKE --cpack CPACK
#                   --binary BUILT_BINARY --man-page BUILT_MAN_PAGE.gz
# Exit 0: passed, 1: failed (the reason on standard error), 77: skipped (a tool is missing).
# Everything is written under one temporary directory, removed at exit; the one file of the build
# directory that cmake --install and cpack rewrite, install_manifest.txt, is put back as it was.
set -euo pipefail

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
note() { echo "note: $*"; }

part=${1:-}
shift || true
build_dir='' version='' cmake_cmd='' cpack_cmd='' binary='' man_page=''
while [ $# -gt 0 ]; do
    [ $# -ge 2 ] || fail "option $1 needs a value"
    case $1 in
        --build-dir) build_dir=$2 ;;
        --version) version=$2 ;;
        --cmake) cmake_cmd=$2 ;;
        --cpack) cpack_cmd=$2 ;;
        --binary) binary=$2 ;;
        --man-page) man_page=$2 ;;
        *) fail "unknown option $1" ;;
    esac
    shift 2
done
for value in "$build_dir" "$version" "$cmake_cmd" "$cpack_cmd" "$binary" "$man_page"; do
    [ -n "$value" ] || fail "usage: $0 prefix|deb|manpage --build-dir DIR --version V --cmake C --cpack C --binary B --man-page M"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gdpr-purge-install-test.XXXXXX")
manifest=$build_dir/install_manifest.txt
manifest_saved=''
cleanup() {
    if [ -n "$manifest_saved" ]; then
        if [ -f "$tmp/install_manifest.txt.saved" ]; then
            cp -p "$tmp/install_manifest.txt.saved" "$manifest"
        else
            rm -f "$manifest"
        fi
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# Before anything that runs the build's install script: keep install_manifest.txt as it is, so
# that a real `cmake --install` done earlier keeps its list of installed files.
save_manifest() {
    manifest_saved=yes
    if [ -f "$manifest" ]; then
        cp -p "$manifest" "$tmp/install_manifest.txt.saved"
    fi
}

# Runs BINARY --version from the temporary directory with a minimal environment.
check_version() {
    local bin=$1 out
    [ -x "$bin" ] || fail "$bin is not an executable file"
    out=$(cd "$tmp" && env -i PATH=/usr/bin:/bin "$bin" --version) || fail "$bin --version failed"
    [ "$out" = "gdpr-purge $version" ] || fail "$bin --version printed '$out', expected 'gdpr-purge $version'"
    echo "ok: $bin --version: $out"
}

# Checks that a gzipped man page is the configured gdpr-purge(1) of this version.
check_man_gz() {
    local gz=$1
    [ -f "$gz" ] || fail "no man page $gz"
    gzip -t "$gz" || fail "$gz is not a valid gzip file"
    gzip -dc "$gz" | grep -q '^\.TH GDPR\\-PURGE 1 ' || fail "$gz has no .TH GDPR\\-PURGE 1 line"
    gzip -dc "$gz" | grep -qF "gdpr\\-purge $version" || fail "$gz does not name version $version"
    echo "ok: man page $gz"
}

test_prefix() {
    save_manifest
    local root=$tmp/usr
    env -u DESTDIR "$cmake_cmd" --install "$build_dir" --prefix "$root" >"$tmp/install.log" 2>&1 ||
        { cat "$tmp/install.log" >&2; fail "cmake --install $build_dir --prefix $root failed"; }
    check_version "$root/bin/gdpr-purge"
    check_man_gz "$root/share/man/man1/gdpr-purge.1.gz"
    # Nothing else: no library, header or test of the project gets installed.
    local files
    files=$(cd "$root" && find . ! -type d | sort)
    [ "$files" = "$(printf './bin/gdpr-purge\n./share/man/man1/gdpr-purge.1.gz')" ] ||
        fail "installed files differ from bin/gdpr-purge and share/man/man1/gdpr-purge.1.gz: $files"
    echo "ok: installed exactly bin/gdpr-purge and share/man/man1/gdpr-purge.1.gz"
}

# The Debian package that holds FILE (as ldd prints it), or nothing; /lib is /usr/lib on Debian 12
# and dpkg knows each file under one of the two.
package_of() {
    local path=$1 candidate
    for candidate in "$path" "/usr$path" "${path#/usr}" "$(readlink -f "$path")"; do
        if dpkg-query -S "$candidate" >/dev/null 2>&1; then
            dpkg-query -S "$candidate" 2>/dev/null | head -n 1 | cut -d: -f1
            return 0
        fi
    done
}

test_deb() {
    command -v dpkg-deb >/dev/null || skip "dpkg-deb is not installed"
    save_manifest
    "$cpack_cmd" -G DEB --config "$build_dir/CPackConfig.cmake" -B "$tmp/package" \
        >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log" >&2; fail "cpack -G DEB failed"; }
    local debs=("$tmp"/package/*.deb)
    if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
        fail "cpack made ${#debs[@]} .deb files, expected one: ${debs[*]}"
    fi
    local deb=${debs[0]}
    echo "ok: cpack made $(basename "$deb")"

    local info
    info=$(dpkg-deb -I "$deb") || fail "dpkg-deb -I $deb failed"
    field() { sed -n "s/^ $1: //p" <<<"$info"; }
    [ "$(field Package)" = gdpr-purge ] || fail "Package is '$(field Package)', expected gdpr-purge"
    [[ "$(field Version)" == "$version" || "$(field Version)" == "$version"-* ]] ||
        fail "Version is '$(field Version)', expected $version or $version-<release>"
    [ "$(field Section)" = admin ] || fail "Section is '$(field Section)', expected admin"
    [ -n "$(field Maintainer)" ] || fail "no Maintainer"
    [ -n "$(field Description)" ] || fail "no Description"
    local depends
    depends=$(field Depends)
    [ -n "$depends" ] || fail "no Depends"
    echo "ok: Package: gdpr-purge, Version: $(field Version), Depends: $depends"

    local listing
    listing=$(dpkg-deb -c "$deb") || fail "dpkg-deb -c $deb failed"
    grep -qE '^-rwxr-xr-x root/root .* \./usr/bin/gdpr-purge$' <<<"$listing" ||
        fail "the package has no ./usr/bin/gdpr-purge, mode 755, owned by root: $listing"
    grep -qE '^-rw-r--r-- root/root .* \./usr/share/man/man1/gdpr-purge\.1\.gz$' <<<"$listing" ||
        fail "the package has no ./usr/share/man/man1/gdpr-purge.1.gz, mode 644, owned by root: $listing"

    local root=$tmp/root
    dpkg-deb -x "$deb" "$root" || fail "dpkg-deb -x $deb failed"
    check_version "$root/usr/bin/gdpr-purge"
    check_man_gz "$root/usr/share/man/man1/gdpr-purge.1.gz"

    # Depends names the package of every shared library the binary loads (libc6 for libm, ...).
    if ! command -v dpkg-query >/dev/null || ! command -v ldd >/dev/null; then
        note "dpkg-query or ldd missing: Depends not compared with the libraries loaded"
        return 0
    fi
    local names lib path package
    names=" $(sed -E 's/ \([^)]*\)//g; s/,/ /g' <<<"$depends") "
    while read -r lib path; do
        package=$(package_of "$path")
        [ -n "$package" ] || fail "no installed package holds $path ($lib)"
        [[ "$names" == *" $package "* ]] || fail "Depends ($depends) lacks $package, which holds $lib"
        echo "ok: $lib is in $package, a dependency"
    done < <(ldd "$root/usr/bin/gdpr-purge" | sed -n 's/^[[:space:]]*\([^ ]*\) => \(\/[^ ]*\) .*/\1 \2/p')
}

# The lines of the section (.SH) or subsection (.SS) HEADING of the normalised man page, up to
# the next heading.
man_section() {
    awk -v want="$1" '
        /^\.S[HS] / { heading = substr($0, 5); gsub(/"/, "", heading); inside = (heading == want); next }
        inside { print }' "$tmp/man.txt"
}

# The items of SECTION: the line after each .TP, with .B/.BR/.I and their quotes removed.
man_items() {
    man_section "$1" | awk '
        taken { gsub(/^\.[BIR]+ /, ""); gsub(/"/, ""); print; taken = 0; next }
        /^\.TP/ { taken = 1 }'
}

# Whether WORD (an option such as --max-deletions, or -h) is among the ITEMS (stdin).
has_option() {
    grep -qE -- "(^|[^a-z0-9-])$1([^a-z0-9-]|\$)"
}

# The options listed in the groups of a --help text whose heading matches REGEX, as "--name" and
# "-x": the lines "  --name ARG  text" and "  -x [ --name ] ARG  text".
help_options() {
    awk -v group="$1" '
        /^[^ ].*:$/ { inside = ($0 ~ group); next }
        /^[^ ]/ { inside = 0; next }
        inside && /^  -/ {
            if (match($0, /^  -[A-Za-z] \[ --[a-z0-9-]+ \]/)) {
                print substr($0, 3, 2)
                s = substr($0, RSTART, RLENGTH); sub(/^.*\[ /, "", s); sub(/ \]$/, "", s); print s
            } else if (match($0, /^  --[a-z0-9-]+/)) {
                print substr($0, 3, RLENGTH - 2)
            }
        }'
}

# The exit codes of the EXIT STATUS part of a --help text.
help_exit_codes() {
    awk '/^EXIT STATUS$/ { inside = 1; next } /^[^ ]/ { inside = 0 }
         inside && /^  [0-9]+  / { print $1 }'
}

test_manpage() {
    check_man_gz "$man_page"
    # Normalised for matching: \- is -, no font changes, no quotes in headings.
    gzip -dc "$man_page" | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' >"$tmp/man.txt"

    local help
    help=$("$binary" --help) || fail "$binary --help failed"
    local commands
    commands=$(awk '/^commands:$/ { inside = 1; next } /^[^ ]/ || /^$/ { inside = 0 }
                    inside && /^  [a-z]/ { print $1 }' <<<"$help")
    [ "$(wc -w <<<"$commands")" -ge 4 ] || fail "fewer than 4 commands in '$binary --help': $commands"

    local option count
    for option in $(help_options '^options:$' <<<"$help"); do
        man_items "GLOBAL OPTIONS" | has_option "$option" || fail "GLOBAL OPTIONS lacks $option"
    done

    local command command_help codes=" "
    for command in $commands help; do
        grep -qx "\.SS $command" "$tmp/man.txt" || fail "no '.SS $command' section in the man page"
        [ "$command" = help ] && continue
        command_help=$("$binary" "$command" --help) || fail "$binary $command --help failed"
        count=0
        for option in $(help_options '^options:$' <<<"$command_help"); do
            man_items "$command" | has_option "$option" ||
                fail "the $command section of the man page lacks $option"
            count=$((count + 1))
        done
        [ "$count" -ge 2 ] || fail "only $count options found in '$binary $command --help'"
        for option in $(help_options '^connection' <<<"$command_help"); do
            man_items "CONNECTION OPTIONS" | has_option "$option" ||
                fail "CONNECTION OPTIONS lacks $option (of $command)"
            count=$((count + 1))
        done
        codes+="$(help_exit_codes <<<"$command_help" | tr '\n' ' ')"
        echo "ok: $command: a section, its $count options"
    done

    codes+="$(help_exit_codes <<<"$help" | tr '\n' ' ') 0 1 2 3 4 5 6"
    codes=$(tr -s ' ' '\n' <<<"$codes" | grep -x '[0-9][0-9]*' | sort -nu | tr '\n' ' ')
    local items code
    items=$(man_items "EXIT STATUS")
    for code in $codes; do
        grep -qx "$code" <<<"$items" || fail "EXIT STATUS of the man page lacks code $code"
    done
    echo "ok: EXIT STATUS lists the codes $codes"

    for section in NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
        grep -qx "\.SH \"\{0,1\}$section\"\{0,1\}" "$tmp/man.txt" || fail "no .SH $section"
    done
    for variable in FRESHDESK_DOMAIN FRESHDESK_API_KEY TMPDIR; do
        man_items ENVIRONMENT | grep -qx "$variable" || fail "ENVIRONMENT lacks $variable"
    done
    echo "ok: NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES EXAMPLES SEE ALSO"

    if command -v groff >/dev/null; then
        gzip -dc "$man_page" >"$tmp/gdpr-purge.1"
        local warnings
        warnings=$(groff -man -Tutf8 -ww -z "$tmp/gdpr-purge.1" 2>&1) ||
            fail "groff failed: $warnings"
        [ -z "$warnings" ] || fail "groff -man -ww warns: $warnings"
        echo "ok: groff -man -Tutf8 -ww: no warning"
    else
        note "groff is not installed: the roff itself is not checked"
    fi
}

case $part in
    prefix) test_prefix ;;
    deb) test_deb ;;
    manpage) test_manpage ;;
    *) fail "unknown part '$part': prefix, deb or manpage" ;;
esac
echo "PASS: install.$part"
