#!/usr/bin/env bash
# Build layouts/icc/FOGRA39.icc, a CMYK output profile for ISO 12647-2:2004 coated offset (FOGRA39,
# the condition of "ISO Coated v2"), from the free FOGRA39L characterisation data that Debian ships in
# icc-profiles-free, with ArgyllCMS colprof. Also writes FOGRA39.txt (provenance).
#
#   scripts/build-fogra39-profile.sh [OUTDIR]   build into OUTDIR (default layouts/icc)
#   scripts/build-fogra39-profile.sh --check    rebuild in a scratch folder and compare with layouts/icc
#
# Needs: argyll, icc-profiles-free (apt-get install argyll icc-profiles-free), python3, sha256sum.
# No network. The result is byte-reproducible for the same data and the same colprof version: colprof
# stamps the current time into the ICC header, so the header date is replaced by profile_date below.
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$0")/.." && pwd)

# Inputs, pinned. A different data file or colprof version gives a different profile.
data=/usr/share/color/icc/FOGRA39L.ti3
data_sha256=e44e6dfa81633588db98b5613a821d4a936d3d9438d2eb983083c3232df393fa
gamut_source=/usr/share/color/icc/sRGB.icc
gamut_source_sha256=2a92d4bae450b76d8b0aa42193df974d75f62738ecebf74f01c5e75b12a95796
argyll_pinned=2.3.1
profile_date="2026-11-28 00:00:00" # ICC header creation date (UTC), fixed for reproducibility

description="FOGRA39 (ISO 12647-2:2004 coated) - built by brochure-press from FOGRA39L data"
copyright="No copyright claimed by brochure-press. Measurement data FOGRA39L (Fogra, www.fogra.org) from Debian icc-profiles-free, zlib licence; see FOGRA39-LICENSE.txt"

# colprof options (run in the scratch folder, input FOGRA39L.ti3, output FOGRA39.icc):
#   -qm             medium quality A2B/B2A tables (33-point grids, about 230 kB in all)
#   -k p 0 .1 1 1 1 black generation: no K in the lightest 10 % (clean highlights), then a straight
#                   ramp to full K at black (a GCR-style separation suited to offset)
#   -l 330          total area coverage limit 330 %, the FOGRA39 TAC
#   -S sRGB.icc     gamut-mapped perceptual and saturation B2A tables for sRGB sources (the relative
#                   colorimetric table is unchanged); -c mt -d pp: source viewed on a monitor,
#                   result as a practical reflection print (ISO 3664 P2)
#   -nc             do not embed the 1617 measurements in the profile (keeps it small)
colprof_args=(-qm -k p 0 0.1 1 1 1 -l 330 -S "$gamut_source" -c mt -d pp -nc
  -D "$description" -C "$copyright" -O FOGRA39.icc FOGRA39L)

die() {
  echo "build-fogra39-profile: $*" >&2
  exit 1
}

check=false
out_dir=$root/layouts/icc
case "${1-}" in
  --check) check=true ;;
  -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//' && exit 0 ;;
  "") ;;
  -*) die "unknown option $1 (see --help)" ;;
  *) out_dir=$1 ;;
esac

command -v colprof >/dev/null || die "ArgyllCMS colprof not found; install it: apt-get install argyll"
command -v python3 >/dev/null || die "python3 not found"
command -v sha256sum >/dev/null || die "sha256sum not found (coreutils)"
[ -r "$data" ] || die "FOGRA39L data $data not found; install it: apt-get install icc-profiles-free"
[ -r "$gamut_source" ] || die "$gamut_source not found; install it: apt-get install icc-profiles-free"
sha() { sha256sum "$1" | cut -d' ' -f1; }
[ "$(sha "$data")" = "$data_sha256" ] || die "$data is not the pinned FOGRA39L data (sha256 $(sha "$data"))"
[ "$(sha "$gamut_source")" = "$gamut_source_sha256" ] || die "$gamut_source is not the pinned sRGB profile"

# "Create ICC profile, Version 2.3.1" on the first line of colprof's usage message.
argyll_version=$(colprof 2>&1 | sed -n '1s/.*Version \([0-9][0-9.]*\).*/\1/p' || true)
[ -n "$argyll_version" ] || die "cannot tell the colprof version"
if [ "$argyll_version" != "$argyll_pinned" ]; then
  echo "build-fogra39-profile: warning: colprof $argyll_version, not $argyll_pinned; the bytes will differ from the committed profile" >&2
fi
package_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo "unknown (not a dpkg system)"; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$data" "$work/FOGRA39L.ti3"
echo "Building FOGRA39.icc with colprof $argyll_version (about a minute)..." >&2
(cd "$work" && colprof "${colprof_args[@]}" >colprof.log 2>&1) || {
  cat "$work/colprof.log" >&2
  die "colprof failed"
}
[ -s "$work/FOGRA39.icc" ] || die "colprof wrote no profile"

# Fix the header date; profile ID per ICC.1:2010 7.2.18 (MD5 over the profile with flags, rendering
# intent and ID zeroed). The ID field exists from ICC v4; in the v2 profiles colprof writes, bytes
# 84-99 are reserved and must stay zero, so there the MD5 is only reported.
profile_md5=$(python3 - "$work/FOGRA39.icc" "$profile_date" <<'EOF'
import hashlib
import struct
import sys
from datetime import datetime

path, date = sys.argv[1], datetime.strptime(sys.argv[2], "%Y-%m-%d %H:%M:%S")
icc = bytearray(open(path, "rb").read())
if len(icc) < 128 or icc[36:40] != b"acsp" or struct.unpack(">I", icc[:4])[0] != len(icc):
    sys.exit(f"{path}: not an ICC profile, or its size field is wrong")
icc[24:36] = struct.pack(">6H", date.year, date.month, date.day, date.hour, date.minute, date.second)
blank = bytearray(icc)
blank[44:48] = blank[64:68] = b"\0" * 4
blank[84:100] = b"\0" * 16
digest = hashlib.md5(blank).digest()
if icc[8] >= 4:
    icc[84:100] = digest
elif any(icc[84:100]):
    sys.exit(f"{path}: version {icc[8]} profile with non-zero reserved bytes 84-99")
open(path, "wb").write(icc)
print(digest.hex())
EOF
)

icc=$work/FOGRA39.icc
size=$(wc -c <"$icc")
version=$(python3 -c 'import sys; b = open(sys.argv[1], "rb").read(); print(f"{b[8]}.{b[9] >> 4}.{b[9] & 15}")' "$icc")
if [ "${version%%.*}" -ge 4 ]; then id_note="profile ID (header bytes 84-99): $profile_md5"
else id_note="profile ID: none (ICC v$version; bytes 84-99 are reserved and zero). ICC.1:2010 7.2.18 MD5 of the profile: $profile_md5"; fi

# The command line as run, quoted so it can be pasted into a shell.
command_line=colprof
for arg in "${colprof_args[@]}"; do
  if [[ $arg =~ ^[A-Za-z0-9_./:=+-]+$ ]]; then command_line+=" $arg"
  elif [[ $arg != *"'"* ]]; then command_line+=" '$arg'"
  else die "no single quotes in colprof arguments, please"; fi
done

cat >"$work/FOGRA39.txt" <<EOF
FOGRA39.icc - CMYK output profile for ISO 12647-2:2004 coated offset (FOGRA39)

Built by scripts/build-fogra39-profile.sh; do not edit by hand, rerun the script.

Result
  file:           FOGRA39.icc, $size bytes, ICC version $version, class Output (prtr), CMYK -> Lab PCS
  sha256:         $(sha "$icc")
  $id_note
  description:    $description
  copyright tag:  $copyright
  header date:    $profile_date UTC (fixed by the script; colprof writes the build time)

Source data
  file:           $data
  sha256:         $data_sha256
  package:        Debian icc-profiles-free $(package_version icc-profiles-free)
  content:        FOGRA39L, originator "Fogra, www.fogra.org", created December 2006, 1617 patches (IT8.7/4),
                  CMYK -> XYZ/Lab, D50 2 degree 45/0, no polarisation filter, white backing (ISO 13655);
                  offset printing to ISO 12647-2:2004/Amd 1, paper type 1 or 2 (coated art, 115 g/m2),
                  tone value increase curves A (CMY) and B (K)
  gamut source:   $gamut_source (sRGB, same package), sha256 $gamut_source_sha256,
                  used only for the perceptual and saturation tables

Tool
  ArgyllCMS colprof $argyll_version (Debian argyll $(package_version argyll))
  run in a scratch folder holding FOGRA39L.ti3 (a copy of the data file):
  $command_line

PDF/X output intent
  OutputConditionIdentifier: FOGRA39
  RegistryName:              http://www.color.org
  OutputCondition (info):    Coated FOGRA39 (ISO 12647-2:2004)
  DestOutputProfile:         this file

Licence
  Debian's copyright file for icc-profiles-free lists the FOGRA*.ti3 files as
  Copyright Kai-Uwe Behrmann <www.behrmann.name>, licence Zlib; the text is in FOGRA39-LICENSE.txt.
  The measurements themselves originate from Fogra (ORIGINATOR field of the data file).
  This profile is a derived work of that data (zlib condition 2: it is marked as built by
  brochure-press, not as the original data or as Fogra's or ECI's ISO Coated v2 profile).
EOF

if $check; then
  status=0
  for file in FOGRA39.icc FOGRA39.txt; do
    if cmp -s "$work/$file" "$out_dir/$file"; then
      echo "$file: identical to $out_dir/$file"
    else
      echo "$file: differs from $out_dir/$file" >&2
      status=1
    fi
  done
  exit "$status"
fi

mkdir -p "$out_dir"
cp "$work/FOGRA39.icc" "$work/FOGRA39.txt" "$out_dir/"
echo "$out_dir/FOGRA39.icc: $size bytes, sha256 $(sha "$out_dir/FOGRA39.icc")"
