#!/usr/bin/env bash
# `make package` (issue 11): the frozen station as a .deb and a tarball in dist/.
#
#   packaging/build_package.sh BASE_PYTHON
#
# BASE_PYTHON is the interpreter the developers' .venv was made from. The program is frozen from a
# venv of its own (build/package-venv) holding only requirements-runtime.lock and the build tools,
# so nothing of the test and lint tools can ride along.
#
# A build is keyed by the content of everything that goes into it: the tracked and new files of
# station/, ui/, resources/, packaging/, pyproject.toml, the runtime lock, the README (in the .deb)
# and the interpreter's version (models and .qm files follow from tracked files). A key already in
# the cache is copied to dist/ instead of built again, so CI on an unchanged tree does not rebuild.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

base_python=${1:?usage: packaging/build_package.sh BASE_PYTHON}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
deb_arch=$(dpkg --print-architecture)
deb=dist/face-station_${version}_${deb_arch}.deb
tarball=dist/face-station-${version}-linux-$(uname -m).tar.gz
cache_root=${FACE_STATION_PACKAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/face-station/packages}

key=$(
  {
    "$base_python" -VV
    git ls-files -z --cached --others --exclude-standard -- \
        station ui resources packaging pyproject.toml requirements-runtime.lock README.md \
      | sort -z | xargs -0 sha256sum
  } | sha256sum | cut -c1-20
)
cached=$cache_root/$key
mkdir -p dist
if [ -f "$cached/complete" ]; then
  cp "$cached/$(basename "$deb")" "$cached/$(basename "$tarball")" dist/
  echo "package: unchanged tree (build $key): reused $deb and $tarball from $cache_root"
  exit 0
fi

started=$(date +%s)
venv=build/package-venv
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
if [ ! -x "$venv/bin/python" ]; then
  "$base_python" -m venv "$venv"
fi
"${pip[@]}" install -r requirements-runtime.lock -r packaging/requirements-build.txt
# The project itself, not editable, so its version metadata is there for --version and self-check.
"${pip[@]}" install --no-deps --force-reinstall .
"$venv/bin/python" -m pip --disable-pip-version-check check  # not -q: it says what is wrong

work=build/package
rm -rf "$work"
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$work/dist" --workpath "$work/pyinstaller" packaging/face_station.spec
app=$work/dist/face-station
"$venv/bin/python" packaging/write_manifest.py "$app"

# The .deb: the program in /opt/face-station, `face-station` on the PATH, a menu entry and icon.
# Data is never under /opt: each user's store and key file live in ~/.local/share/face-station.
root=$work/deb
mkdir -p "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
         "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/icons/hicolor/256x256/apps" \
         "$root/usr/share/doc/face-station" "$root/DEBIAN"
cp -a "$app" "$root/opt/face-station"
ln -s /opt/face-station/face-station "$root/usr/bin/face-station"
install -m 644 packaging/linux/face-station.desktop "$root/usr/share/applications/"
install -m 644 packaging/icons/face-station.svg "$root/usr/share/icons/hicolor/scalable/apps/"
"$venv/bin/python" packaging/render_icon.py packaging/icons/face-station.svg 256 \
    "$root/usr/share/icons/hicolor/256x256/apps/face-station.png"
install -m 644 README.md "$root/usr/share/doc/face-station/README.md"
installed_kib=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$deb_arch/" -e "s/@INSTALLED_KIB@/$installed_kib/" \
    packaging/linux/control.in > "$root/DEBIAN/control"
install -m 755 packaging/linux/postinst packaging/linux/postrm "$root/DEBIAN/"
# The .deb in xz (154 MB, 3.4 min on 2 cores), the tarball in gzip (210 MB, 30 s): the tarball is
# for machines without dpkg, where anything unpacks .tar.gz; both stay under the 250 MB budget.
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
tar -C "$work/dist" -czf "$tarball" face-station

mkdir -p "$cached"
cp "$deb" "$tarball" "$cached/"
touch "$cached/complete"
# Keep the three newest builds: each is ~400 MB.
ls -1dt "$cache_root"/*/ 2>/dev/null | tail -n +4 | xargs -r rm -rf
echo "package: built $deb and $tarball in $(( $(date +%s) - started )) s (build $key)"
du -sh "$app" "$deb" "$tarball"
