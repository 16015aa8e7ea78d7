# trivy-cdxgen 0.74.0-cdx (cdxgen's cut of Trivy: Go): `version`, then CycloneDX SBOMs of two
# unpacked root file systems, an Alpine one (its apk database: two packages, one depending on
# the other through a shared-library capability) and a Debian one (dpkg's status file), written
# to a file. Each BOM is checked whole (by digest) once lib/cdx-norm.py has taken out its serial
# number, timestamp and random UUID references, and listed component by component.
export TRIVY_NO_PROGRESS=true
# its scratch folders (trivy-NNN) in the task's own
mkdir "$tmp/t"
export TMPDIR="$tmp/t" TEMP="$wcwd\\..\\t" TMP="$wcwd\\..\\t"
run trivy version
expect_stdout 'Version: 0.74.0-cdx\n'
expect_exit 0
put rfs/etc/os-release 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n'
put rfs/etc/alpine-release '3.19.1\n'
put rfs/lib/apk/db/installed 'C:Q1n5Zq3YJ1lX5b7Fv0g2m2rX9l9mE=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nS:407278\nI:667648\nT:the musl c library (libc) implementation\nU:https://musl.libc.org/\nL:MIT\no:musl\nm:Natanael Copa <ncopa@alpinelinux.org>\nt:1705308467\nc:ca7f2ab5e88794e4e654b40776f8a92256f50639\np:so:libc.musl-x86_64.so.1=1\nF:lib\nR:ld-musl-x86_64.so.1\na:0:0:755\nZ:Q1rNPeCnQ1pB9iTs5Ty1mQhUFqM+U=\nR:libc.musl-x86_64.so.1\n\nC:Q1hmR3QZ9bxaO2rPq+3iDVxM5xwS0=\nP:zlib\nV:1.3.1-r0\nA:x86_64\nS:53718\nI:110592\nT:A compression/decompression Library\nU:https://zlib.net/\nL:Zlib\no:zlib\nm:Natanael Copa <ncopa@alpinelinux.org>\nt:1706089116\nc:3b2a2f9a22f1e2a1c43d6c5e5a4f1d7e0f5e3e1a\nD:so:libc.musl-x86_64.so.1\np:so:libz.so.1=1.3.1\nF:lib\nR:libz.so.1\na:0:0:755\nZ:Q1s9k8vDxM7L4Hq8W9Z7m3F2z9m8Y=\nR:libz.so.1.3.1\n\n'
run trivy rootfs --quiet --cache-dir cache --output alpine.cdx.json rfs
expect_stdout ''
expect_exit 0
python3 "$here/lib/cdx-norm.py" alpine.cdx.json alpine.norm.json > "$out"
expect_stdout 'library musl 1.2.4_git20230717-r4 pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1 MIT
library zlib 1.3.1-r0 pkg:apk/alpine/zlib@1.3.1-r0?arch=x86_64&distro=3.19.1 Zlib
operating-system alpine 3.19.1 - -
dependency pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1 -> -
dependency pkg:apk/alpine/zlib@1.3.1-r0?arch=x86_64&distro=3.19.1 -> pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=3.19.1
dependency uuid:alpine -> pkg:apk/alpine/zlib@1.3.1-r0?arch=x86_64&distro=3.19.1
dependency uuid:rfs -> uuid:alpine\n'
expect_sha256 alpine.norm.json d16dae8687a50259990cb920f81d590619369d6dfe4a20778f21aadd74771125
put deb/etc/os-release 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nID=debian\n'
put deb/etc/debian_version '12.5\n'
put deb/var/lib/dpkg/status 'Package: libc6\nStatus: install ok installed\nPriority: optional\nSection: libs\nInstalled-Size: 12985\nMaintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\nArchitecture: amd64\nMulti-Arch: same\nSource: glibc\nVersion: 2.36-9+deb12u4\nDepends: libgcc-s1\nDescription: GNU C Library: Shared libraries\n\nPackage: libgcc-s1\nStatus: install ok installed\nPriority: optional\nSection: libs\nInstalled-Size: 140\nMaintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>\nArchitecture: amd64\nMulti-Arch: same\nSource: gcc-12\nVersion: 12.2.0-14\nDepends: gcc-12-base (= 12.2.0-14), libc6 (>= 2.35)\nDescription: GCC support library\n\nPackage: zlib1g\nStatus: install ok installed\nPriority: optional\nSection: libs\nInstalled-Size: 168\nMaintainer: Mark Brown <broonie@debian.org>\nArchitecture: amd64\nMulti-Arch: same\nSource: zlib\nVersion: 1:1.2.13.dfsg-1\nDepends: libc6 (>= 2.14)\nDescription: compression library - runtime\n\n'
run trivy rootfs --quiet --cache-dir cache --output debian.cdx.json deb
expect_stdout ''
expect_exit 0
python3 "$here/lib/cdx-norm.py" debian.cdx.json debian.norm.json > "$out"
expect_stdout 'library libc6 2.36-9+deb12u4 pkg:deb/debian/libc6@2.36-9%%2Bdeb12u4?arch=amd64&distro=debian-12.5 -
library libgcc-s1 12.2.0-14 pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64&distro=debian-12.5 -
library zlib1g 1:1.2.13.dfsg-1 pkg:deb/debian/zlib1g@1.2.13.dfsg-1?arch=amd64&distro=debian-12.5&epoch=1 -
operating-system debian 12.5 - -
dependency pkg:deb/debian/libc6@2.36-9%%2Bdeb12u4?arch=amd64&distro=debian-12.5 -> pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64&distro=debian-12.5
dependency pkg:deb/debian/libgcc-s1@12.2.0-14?arch=amd64&distro=debian-12.5 -> pkg:deb/debian/libc6@2.36-9%%2Bdeb12u4?arch=amd64&distro=debian-12.5
dependency pkg:deb/debian/zlib1g@1.2.13.dfsg-1?arch=amd64&distro=debian-12.5&epoch=1 -> pkg:deb/debian/libc6@2.36-9%%2Bdeb12u4?arch=amd64&distro=debian-12.5
dependency uuid:deb -> uuid:debian
dependency uuid:debian -> pkg:deb/debian/zlib1g@1.2.13.dfsg-1?arch=amd64&distro=debian-12.5&epoch=1\n'
expect_sha256 debian.norm.json 497af1000b02c95e1c338ed2c62043cad276c53d339f2970c1f358b888bdf20a
