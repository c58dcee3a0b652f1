// SPDX-License-Identifier: MIT
// CSV header detection, block line reader and field splitter.
#include "hotmap/io/csv.hpp"

#include "hotmap/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hotmap::io::csv {
namespace {

struct Fd {
    int fd = -1;
    ~Fd()
    {
        if (fd >= 0) ::close(fd);
    }
};

char detect_delimiter(std::string_view line)
{
    const char cands[] = {',', ';', '\t', '|'};
    std::size_t best = 0;
    char bestc = ',';
    for (char c : cands) {
        std::size_t n = 0;
        bool q = false;
        for (char ch : line) {
            if (ch == '"') q = !q;
            else if (ch == c && !q) ++n;
        }
        if (n > best) {
            best = n;
            bestc = c;
        }
    }
    return bestc;
}

} // namespace

Header read_header(const std::string& path)
{
    Fd f;
    f.fd = ::open(path.c_str(), O_RDONLY);
    if (f.fd < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
    struct stat st{};
    if (::fstat(f.fd, &st) != 0 || S_ISDIR(st.st_mode))
        throw InputError(path + ": cannot open: not a regular file");
    Header h;
    h.file_size = static_cast<std::uint64_t>(st.st_size);
    if (h.file_size == 0) throw InputError(path + ": the file is empty");
    std::string buf(std::min<std::uint64_t>(h.file_size, 1u << 20), '\0');
    const ssize_t got = ::pread(f.fd, buf.data(), buf.size(), 0);
    if (got <= 0) throw InputError(path + ": cannot read");
    buf.resize(static_cast<std::size_t>(got));
    if (std::memchr(buf.data(), '\0', std::min<std::size_t>(buf.size(), 4096)))
        throw InputError(path + ": not a text table (binary content)");
    std::size_t start = 0;
    if (buf.size() >= 3 && buf.compare(0, 3, "\xEF\xBB\xBF") == 0) start = 3;
    const std::size_t nl = buf.find('\n', start);
    if (nl == std::string::npos && buf.size() == (1u << 20))
        throw InputError(path + ": not a text table (first line longer than 1 MiB)");
    std::string_view line(buf.data() + start, (nl == std::string::npos ? buf.size() : nl) - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos)
        throw InputError(path + ": line 1: empty header line");
    h.delimiter = detect_delimiter(line);
    std::vector<std::string_view> fields;
    std::vector<std::string> scratch;
    if (!split(line, h.delimiter, fields, scratch))
        throw InputError(path + ": line 1: unterminated quote in the header");
    for (std::string_view fv : fields) {
        std::string s(fv);
        while (!s.empty() && (s.back() == ' ')) s.pop_back();
        while (!s.empty() && s.front() == ' ') s.erase(0, 1);
        h.columns.push_back(s);
    }
    h.data_offset = nl == std::string::npos ? h.file_size : nl + 1;
    return h;
}

int find_column(const Header& h, std::string_view name)
{
    for (std::size_t i = 0; i < h.columns.size(); ++i) {
        const std::string& c = h.columns[i];
        if (c.size() == name.size() &&
            std::equal(c.begin(), c.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            }))
            return static_cast<int>(i);
    }
    return -1;
}

bool split(std::string_view line, char delim, std::vector<std::string_view>& fields,
           std::vector<std::string>& scratch)
{
    fields.clear();
    std::size_t nscratch = 0;
    const char* p = line.data();
    const char* e = p + line.size();
    while (true) {
        if (p < e && *p == '"') {
            const char* s = ++p;
            bool escaped = false;
            while (true) {
                const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(e - p)));
                if (!q) return false;
                if (q + 1 < e && q[1] == '"') {
                    escaped = true;
                    p = q + 2;
                    continue;
                }
                p = q;
                break;
            }
            std::string_view v(s, static_cast<std::size_t>(p - s));
            ++p; // closing quote
            if (escaped) {
                if (scratch.size() <= nscratch) scratch.emplace_back();
                std::string& out = scratch[nscratch++];
                out.clear();
                for (std::size_t i = 0; i < v.size(); ++i) {
                    out.push_back(v[i]);
                    if (v[i] == '"') ++i;
                }
                v = out;
            }
            fields.push_back(v);
            // tolerate junk between the closing quote and the delimiter
            const char* d = static_cast<const char*>(std::memchr(p, delim, static_cast<std::size_t>(e - p)));
            if (!d) return true;
            p = d + 1;
        } else {
            const char* d = static_cast<const char*>(std::memchr(p, delim, static_cast<std::size_t>(e - p)));
            if (!d) {
                fields.emplace_back(p, static_cast<std::size_t>(e - p));
                return true;
            }
            fields.emplace_back(p, static_cast<std::size_t>(d - p));
            p = d + 1;
        }
    }
}

LineReader::LineReader(int fd, std::uint64_t begin, std::uint64_t end, std::size_t block)
    : m_fd(fd), m_pos(begin), m_end(end), m_buf(block)
{
}

bool LineReader::fill()
{
    if (m_eof) return false;
    // move the partial line to the front
    if (m_start > 0) {
        std::memmove(m_buf.data(), m_buf.data() + m_start, m_len - m_start);
        m_len -= m_start;
        m_start = 0;
    }
    if (m_len == m_buf.size()) m_buf.resize(m_buf.size() * 2);
    const std::uint64_t want = std::min<std::uint64_t>(m_buf.size() - m_len, m_end - m_pos);
    if (want == 0) {
        m_eof = true;
        return false;
    }
    ssize_t got = ::pread(m_fd, m_buf.data() + m_len, want, static_cast<off_t>(m_pos));
    if (got <= 0) {
        m_eof = true;
        return false;
    }
    m_len += static_cast<std::size_t>(got);
    m_pos += static_cast<std::uint64_t>(got);
    return true;
}

bool LineReader::next(std::string_view& line)
{
    if (m_done) return false;
    while (true) {
        const char* b = m_buf.data() + m_start;
        const char* nl = static_cast<const char*>(std::memchr(b, '\n', m_len - m_start));
        if (nl) {
            std::size_t n = static_cast<std::size_t>(nl - b);
            line = std::string_view(b, n);
            if (n && line.back() == '\r') line.remove_suffix(1);
            m_start += n + 1;
            return true;
        }
        if (!fill()) {
            if (m_start < m_len) {
                line = std::string_view(m_buf.data() + m_start, m_len - m_start);
                if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
                m_start = m_len;
                m_done = true;
                return true;
            }
            m_done = true;
            return false;
        }
    }
}

std::uint64_t count_lines(int fd, std::uint64_t begin, std::uint64_t end)
{
    std::vector<char> buf(4u << 20);
    std::uint64_t n = 0, pos = begin;
    char last = '\n';
    while (pos < end) {
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), end - pos));
        const ssize_t got = ::pread(fd, buf.data(), want, static_cast<off_t>(pos));
        if (got <= 0) break;
        const char* p = buf.data();
        const char* e = p + got;
        while ((p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(e - p))))) {
            ++n;
            ++p;
        }
        last = buf[static_cast<std::size_t>(got) - 1];
        pos += static_cast<std::uint64_t>(got);
    }
    if (last != '\n' && end > begin) ++n;
    return n;
}

std::uint64_t next_line_start(int fd, std::uint64_t pos, std::uint64_t file_size)
{
    char buf[65536];
    while (pos < file_size) {
        const ssize_t got = ::pread(fd, buf, sizeof buf, static_cast<off_t>(pos));
        if (got <= 0) break;
        const void* nl = std::memchr(buf, '\n', static_cast<std::size_t>(got));
        if (nl) return pos + static_cast<std::uint64_t>(static_cast<const char*>(nl) - buf) + 1;
        pos += static_cast<std::uint64_t>(got);
    }
    return file_size;
}

std::string quote(std::string_view v, char delimiter)
{
    if (v.find_first_of(std::string{delimiter, '"', '\n', '\r'}) == std::string_view::npos)
        return std::string(v);
    std::string out = "\"";
    for (char c : v) {
        out.push_back(c);
        if (c == '"') out.push_back('"');
    }
    out.push_back('"');
    return out;
}

} // namespace hotmap::io::csv
