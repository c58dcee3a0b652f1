// SPDX-License-Identifier: MIT
#include "hotmap/io/checksum.hpp"

#include "hotmap/error.hpp"

#include <openssl/evp.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <vector>

namespace hotmap::io {
namespace {

struct Md {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
    Md()
    {
        if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256 unavailable");
    }
    void add(const void* p, std::size_t n) { EVP_DigestUpdate(ctx.get(), p, n); }
    std::string hex()
    {
        unsigned char d[EVP_MAX_MD_SIZE];
        unsigned n = 0;
        EVP_DigestFinal_ex(ctx.get(), d, &n);
        std::string s;
        char b[3];
        for (unsigned i = 0; i < n; ++i) {
            std::snprintf(b, sizeof b, "%02x", d[i]);
            s += b;
        }
        return s;
    }
};

} // namespace

std::string sha256_file(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path + ": cannot open for its checksum");
    Md md;
    std::vector<char> buf(1 << 20);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        md.add(buf.data(), static_cast<std::size_t>(in.gcount()));
    }
    if (in.bad()) throw InputError(path + ": read error while computing its checksum");
    return md.hex();
}

std::string sha256_text(const std::string& bytes)
{
    Md md;
    md.add(bytes.data(), bytes.size());
    return md.hex();
}

} // namespace hotmap::io
