// SPDX-License-Identifier: MIT
// Minimal fast CSV reading: header detection, line reading with pread, field splitting.
// RFC 4180 quoting ("" escapes); delimiters , ; tab |; UTF-8 BOM skipped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hotmap::io::csv {

/// What the first line of a CSV file says.
struct Header {
    char delimiter = ',';
    std::vector<std::string> columns;
    std::uint64_t data_offset = 0; ///< byte offset of the first data line
    std::uint64_t file_size = 0;
};

/// Read the header line. Throws InputError (naming the file) when the file cannot be opened,
/// is empty, or is not text.
Header read_header(const std::string& path);

/// Case-insensitive index of a column, -1 when absent.
int find_column(const Header& h, std::string_view name);

/// Split one line into fields. Quoted fields are unquoted; fields with "" escapes are
/// unescaped into `scratch` (views into it stay valid until the next call). Returns false
/// when a quote is not closed on this line.
bool split(std::string_view line, char delimiter, std::vector<std::string_view>& fields,
           std::vector<std::string>& scratch);

/// Reads the lines that start in [begin, end) of a file with pread, in large blocks.
class LineReader {
public:
    LineReader(int fd, std::uint64_t begin, std::uint64_t end, std::size_t block = 4u << 20);
    /// Next line without its terminator ("\n" or "\r\n"); false at the end of the range.
    bool next(std::string_view& line);

private:
    bool fill();
    int m_fd;
    std::uint64_t m_pos;  ///< file offset of m_buf[m_len]
    std::uint64_t m_end;
    std::vector<char> m_buf;
    std::size_t m_start = 0, m_len = 0;
    bool m_eof = false;
    bool m_done = false;
    std::uint64_t m_line_file_offset = 0;
};

/// Count '\n'-terminated lines (plus a final unterminated one) in [begin, end).
std::uint64_t count_lines(int fd, std::uint64_t begin, std::uint64_t end);

/// Offset just after the first '\n' at or after `pos` (file size when none).
std::uint64_t next_line_start(int fd, std::uint64_t pos, std::uint64_t file_size);

/// Quote a value for CSV output when needed.
std::string quote(std::string_view v, char delimiter = ',');

} // namespace hotmap::io::csv
