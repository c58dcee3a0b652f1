// SPDX-License-Identifier: MIT
// CSV header detection, record scanner, block record reader and field splitter.
#include "hotmap/io/csv.hpp"

#include "hotmap/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/// pread that throws on errors (EINTR retried); returns 0 only at the end of the file.
std::size_t read_at(int fd, const std::string& path, char* buf, std::size_t n, std::uint64_t pos)
{
    for (;;) {
        const ssize_t got = ::pread(fd, buf, n, static_cast<off_t>(pos));
        if (got >= 0) return static_cast<std::size_t>(got);
        if (errno == EINTR) continue;
        throw InputError(path + ": read error: " + std::strerror(errno));
    }
}

/// Line breaks in [p, e), 16 bytes at a time.
std::size_t count_newlines(const char* p, const char* e)
{
    std::size_t n = 0;
#if defined(__SSE2__)
    // per byte lane, up to 255 matches are counted (a match is -1), then summed across lanes
    const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (p + 16 <= e) {
        __m128i acc = zero;
        for (int k = 0; k < 255 && p + 16 <= e; ++k, p += 16)
            acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)), nl));
        const __m128i sums = _mm_sad_epu8(acc, zero);
        n += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) + static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
    }
#endif
    for (; p < e; ++p) n += *p == '\n';
    return n;
}

} // namespace

Header read_header(const std::string& path)
{
    Fd f;
    f.fd = ::open(path.c_str(), O_RDONLY);
    if (f.fd < 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
    struct stat st{};
    if (::fstat(f.fd, &st) != 0) throw InputError(path + ": cannot open: " + std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw InputError(path + ": is a folder, not a file");
    if (!S_ISREG(st.st_mode)) throw InputError(path + ": cannot open: not a regular file");
    Header h;
    h.file_size = static_cast<std::uint64_t>(st.st_size);
    if (h.file_size == 0) throw InputError(path + ": the file is empty");
    std::string buf(std::min<std::uint64_t>(h.file_size, 1u << 20), '\0');
    buf.resize(read_at(f.fd, path, buf.data(), buf.size(), 0));
    if (buf.empty()) throw InputError(path + ": cannot read: the file is empty");
    if (std::memchr(buf.data(), '\0', std::min<std::size_t>(buf.size(), 4096)))
        throw InputError(path + ": not a text table (binary content)");
    std::size_t start = 0;
    if (buf.size() >= 3 && buf.compare(0, 3, "\xEF\xBB\xBF") == 0) start = 3;
    const std::size_t nl = buf.find('\n', start);
    if (nl == std::string::npos && buf.find('\r', start) != std::string::npos && buf.find('\r', start) + 1 < buf.size())
        throw InputError(path + ": line ends are carriage returns only (old Mac format): convert the file to LF or CRLF line "
                                "ends (e.g. tr '\\r' '\\n' < in.csv > out.csv)");
    if (nl == std::string::npos && buf.size() == (1u << 20))
        throw InputError(path + ": not a text table (first line longer than 1 MiB)");
    std::string_view line(buf.data() + start, (nl == std::string::npos ? buf.size() : nl) - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) throw InputError(path + ": line 1: empty header line");
    h.delimiter = detect_delimiter(line);
    std::vector<std::string_view> fields;
    std::string arena;
    if (!split(line, h.delimiter, fields, arena)) throw InputError(path + ": line 1: unterminated quote in the header");
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
        if (c.size() == name.size() && std::equal(c.begin(), c.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
            }))
            return static_cast<int>(i);
    }
    return -1;
}

bool split(std::string_view line, char delim, std::vector<std::string_view>& fields, std::string& arena)
{
    fields.clear();
#if defined(__SSE2__)
    {
        // Fast path: a record without any quote is cut at every delimiter, 16 bytes at a time;
        // at the first quote the general loop below starts over.
        const char* p = line.data();
        const char* const e = p + line.size();
        const char* f = p; // start of the current field
        const __m128i dv = _mm_set1_epi8(delim), qv = _mm_set1_epi8('"');
        bool quote = false;
        for (; p + 16 <= e; p += 16) {
            const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, qv))) {
                quote = true;
                break;
            }
            for (unsigned m = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, dv))); m; m &= m - 1) {
                const char* d = p + __builtin_ctz(m);
                fields.emplace_back(f, static_cast<std::size_t>(d - f));
                f = d + 1;
            }
        }
        for (; !quote && p < e; ++p) {
            if (*p == '"') quote = true;
            else if (*p == delim) {
                fields.emplace_back(f, static_cast<std::size_t>(p - f));
                f = p + 1;
            }
        }
        if (!quote) {
            fields.emplace_back(f, static_cast<std::size_t>(e - f));
            return true;
        }
        fields.clear();
    }
#endif
    arena.clear();
    arena.reserve(line.size()); // unescaped text is never longer than the record: no reallocation below
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
                const std::size_t at = arena.size();
                for (std::size_t i = 0; i < v.size(); ++i) {
                    arena.push_back(v[i]);
                    if (v[i] == '"') ++i;
                }
                v = std::string_view(arena.data() + at, arena.size() - at);
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

const char* record_end(const char* p, const char* e, char delim, bool in_quote, const char** next_quote)
{
    // Fast path: a line without quotes is a whole record.
    if (!in_quote) {
        const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(e - p)));
        if (!nl) return nullptr;
        if (next_quote) {
            if (!*next_quote || *next_quote < p) {
                const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<std::size_t>(e - p)));
                *next_quote = q ? q : e;
            }
            if (*next_quote > nl) return nl;
        } else if (!std::memchr(p, '"', static_cast<std::size_t>(nl - p))) {
            return nl;
        }
    }
    // split()'s rules: a quote opens a quoted field only at a field's start; inside, "" is a
    // quote and a lone " closes it; what follows up to the delimiter is kept as junk.
    enum class S { field_start, unquoted, quoted } s = in_quote ? S::quoted : S::field_start;
    for (const char* c = p; c < e; ++c) {
        switch (s) {
        case S::field_start:
            if (*c == '"') s = S::quoted;
            else if (*c == '\n') return c;
            else if (*c != delim) s = S::unquoted;
            break;
        case S::unquoted:
            if (*c == '\n') return c;
            if (*c == delim) s = S::field_start;
            break;
        case S::quoted:
            if (*c == '"') {
                if (c + 1 == e) return nullptr; // "" or a closing quote: known with the next byte
                if (c[1] == '"') ++c;
                else s = S::unquoted;
            }
            break;
        }
    }
    return nullptr;
}

RecordReader::RecordReader(int fd, std::string path, char delimiter, std::uint64_t begin, std::uint64_t end,
                           std::uint64_t first_line, std::size_t block)
    : m_fd(fd), m_path(std::move(path)), m_delim(delimiter), m_pos(begin), m_end(end), m_line(first_line),
      m_buf(static_cast<std::size_t>(std::min<std::uint64_t>(block, end - begin + 65536)))
{
    struct stat st{};
    if (::fstat(fd, &st) != 0) throw InputError(m_path + ": read error: " + std::strerror(errno));
    m_file_size = static_cast<std::uint64_t>(st.st_size);
}

bool RecordReader::fill()
{
    if (m_start > 0) { // move the partial record to the front
        std::memmove(m_buf.data(), m_buf.data() + m_start, m_len - m_start);
        m_len -= m_start;
        m_start = 0;
    }
    if (m_len == m_buf.size()) {
        if (m_buf.size() > k_max_record_bytes)
            throw InputError(m_path + ": line " + std::to_string(m_line) +
                             ": a record runs over 64 MiB (a quote opened here is never closed?)");
        m_buf.grow(m_len);
    }
    const std::size_t got = read_at(m_fd, m_path, m_buf.data() + m_len, m_buf.size() - m_len, m_pos);
    m_len += got;
    m_pos += got;
    return got > 0;
}

bool RecordReader::next(std::string_view& rec, std::uint64_t& line)
{
    if (m_done) return false;
    if (m_pos - (m_len - m_start) >= m_end) { // the next record starts in the next range
        m_done = true;
        return false;
    }
    while (true) {
        const char* b = m_buf.data() + m_start;
        const char* e = m_buf.data() + m_len;
        if (const char* nl = record_end(b, e, m_delim, false, &m_next_quote)) {
            const std::size_t n = static_cast<std::size_t>(nl - b);
            rec = std::string_view(b, n);
            line = m_line;
            // only a record with a quote can hold line breaks
            m_line += 1 + (m_next_quote < nl ? static_cast<std::uint64_t>(std::count(b, nl, '\n')) : 0);
            if (n && rec.back() == '\r') rec.remove_suffix(1);
            m_start += n + 1;
            return true;
        }
        m_next_quote = nullptr; // the buffer moves
        if (!fill()) {
            if (m_pos < m_file_size) throw InputError(m_path + ": the file changed while it was read (it is shorter now)");
            if (m_start < m_len) { // last record without a line break (or an open quote to the end)
                rec = std::string_view(m_buf.data() + m_start, m_len - m_start);
                line = m_line;
                m_line += 1 + static_cast<std::uint64_t>(std::count(rec.begin(), rec.end(), '\n'));
                if (!rec.empty() && rec.back() == '\r') rec.remove_suffix(1);
                m_start = m_len;
                m_done = true;
                return true;
            }
            m_done = true;
            return false;
        }
    }
}

void RawBuffer::grow(std::size_t keep)
{
    const std::size_t n = std::max<std::size_t>(2 * m_size, 4096);
    std::unique_ptr<char[]> d(new char[n]);
    if (keep) std::memcpy(d.get(), m_data.get(), std::min(keep, m_size));
    m_data = std::move(d);
    m_size = n;
}

RangeScan scan_range(int fd, const std::string& path, char delim, std::uint64_t begin, std::uint64_t end, bool at_file_end)
{
    RangeScan r;
    RawBuffer buf(static_cast<std::size_t>(std::min<std::uint64_t>(4u << 20, end - begin + 65536)));
    std::uint64_t pos = begin;
    std::size_t have = 0; // bytes of an unfinished record kept at the front
    while (pos < end) {
        const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size() - have, end - pos));
        const std::size_t got = read_at(fd, path, buf.data() + have, want, pos);
        if (got == 0) throw InputError(path + ": the file changed while it was read (it is shorter now)");
        pos += got;
        const char* p = buf.data();
        const char* e = buf.data() + have + got;
        const char* next_quote = nullptr;
        if (!std::memchr(p, '"', static_cast<std::size_t>(e - p))) {
            // no quote in the block: every line break ends a record
            if (const void* last = ::memrchr(p, '\n', static_cast<std::size_t>(e - p))) {
                const char* nl = static_cast<const char*>(last);
                const auto lines = static_cast<std::uint64_t>(count_newlines(p, nl + 1));
                r.records += lines;
                r.newlines += lines;
                p = nl + 1;
            }
        }
        while (const char* nl = record_end(p, e, delim, false, &next_quote)) {
            ++r.records;
            // only a record with a quote can hold line breaks
            r.newlines += 1 + (next_quote < nl ? static_cast<std::uint64_t>(std::count(p, nl, '\n')) : 0);
            p = nl + 1;
        }
        have = static_cast<std::size_t>(e - p); // the unfinished record moves to the front
        std::memmove(buf.data(), p, have);
        if (have == buf.size()) buf.grow(have);
    }
    // `end` is a line start: an unfinished record there means its line break was inside quotes
    if (have > 0) {
        r.newlines += static_cast<std::uint64_t>(std::count(buf.data(), buf.data() + have, '\n'));
        if (at_file_end) ++r.records;
        else r.ends_in_quote = true;
    }
    return r;
}

std::uint64_t first_record_end_in_quote(int fd, const std::string& path, char delim, std::uint64_t pos, std::uint64_t file_size)
{
    RawBuffer buf(1u << 20);
    std::size_t have = 0;
    while (pos + have < file_size) {
        const std::size_t got = read_at(fd, path, buf.data() + have, buf.size() - have, pos + have);
        if (got == 0) break;
        have += got;
        if (const char* nl = record_end(buf.data(), buf.data() + have, delim, true))
            return pos + static_cast<std::uint64_t>(nl - buf.data()) + 1;
        if (have == buf.size()) {
            if (have > k_max_record_bytes) return file_size;
            buf.grow(have);
        }
    }
    return file_size;
}

std::uint64_t next_line_start(int fd, const std::string& path, std::uint64_t pos, std::uint64_t file_size)
{
    char buf[65536];
    while (pos < file_size) {
        const std::size_t got = read_at(fd, path, buf, sizeof buf, pos);
        if (got == 0) break;
        const void* nl = std::memchr(buf, '\n', got);
        if (nl) return pos + static_cast<std::uint64_t>(static_cast<const char*>(nl) - buf) + 1;
        pos += got;
    }
    return file_size;
}

std::string quote(std::string_view v, char delimiter)
{
    if (v.find_first_of(std::string{delimiter, '"', '\n', '\r'}) == std::string_view::npos) return std::string(v);
    std::string out = "\"";
    for (char c : v) {
        out.push_back(c);
        if (c == '"') out.push_back('"');
    }
    out.push_back('"');
    return out;
}

} // namespace hotmap::io::csv
