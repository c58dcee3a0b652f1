// SPDX-License-Identifier: MIT
// Staged outputs: every output of a run is written to a temporary beside its target, and all
// are renamed into place together when the run has succeeded. A failure, SIGINT or SIGTERM
// removes every temporary: a run leaves all its outputs or none (sqlite's and git's "write
// aside, rename into place", applied to the whole run).
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace hotmap::io {

/// One staged output: the temporary to write now, and the target it becomes at commit.
struct Staged {
    std::string target; ///< the path asked for; messages name it
    std::string temp;   ///< the temporary (same folder, same extension)
};

/// The outputs of one run. Not copyable; one per run.
class OutputSet {
public:
    explicit OutputSet(bool overwrite);
    /// Removes every temporary unless commit() succeeded.
    ~OutputSet();
    OutputSet(const OutputSet&) = delete;
    OutputSet& operator=(const OutputSet&) = delete;

    /// An input of the run: no output may replace it (same file, however it is spelled).
    void protect(const std::string& input_path);
    /// Register an output now, before any work: throws OutputError when it exists without
    /// --overwrite, is a folder, its folder is missing or not writable, it is an input, or it
    /// is given twice. `sidecars` are extensions (".shx", ".qml") of files written beside the
    /// temporary that move with it. Returns the staged paths (valid while the set lives).
    const Staged& add(const std::string& target, const std::vector<std::string>& sidecars = {});
    /// Rename every temporary (and its sidecars) onto its target. Throws OutputError.
    void commit();
    std::size_t size() const noexcept { return m_items.size(); }

    /// Install SIGINT/SIGTERM handlers that remove the temporaries of every live OutputSet,
    /// then end the process by the same signal. Call once from main().
    static void install_signal_cleanup();

private:
    struct Item {
        Staged paths;
        std::vector<std::string> sidecars;
        std::vector<int> slots; ///< entries in the signal-safe registry
    };
    bool m_overwrite;
    bool m_done = false;
    std::vector<std::string> m_inputs;
    std::vector<std::unique_ptr<Item>> m_items;
};

/// Throws OutputError now when `target` could not be written later (exists without
/// overwrite, is a folder, folder missing or unwritable).
void check_writable(const std::string& target, bool overwrite);

/// Path with its extension (".shp") replaced by `ext` (".dbf").
std::string replace_extension(const std::string& path, const std::string& ext);
/// Lower-case extension with the dot, "" when none.
std::string extension_of(const std::string& path);

} // namespace hotmap::io
