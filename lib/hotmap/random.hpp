// SPDX-License-Identifier: MIT
// The project's random numbers: SplitMix64 to seed, xoshiro256** (Blackman & Vigna) to draw.
// Hand-written so that a seed gives the same stream on every platform and standard library
// (synthetic data, geomasking).
#pragma once

#include <cstdint>

namespace hotmap::random {

/// SplitMix64: advances `s` and returns the next output.
inline std::uint64_t splitmix64(std::uint64_t& s) noexcept
{
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/// xoshiro256**, its state seeded by four SplitMix64 outputs of `seed`.
class Xoshiro256 {
public:
    explicit Xoshiro256(std::uint64_t seed) noexcept
    {
        for (auto& w : m_s) w = splitmix64(seed);
    }
    std::uint64_t next() noexcept
    {
        const std::uint64_t r = rotl(m_s[1] * 5, 7) * 9;
        const std::uint64_t t = m_s[1] << 17;
        m_s[2] ^= m_s[0];
        m_s[3] ^= m_s[1];
        m_s[1] ^= m_s[2];
        m_s[0] ^= m_s[3];
        m_s[2] ^= t;
        m_s[3] = rotl(m_s[3], 45);
        return r;
    }
    /// Uniform in [0, 1), 53 bits.
    double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

private:
    static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
    std::uint64_t m_s[4]{};
};

} // namespace hotmap::random
