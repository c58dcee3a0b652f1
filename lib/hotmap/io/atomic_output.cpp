// SPDX-License-Identifier: MIT
// Temp-file-and-rename output handling.
#include "hotmap/io/atomic_output.hpp"

#include "hotmap/error.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace hotmap::io {

std::string extension_of(const std::string& path)
{
    std::string e = fs::path(path).extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e;
}

std::string replace_extension(const std::string& path, const std::string& ext)
{
    return fs::path(path).replace_extension(ext).string();
}

AtomicOutput::AtomicOutput(std::string target, bool overwrite, std::vector<std::string> sidecars)
    : m_target(std::move(target)), m_sidecars(std::move(sidecars))
{
    const fs::path p(m_target);
    std::error_code ec;
    if (fs::exists(p, ec) && !overwrite)
        throw OutputError(m_target + ": already exists (use --overwrite to replace it)");
    if (fs::is_directory(p, ec)) throw OutputError(m_target + ": is a folder, not a file name");
    fs::path dir = p.parent_path();
    if (dir.empty()) dir = ".";
    if (!fs::is_directory(dir, ec))
        throw OutputError(m_target + ": cannot write: folder '" + dir.string() + "' does not exist");
    if (::access(dir.c_str(), W_OK) != 0)
        throw OutputError(m_target + ": cannot write: folder '" + dir.string() + "': " + std::strerror(errno));
    static std::atomic<unsigned> counter{0};
    const std::string stem = ".hotmap-tmp-" + std::to_string(::getpid()) + "-" +
                             std::to_string(counter++) + "-" + p.stem().string();
    m_temp = (dir / (stem + p.extension().string())).string();
}

void check_writable(const std::string& target, bool overwrite)
{
    AtomicOutput probe(target, overwrite); // constructor checks; nothing is created
}

AtomicOutput::~AtomicOutput()
{
    if (m_done) return;
    std::error_code ec;
    fs::remove(m_temp, ec);
    for (const std::string& e : m_sidecars) fs::remove(replace_extension(m_temp, e), ec);
    // GDAL may leave a folder for some drivers, or journal files
    fs::remove_all(m_temp + "-journal", ec);
    fs::remove_all(m_temp + "-wal", ec);
    fs::remove_all(m_temp + "-shm", ec);
}

void AtomicOutput::commit()
{
    std::error_code ec;
    for (const std::string& e : m_sidecars) {
        const std::string from = replace_extension(m_temp, e);
        if (fs::exists(from, ec)) {
            fs::rename(from, replace_extension(m_target, e), ec);
            if (ec) throw OutputError(m_target + ": cannot rename into place: " + ec.message());
        } else {
            fs::remove(replace_extension(m_target, e), ec); // stale sidecar of an older output
        }
    }
    fs::rename(m_temp, m_target, ec);
    if (ec) throw OutputError(m_target + ": cannot rename into place: " + ec.message());
    m_done = true;
}

} // namespace hotmap::io
