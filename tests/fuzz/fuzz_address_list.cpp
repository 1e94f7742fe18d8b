// libFuzzer target: the address-list parser must never crash or hang on any header value,
// never let a control character into a name (where it could fake a header line), and never
// produce more mailboxes than there are bytes.

#include "mime/AddressList.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const auto list = wharf::mime::parseAddressList(input);
    if (list.size() > input.size())
        std::abort();
    for (const auto &mailbox : list) {
        for (const QChar ch : mailbox.name) {
            if (ch.unicode() < 0x20 || ch.unicode() == 0x7f)
                std::abort();
        }
        // The display form must end with the real address (Mailsploit): only the invisible
        // bidi controls that toDisplayString() drops may be missing from it.
        QString shownAddress = mailbox.address;
        shownAddress.removeIf([](QChar ch) {
            const char16_t u = ch.unicode();
            return u == 0x061c || u == 0x200e || u == 0x200f || (u >= 0x202a && u <= 0x202e) ||
                   (u >= 0x2066 && u <= 0x2069);
        });
        const QString display = mailbox.toDisplayString();
        if (!shownAddress.isEmpty() && !display.endsWith(shownAddress) &&
            !display.endsWith(shownAddress + u'>'))
            std::abort();
    }
    return 0;
}
