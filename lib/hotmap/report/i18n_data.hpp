// SPDX-License-Identifier: MIT
// The catalogue files as embedded at build time (cmake/embed_lang.cmake); internal to i18n.cpp.
#pragma once

#include <string_view>
#include <vector>

namespace hotmap::report::detail {

struct EmbeddedCatalog {
    std::string_view lang; ///< "en", "fr": the file's stem
    std::string_view text; ///< the whole lang/<lang>.txt
};

/// Every catalogue, English first (generated source lang_catalogs.cpp).
const std::vector<EmbeddedCatalog>& embedded_catalogs();

} // namespace hotmap::report::detail
