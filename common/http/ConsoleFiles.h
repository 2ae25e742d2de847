#pragma once

#include <span>
#include <string_view>

namespace tributary::http {

// A file compiled into the binary: its name (no folder) and its bytes, which live as long as
// the program.
struct EmbeddedFile {
  std::string_view name;
  std::string_view bytes;
};

// The web console's files (common/http/console/*), sorted by name. Defined in a source that
// cmake/EmbedFiles.cmake generates at build time from those files.
std::span<const EmbeddedFile> ConsoleFiles();

}  // namespace tributary::http
