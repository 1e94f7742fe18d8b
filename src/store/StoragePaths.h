#pragma once

#include <QString>

namespace wharf::store {

// Where Wharf keeps what the user must not lose. Both the GUI and wharf-cli use the same
// places, whatever the running program is called, so they follow the XDG variables:
//   $XDG_CONFIG_HOME/wharf  (default ~/.config/wharf)      profiles, trusted certificates
//   $XDG_DATA_HOME/wharf    (default ~/.local/share/wharf) mail (Maildir) and its indexes
QString configDirectory();
QString dataDirectory();

// The Maildir++ root of one account's mail; "local" is Local Folders.
QString accountMailDirectory(const QString &accountId);
inline constexpr char16_t kLocalFoldersAccount[] = u"local";

} // namespace wharf::store
