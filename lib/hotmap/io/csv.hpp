// SPDX-License-Identifier: MIT
// Fast CSV reading: header detection, record scanning with pread, field splitting.
// RFC 4180: fields may be quoted ("" escapes a quote) and a quoted field may hold line breaks,
// so a record can span several lines. Delimiters , ; tab |; UTF-8 BOM skipped; CRLF or LF.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hotmap::io::csv {

/// What the first line of a CSV file says.
struct Header {
    char delimiter = ',';
    std::vector<std::string> columns;
    std::uint64_t data_offset = 0; ///< byte offset of the first data record
    std::uint64_t file_size = 0;
};

/// Read the header line. Throws InputError (naming the file) when the file cannot be opened,
/// is a folder, is empty, is not text, or uses old Mac (CR-only) line ends.
Header read_header(const std::string& path);

/// Case-insensitive index of a column, -1 when absent.
int find_column(const Header& h, std::string_view name);

/// Split one record into fields. Quoted fields are unquoted; fields with "" escapes are
/// unescaped into `arena`, which is reserved to the record's size first so that it never
/// reallocates while views into it are live: every view stays valid until `arena` is next
/// used. Line breaks inside quoted fields are kept (CRLF as read). Returns false when a quote
/// is not closed by the end of the record.
bool split(std::string_view record, char delimiter, std::vector<std::string_view>& fields, std::string& arena);

/// The longest record accepted (64 MiB): a quote that is never closed would otherwise make
/// the rest of the file one record.
inline constexpr std::size_t k_max_record_bytes = 64u << 20;

/// Where the record starting at `p` ends: the '\n' that ends it (outside quotes), or nullptr
/// when [p, e) ends first. A quote opens a quoted field only at a field's start (after
/// `delimiter`), as split() reads it. With `in_quote`, p lies inside a quoted field.
/// `next_quote` (optional) caches the position of the next quote at or after p (nullptr: not
/// known yet): lines before it need no quote scan, so a file with few quotes reads at memchr
/// speed. Pass the same cache for successive records of one buffer; reset it when the buffer moves.
const char* record_end(const char* p, const char* e, char delimiter, bool in_quote = false, const char** next_quote = nullptr);

/// A byte buffer that is not zero-filled (the reader's blocks are overwritten by pread).
class RawBuffer {
public:
    explicit RawBuffer(std::size_t n = 0) : m_data(n ? new char[n] : nullptr), m_size(n) {}
    char* data() noexcept { return m_data.get(); }
    std::size_t size() const noexcept { return m_size; }
    /// Double the size, keeping the first `keep` bytes.
    void grow(std::size_t keep);

private:
    std::unique_ptr<char[]> m_data;
    std::size_t m_size;
};

/// Reads the records that start in [begin, end) of a file with pread, in large blocks.
class RecordReader {
public:
    /// `path` names the file in errors; `first_line` is the line number of `begin`.
    RecordReader(int fd, std::string path, char delimiter, std::uint64_t begin, std::uint64_t end, std::uint64_t first_line,
                 std::size_t block = 4u << 20);
    /// Next record without its terminator ("\n" or "\r\n") and the line number where it starts;
    /// false at the end of the range. A record that starts in the range but runs past its end
    /// is read whole. Throws InputError on a read error, when the file ends early (it changed
    /// while being read), or when a record runs over k_max_record_bytes (naming its line).
    bool next(std::string_view& record, std::uint64_t& line);

private:
    bool fill();
    int m_fd;
    std::string m_path;
    char m_delim;
    std::uint64_t m_pos;  ///< file offset of m_buf[m_len]
    std::uint64_t m_end;  ///< records starting at or after it belong to the next range
    std::uint64_t m_line; ///< line number of the next record
    std::uint64_t m_file_size;
    RawBuffer m_buf;
    std::size_t m_start = 0, m_len = 0;
    const char* m_next_quote = nullptr; ///< record_end's cache
    bool m_done = false;
};

/// What a scan of [begin, end) finds when `begin` is a record start: the records that end in
/// it (a final record without a line break counts when `at_file_end`), the line breaks, and
/// whether `end` (a line start) lies inside a quoted field.
struct RangeScan {
    std::uint64_t records = 0;
    std::uint64_t newlines = 0;
    bool ends_in_quote = false;
};
RangeScan scan_range(int fd, const std::string& path, char delimiter, std::uint64_t begin, std::uint64_t end, bool at_file_end);

/// Offset just after the first record end at or after `pos` when `pos` lies inside a quoted
/// field (file size when none).
std::uint64_t first_record_end_in_quote(int fd, const std::string& path, char delimiter, std::uint64_t pos,
                                        std::uint64_t file_size);

/// Offset just after the first '\n' at or after `pos` (file size when none).
std::uint64_t next_line_start(int fd, const std::string& path, std::uint64_t pos, std::uint64_t file_size);

/// Quote a value for CSV output when needed.
std::string quote(std::string_view v, char delimiter = ',');

} // namespace hotmap::io::csv
