# FFmpeg 4.1 (@ffmpeg-installer/win32-x64 4.1.0, mingw-w64): generate two frames of the lavfi test
# pattern and print their MD5s (the last lines; the header names the libavformat version).
# -nostdin: no polling of standard input for a q key (see ffmpeg_sine_wav).
run ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i testsrc=size=32x24:rate=5:duration=0.4 -f framemd5 -
expect_exit 0
tail -n 3 "$out" > "$out.tail" && mv "$out.tail" "$out"
expect_stdout '#stream#, dts,        pts, duration,     size, hash
0,          0,          0,        1,     2304, 65a10f6a5180c178111cedfcc61f3da2
0,          1,          1,        1,     2304, 0aaef0fcf53247ecf5f28aa43587d855\n'
