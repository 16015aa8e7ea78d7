# app-builder 3.5.10 (app-builder-bin 4.2.0: electron-builder's helper program, Go 1.21.1; the Linux
# build in the same tarball): a block map for differential updates (content-defined chunks of a
# 169 KB file: its size and SHA-512 on stdout, the gzipped map by digest), a folder tree copied,
# a property list encoded from JSON on stdin and decoded back, a KSUID's length.
seq 1 30000 > data.txt
run appbuilder blockmap --input data.txt --output data.blockmap
expect_stdout '{"size":168894,"sha512":"A5B1YZNFP2tDcP93jKWn8YKO26DhypOtGYOM6WHNgqqj7bmoontmGEeix9KgRppVXq5paTzWhXVjfSq6asNanA=="}'
expect_exit 0
expect_sha256 data.blockmap 5df27f9f0b62b7de0382a2f5ab6f0127452df909bf756d756f819286d20adc54
put tree/a.txt 'one\n'
put tree/sub/b.txt 'two\n'
run appbuilder copy --from tree --to copied
expect_exit 0
expect_file copied/a.txt 'one\n'
expect_file copied/sub/b.txt 'two\n'
stdin '{"Info.plist":{"CFBundleName":"Demo","CFBundleVersion":"1.2.3","LSUIElement":true,"N":[1,2]}}\n'
run appbuilder encode-plist
expect_exit 0
expect_file Info.plist '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0"><dict><key>CFBundleName</key><string>Demo</string><key>CFBundleVersion</key><string>1.2.3</string><key>LSUIElement</key><true/><key>N</key><array><real>1</real><real>2</real></array></dict></plist>'
put one.plist '<?xml version="1.0" encoding="UTF-8"?>\n<plist version="1.0"><dict><key>N</key><array><integer>7</integer><string>x</string><false/></array></dict></plist>\n'
run appbuilder decode-plist --file one.plist
expect_stdout '[{"N":[7,"x",false]}]'
expect_exit 0
run appbuilder ksuid
expect_exit 0
[ "$(wc -c < "$out")" = 27 ] || { echo "FAIL corpus3p.$name: ksuid printed $(wc -c < "$out") bytes, not 27"; fail=1; }
