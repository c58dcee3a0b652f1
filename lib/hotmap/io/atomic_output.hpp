// SPDX-License-Identifier: MIT
// Atomic outputs: write to a temporary file beside the target, rename when complete.
#pragma once

#include <string>
#include <vector>

namespace hotmap::io {

/// Checks the target up front (exists without overwrite, missing or unwritable folder:
/// OutputError naming the path), hands out a temporary path with the same extension, and
/// on commit() renames it (and sidecars such as .shx/.dbf/.prj/.cpg/.qml) onto the target.
/// Without commit() the destructor removes every temporary file: no partial output.
class AtomicOutput {
public:
    AtomicOutput(std::string target, bool overwrite,
                 std::vector<std::string> sidecar_exts = {});
    ~AtomicOutput();
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;

    const std::string& temp_path() const noexcept { return m_temp; }
    const std::string& target() const noexcept { return m_target; }
    /// Rename into place. Throws OutputError on failure.
    void commit();

private:
    std::string m_target, m_temp;
    std::vector<std::string> m_sidecars;
    bool m_done = false;
};

/// Throws OutputError now when `target` could not be written later (exists without
/// overwrite, folder missing or unwritable): commands call it before any work.
void check_writable(const std::string& target, bool overwrite);

/// Path with its extension (".shp") replaced by `ext` (".dbf").
std::string replace_extension(const std::string& path, const std::string& ext);
/// Lower-case extension with the dot, "" when none.
std::string extension_of(const std::string& path);

} // namespace hotmap::io
