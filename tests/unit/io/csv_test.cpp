// SPDX-License-Identifier: MIT
// The CSV module: the splitter's arena, record ends with quoted line breaks, range scans,
// read errors and files that change while they are read.
#include "hotmap/error.hpp"
#include "hotmap/io/csv.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <filesystem>
#include <unistd.h>

using namespace hotmap;
using namespace hotmap::io;

namespace {
struct File {
    int fd = -1;
    explicit File(const std::string& path) : fd(::open(path.c_str(), O_RDONLY)) {}
    ~File()
    {
        if (fd >= 0) ::close(fd);
    }
};
} // namespace

TEST(CsvSplit, EscapedQuotesInManyFieldsStayValid)
{
    // Two (and more) quoted fields with "" escapes on one line: the views into the unescaped
    // text must all stay valid (they once pointed into a vector that reallocated).
    std::string line;
    std::vector<std::string> expect;
    for (int i = 0; i < 40; ++i) {
        const std::string v = "a\"" + std::string(static_cast<std::size_t>(i * 7), 'x') + "\"b" + std::to_string(i);
        std::string quoted = "\"";
        for (char c : v) {
            quoted.push_back(c);
            if (c == '"') quoted.push_back('"');
        }
        line += (i ? "," : "") + quoted + "\"";
        expect.push_back(v);
    }
    std::vector<std::string_view> fields;
    std::string arena;
    ASSERT_TRUE(csv::split(line, ',', fields, arena));
    ASSERT_EQ(fields.size(), expect.size());
    for (std::size_t i = 0; i < expect.size(); ++i) EXPECT_EQ(std::string(fields[i]), expect[i]) << i;
}

TEST(CsvSplit, QuotedLineBreaksAndUnterminatedQuote)
{
    std::vector<std::string_view> f;
    std::string arena;
    ASSERT_TRUE(csv::split("1,\"two\nlines\",3", ',', f, arena));
    ASSERT_EQ(f.size(), 3u);
    EXPECT_EQ(f[1], "two\nlines");
    EXPECT_FALSE(csv::split("1,\"open", ',', f, arena));
    // a quote inside an unquoted field is text, not the start of a quoted field
    ASSERT_TRUE(csv::split("5\" screen,2", ',', f, arena));
    EXPECT_EQ(f[0], "5\" screen");
}

TEST(CsvRecordEnd, QuotesOnlyOpenAtFieldStartsOfTheDelimiter)
{
    const std::string a = "1,\"x\ny\",3\n4,5,6\n";
    const char* e1 = csv::record_end(a.data(), a.data() + a.size(), ',');
    ASSERT_NE(e1, nullptr);
    EXPECT_EQ(static_cast<std::size_t>(e1 - a.data()), a.find("3\n") + 1); // the line break after y is inside quotes
    // with ';' as the delimiter, the quote after ',' is inside an unquoted field: the first line ends the record
    const std::string b = "1;a,\"x\n2;b\n";
    const char* e2 = csv::record_end(b.data(), b.data() + b.size(), ';');
    ASSERT_NE(e2, nullptr);
    EXPECT_EQ(static_cast<std::size_t>(e2 - b.data()), b.find('\n'));
    // inside an open quote: the record ends after the closing quote's line
    const std::string c = "still quoted\nend\",9\nnext\n";
    const char* e3 = csv::record_end(c.data(), c.data() + c.size(), ',', true);
    ASSERT_NE(e3, nullptr);
    EXPECT_EQ(static_cast<std::size_t>(e3 - c.data()), c.find(",9\n") + 2);
    // the quote cache gives the same answers record after record
    const std::string d = "a,b\n\"c\nd\",e\nf,g\n";
    const char* q = nullptr;
    const char* p = d.data();
    std::vector<std::size_t> ends;
    while (const char* nl = csv::record_end(p, d.data() + d.size(), ',', false, &q)) {
        ends.push_back(static_cast<std::size_t>(nl - d.data()));
        p = nl + 1;
    }
    EXPECT_EQ(ends, (std::vector<std::size_t>{3, 11, 15}));
}

TEST(CsvScan, RangesCountRecordsLinesAndOpenQuotes)
{
    const std::string dir = test::out_dir("csv_scan");
    const std::string path = dir + "/q.csv";
    const std::string text = "h1,h2\n1,\"a\nb\nc\"\n2,x\n3,\"y\"\n";
    test::write_file(path, text);
    File f(path);
    const std::uint64_t size = text.size();
    const csv::RangeScan all = csv::scan_range(f.fd, path, ',', 0, size, true);
    EXPECT_EQ(all.records, 4u); // header + 3 records
    EXPECT_EQ(all.newlines, 6u);
    EXPECT_FALSE(all.ends_in_quote);
    // a range that ends after "a\n" lies inside the quoted field
    const std::uint64_t inside = text.find("b\n");
    const csv::RangeScan part = csv::scan_range(f.fd, path, ',', 6, inside, false);
    EXPECT_TRUE(part.ends_in_quote);
    EXPECT_EQ(part.records, 0u);
    EXPECT_EQ(csv::first_record_end_in_quote(f.fd, path, ',', inside, size), text.find("2,x"));
}

TEST(CsvReader, LineNumbersOfMultiLineRecords)
{
    const std::string dir = test::out_dir("csv_lines");
    const std::string path = dir + "/q.csv";
    test::write_file(path, "1,\"a\nb\"\n2,c\r\n3,\"d\r\ne\r\nf\"\n4,g");
    File f(path);
    csv::RecordReader rr(f.fd, path, ',', 0, std::filesystem::file_size(path), 2);
    std::string_view rec;
    std::uint64_t line = 0;
    std::vector<std::uint64_t> lines;
    std::vector<std::string> recs;
    while (rr.next(rec, line)) {
        lines.push_back(line);
        recs.emplace_back(rec);
    }
    EXPECT_EQ(lines, (std::vector<std::uint64_t>{2, 4, 5, 8}));
    EXPECT_EQ(recs.back(), "4,g");
    EXPECT_EQ(recs[1], "2,c"); // CR of CRLF removed
}

TEST(CsvReader, ReadErrorsAndChangedFilesAreErrorsNotEndOfFile)
{
    // a folder cannot be read: pread fails with EISDIR, which is no end of file
    const std::string dir = test::out_dir("csv_errors");
    File d(dir);
    ASSERT_GE(d.fd, 0);
    EXPECT_THROW(csv::scan_range(d.fd, dir, ',', 0, 100, true), InputError);
    // a file that becomes shorter while it is read (the reader knew 12 bytes)
    const std::string path = dir + "/x.csv";
    test::write_file(path, "1,a\n2,b\n3,c\n");
    File f(path);
    csv::RecordReader rr(f.fd, path, ',', 0, 12, 2, 4096);
    std::filesystem::resize_file(path, 5);
    std::string_view rec;
    std::uint64_t line = 0;
    try {
        while (rr.next(rec, line)) {
        }
        FAIL() << "a shrunk file read as if it ended there";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("changed while it was read"), std::string::npos) << e.what();
    }
    EXPECT_THROW(csv::scan_range(f.fd, path, ',', 0, 12, true), InputError);
}

TEST(CsvHeader, ClearMessagesForFoldersAndOldMacLineEnds)
{
    const std::string dir = test::out_dir("csv_header");
    try {
        csv::read_header(dir);
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("is a folder"), std::string::npos) << e.what();
    }
    try {
        csv::read_header(test::data("bad/cr_only.csv"));
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("carriage returns only"), std::string::npos) << e.what();
    }
}
