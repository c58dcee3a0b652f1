// SPDX-License-Identifier: MIT
// Staged outputs and the signal-safe registry of their temporaries.
#include "hotmap/io/output_set.hpp"

#include "hotmap/error.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <pthread.h>
#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace hotmap::io {
namespace {

// Temporaries the signal handler removes: fixed storage, lock-free flags (async-signal-safe).
constexpr int k_slots = 1024;
constexpr std::size_t k_path_max = 4096;
struct Slot {
    std::atomic<int> state{0}; ///< 0 free, 2 being written, 1 live
    char path[k_path_max];
};
Slot g_slots[k_slots];

int reserve_slot(const std::string& path)
{
    if (path.size() >= k_path_max) return -1;
    for (int i = 0; i < k_slots; ++i) {
        int expected = 0;
        if (g_slots[i].state.compare_exchange_strong(expected, 2)) {
            std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
            g_slots[i].state.store(1);
            return i;
        }
    }
    return -1; // more than k_slots temporaries at once: the destructor still removes them
}

void release_slot(int i)
{
    if (i >= 0) g_slots[i].state.store(0);
}

extern "C" void remove_temporaries_and_die(int sig)
{
    for (Slot& s : g_slots)
        if (s.state.load() == 1) ::unlink(s.path);
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// Files a driver may create beside its output: SQLite journals, GDAL's .aux.xml.
const char* const k_appended[] = {"-journal", "-wal", "-shm", ".aux.xml"};

std::string canonical(const std::string& p)
{
    std::error_code ec;
    const fs::path c = fs::weakly_canonical(fs::path(p), ec);
    return ec ? p : c.string();
}

} // namespace

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

void check_writable(const std::string& target, bool overwrite)
{
    const fs::path p(target);
    std::error_code ec;
    if (target.empty()) throw OutputError("an output path is empty");
    if (fs::is_directory(p, ec)) throw OutputError(target + ": is a folder, not a file name (give a file inside it)");
    if (fs::exists(p, ec) && !overwrite) throw OutputError(target + ": already exists (use --overwrite to replace it)");
    fs::path dir = p.parent_path();
    if (dir.empty()) dir = ".";
    if (!fs::is_directory(dir, ec))
        throw OutputError(target + ": cannot write: folder '" + dir.string() + "' does not exist");
    if (::access(dir.c_str(), W_OK) != 0)
        throw OutputError(target + ": cannot write: folder '" + dir.string() + "': " + std::strerror(errno));
}

OutputSet::OutputSet(bool overwrite) : m_overwrite(overwrite) {}

OutputSet::~OutputSet()
{
    for (const auto& it : m_items) {
        if (!m_done) {
            std::error_code ec;
            fs::remove(it->paths.temp, ec);
            for (const std::string& e : it->sidecars) fs::remove(replace_extension(it->paths.temp, e), ec);
            for (const char* a : k_appended) fs::remove(it->paths.temp + a, ec);
        }
        for (int s : it->slots) release_slot(s);
    }
}

void OutputSet::protect(const std::string& input_path)
{
    std::error_code ec;
    if (!input_path.empty() && fs::exists(input_path, ec)) m_inputs.push_back(input_path);
}

const Staged& OutputSet::add(const std::string& target, const std::vector<std::string>& sidecars)
{
    check_writable(target, m_overwrite);
    const std::string canon = canonical(target);
    for (const std::string& in : m_inputs) {
        std::error_code ec;
        if (canonical(in) == canon || fs::equivalent(in, target, ec))
            throw OutputError(target + ": is an input of this run; write the output to another file");
        for (const std::string& e : sidecars)
            if (fs::equivalent(in, replace_extension(target, e), ec))
                throw OutputError(replace_extension(target, e) + ": is an input of this run; write the output elsewhere");
    }
    for (const auto& it : m_items)
        if (canonical(it->paths.target) == canon) throw OutputError(target + ": given as two outputs of this run");
    static std::atomic<unsigned> counter{0};
    const fs::path p(target);
    fs::path dir = p.parent_path();
    if (dir.empty()) dir = ".";
    auto item = std::make_unique<Item>();
    item->paths.target = target;
    item->paths.temp = (dir / (".hotmap-tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" +
                               p.stem().string() + p.extension().string()))
                           .string();
    item->sidecars = sidecars;
    item->slots.push_back(reserve_slot(item->paths.temp));
    for (const std::string& e : sidecars) item->slots.push_back(reserve_slot(replace_extension(item->paths.temp, e)));
    for (const char* a : k_appended) item->slots.push_back(reserve_slot(item->paths.temp + a));
    m_items.push_back(std::move(item));
    return m_items.back()->paths;
}

void OutputSet::commit()
{
    // the renames are not to be cut in half by Ctrl-C: the signals wait until they are done
    sigset_t block, old;
    sigemptyset(&block);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&block, sig);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    struct Restore {
        sigset_t* old;
        ~Restore() { pthread_sigmask(SIG_SETMASK, old, nullptr); }
    } restore{&old};
    std::error_code ec;
    for (const auto& it : m_items) {
        const Staged& s = it->paths;
        if (!fs::exists(s.temp, ec)) throw OutputError(s.target + ": was not written");
        for (const std::string& e : it->sidecars) {
            const std::string from = replace_extension(s.temp, e), to = replace_extension(s.target, e);
            if (fs::exists(from, ec)) {
                fs::rename(from, to, ec);
                if (ec) throw OutputError(to + ": cannot rename into place: " + ec.message());
            } else {
                fs::remove(to, ec); // a stale sidecar of an older output
            }
        }
        const std::string aux = s.temp + ".aux.xml";
        if (fs::exists(aux, ec)) fs::rename(aux, s.target + ".aux.xml", ec);
        fs::rename(s.temp, s.target, ec);
        if (ec) throw OutputError(s.target + ": cannot rename into place: " + ec.message());
        for (const char* a : k_appended) fs::remove(s.temp + a, ec);
    }
    m_done = true;
}

void OutputSet::install_signal_cleanup()
{
    struct sigaction sa{};
    sa.sa_handler = remove_temporaries_and_die;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

} // namespace hotmap::io
