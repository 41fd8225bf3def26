#!/usr/bin/env bash
# Builds the libFuzzer targets into .build/fuzz/: swiftc -sanitize=fuzzer,address straight over the
# parsers' own source files (a separate small build, not part of `swift build`; SwiftPM with
# -sanitize=fuzzer would rebuild every dependency instrumented). Needs `swift package resolve` (for Yams).
#   Fuzz/build.sh [target...]     targets: control icecast schedule frontmatter daemonconfig apibodies
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$repo/.build/fuzz
mods=$out/modules
src=$repo/Sources
mkdir -p "$mods" "$out/obj"
yams=$repo/.build/checkouts/Yams/Sources
[[ -d $yams ]] || (cd "$repo" && swift package resolve >/dev/null)
SAN=(-sanitize=fuzzer,address -parse-as-library -O -g -suppress-warnings -D SWIFT_PACKAGE)

# The stub must match the real constants the config loader reads.
for name in opusDefaultBitrate mp3DefaultBitrate; do
    real=$(grep -m1 "static let $name " "$src/Streamer/Encoding/StreamEncoder.swift" | sed 's/^ *//')
    grep -qF "$real" "$repo/Fuzz/Targets/StreamEncodersStub.swift" \
        || { echo "Fuzz/Targets/StreamEncodersStub.swift: '$real' changed in StreamEncoder.swift; update the stub" >&2; exit 1; }
done

newer() { # output inputs... : true when output is missing or older than an input
    local output=$1; shift
    [[ ! -e $output ]] && return 0
    for f in "$@"; do [[ $f -nt $output ]] && return 0; done
    return 1
}

# Libraries: CYaml (C), Yams and StationKit as instrumented modules.
cyaml=()
for c in "$yams"/CYaml/src/*.c; do
    o=$out/obj/$(basename "$c" .c).o
    newer "$o" "$c" && clang -c -O1 -g -fsanitize=fuzzer-no-link,address -DYAML_DECLARE_STATIC \
        -I "$yams/CYaml/include" "$c" -o "$o"
    cyaml+=("$o")
done
library() { # name sources...
    local name=$1; shift
    if newer "$out/obj/$name.o" "$@"; then
        echo "fuzz: building $name" >&2
        swiftc "${SAN[@]}" -wmo -c -module-name "$name" -emit-module -emit-module-path "$mods/$name.swiftmodule" \
            -I "$mods" -I "$yams/CYaml/include" -Xcc -DYAML_DECLARE_STATIC "$@" -o "$out/obj/$name.o"
    fi
}
library Yams "$yams"/Yams/*.swift
library StationKit "$src"/StationKit/*.swift

target() { # name sources...
    local name=$1; shift
    local inputs=("$repo/Fuzz/Targets/$name.swift" "$@")
    if newer "$out/fuzz-$name" "${inputs[@]}" "$out/obj/Yams.o" "$out/obj/StationKit.o"; then
        echo "fuzz: building fuzz-$name" >&2
        swiftc "${SAN[@]}" -module-name "Fuzz${name^}" -I "$mods" -I "$yams/CYaml/include" -Xcc -DYAML_DECLARE_STATIC \
            "${inputs[@]}" "$out/obj/Yams.o" "$out/obj/StationKit.o" "${cyaml[@]}" -o "$out/fuzz-$name" 2>&1 \
            | grep -v "Cannot export local symbol" >&2 || true
        [[ -x $out/fuzz-$name ]] || { echo "fuzz: fuzz-$name did not build" >&2; exit 1; }
    fi
}
content=$src/SiteGenerator/Content
all=(control icecast schedule frontmatter daemonconfig apibodies)
for name in "${@:-${all[@]}}"; do
    case $name in
        control) target control ;;
        icecast) target icecast "$src/Streamer/Status/IcecastStats.swift" ;;
        schedule) target schedule "$content/ScheduleParser.swift" ;;
        frontmatter) target frontmatter "$content/FrontMatter.swift" "$content/SourceFile.swift" "$content/YAMLFields.swift" \
            "$content/FlatYAML.swift" "$src/SiteGenerator/Templates/Escaping.swift" ;;
        daemonconfig) target daemonconfig "$src/Streamer/Config/DaemonConfig+Loading.swift" \
            "$src/Streamer/Config/DaemonConfig+Programme.swift" "$src/Streamer/Config/DaemonConfig.swift" \
            "$src/Streamer/Engine/EngineSettings.swift" "$src/Streamer/Programme/ScheduleSettings.swift" \
            "$src/Streamer/Programme/ProgrammeItem.swift" "$repo/Fuzz/Targets/StreamEncodersStub.swift" ;;
        apibodies) target apibodies "$src/StationAPI/RequestBodies.swift" "$src/StationAPI/ChatRules.swift" \
            "$src/StationAPI/User.swift" "$repo/Fuzz/Targets/APIStub.swift" ;;
        *) echo "fuzz: no target '$name' (${all[*]})" >&2; exit 2 ;;
    esac
done
echo "$out"
