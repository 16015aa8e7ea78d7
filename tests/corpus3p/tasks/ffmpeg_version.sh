# FFmpeg 4.1 (@ffmpeg-installer/win32-x64 4.1.0, a Zeranoe mingw-w64 build N-92722): its version.
differs native "the Linux build in @ffmpeg-installer/linux-x64 4.1.0 is another snapshot (N-47683)"
run ffmpeg -version
expect_stdout_head 1 'ffmpeg version N-92722-gf22fcd4483 Copyright (c) 2000-2018 the FFmpeg developers\r\n'
expect_exit 0
