# FFmpeg 4.1 (@ffmpeg-installer/win32-x64 4.1.0, mingw-w64): half a second of a 440 Hz sine
# (lavfi) written as a bit-exact WAV file.
run ffmpeg -hide_banner -loglevel error -f lavfi -i sine=frequency=440:sample_rate=8000:duration=0.5 -fflags +bitexact -flags:a +bitexact -f wav out.wav
expect_exit 0
expect_sha256 out.wav a8ef0d52bc40e92a628ef2a8ecf98e068859adcd02587a763a9cab511a1a3d75
