// cxx_filesystem: std::filesystem through libstdc++-6.dll, which reaches the built-in msvcrt
// and kernel32 for it: create_directories, writing files with ofstream, a directory_iterator
// (mingw's _wopendir over _wfindfirst64/_wfindnext64/_findclose; entries sorted here),
// file_size, is_directory/is_regular_file, absolute (_wfullpath), last_write_time set and read
// back (_wutime64), create_hard_link (CreateHardLinkW; hard_link_count stays 1 because msvcrt's
// stat reports st_nlink 1, as on Windows), rename, remove and remove_all, exists. Runs in a
// scratch directory of its own.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int main()
{
    fs::path root = "fs_test_dir";
    fs::remove_all(root);
    std::printf("create_directories: %d\n", (int)fs::create_directories(root / "sub" / "deeper"));
    for (const char *name : {"b.txt", "a.txt", "c.log"}) {
        std::ofstream(root / name) << "contents of " << name << "\n";
    }
    std::vector<std::string> names;
    for (const auto &e : fs::directory_iterator(root))
        names.push_back(e.path().filename().string() + (e.is_directory() ? "/" : ""));
    std::sort(names.begin(), names.end());
    std::printf("entries:");
    for (const auto &n : names)
        std::printf(" %s", n.c_str());
    std::printf("\n");
    std::printf("file_size(a.txt) = %llu\n", (unsigned long long)fs::file_size(root / "a.txt"));
    std::printf("is_directory(sub) = %d, is_regular_file(a.txt) = %d\n",
                (int)fs::is_directory(root / "sub"), (int)fs::is_regular_file(root / "a.txt"));
    fs::path abs = fs::absolute(root / "a.txt");
    std::printf("absolute is absolute: %d, ends with fs_test_dir\\a.txt: %d\n",
                (int)abs.is_absolute(),
                (int)(abs.string().size() > 17 &&
                      abs.string().substr(abs.string().size() - 17) == "fs_test_dir\\a.txt"));

    auto t = fs::file_time_type::clock::now() - std::chrono::hours(48);
    fs::last_write_time(root / "a.txt", t);
    auto back = fs::last_write_time(root / "a.txt");
    auto diff = std::chrono::duration_cast<std::chrono::seconds>(back - t).count();
    std::printf("last_write_time set 48 h back and read again, within a second: %d\n",
                (int)(diff > -2 && diff < 2));

    std::error_code ec;
    fs::create_hard_link(root / "a.txt", root / "a_link.txt", ec);
    std::printf("create_hard_link: %s, hard_link_count = %llu\n", ec ? "failed" : "ok",
                (unsigned long long)fs::hard_link_count(root / "a.txt"));

    std::printf("equivalent(a.txt, a_link.txt) = %d, equivalent(a.txt, b.txt) = %d\n",
                (int)fs::equivalent(root / "a.txt", root / "a_link.txt"),
                (int)fs::equivalent(root / "a.txt", root / "b.txt"));
    fs::space_info sp = fs::space(root);
    std::printf("space: capacity >= free >= available > 0: %d\n",
                (int)(sp.capacity >= sp.free && sp.free >= sp.available && sp.available > 0));

    fs::rename(root / "c.log", root / "sub" / "c.log");
    std::printf("after rename: c.log at top %d, in sub %d\n", (int)fs::exists(root / "c.log"),
                (int)fs::exists(root / "sub" / "c.log"));
    bool removed = fs::remove(root / "b.txt");
    std::printf("remove(b.txt) = %d, exists = %d\n", (int)removed, (int)fs::exists(root / "b.txt"));
    auto count = fs::remove_all(root);
    std::printf("remove_all removed %llu entries, root exists = %d\n",
                (unsigned long long)count, (int)fs::exists(root));
    return 0;
}
