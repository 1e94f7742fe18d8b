// libFuzzer target: the listing parsers (MLSD, every LIST form, NLST, MLST replies) must
// never crash, leak or hit undefined behaviour on anything a server sends, and what they
// return must hold the promises the transfer code relies on: every entry's name is usable
// as one local path component, sizes are -1 or more, every problem says why, and the
// listing does not depend on how the data connection split the bytes.

#include "protocols/ftp/ListingParser.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

using namespace wharf::ftp;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

void checkEntry(const RemoteEntry &entry)
{
    require(ListingParser::isUsableName(entry.name));
    require(!entry.wireName.isEmpty());
    require(entry.size >= -1);
    require(entry.unixMode >= -1 && entry.unixMode <= 07777);
    require(!entry.modified.isValid() || entry.modified.timeSpec() == Qt::UTC);
}

void checkListing(const Listing &listing)
{
    for (const RemoteEntry &entry : listing.entries)
        checkEntry(entry);
    for (const ListingProblem &problem : listing.unparsed + listing.refused) {
        require(!problem.reason.isEmpty());
        require(problem.line.size() <= ListingParser::kMaxLineLength + 1);
    }
}

bool sameEntries(const Listing &a, const Listing &b)
{
    if (a.entries.size() != b.entries.size() || a.unparsed.size() != b.unparsed.size() ||
        a.refused.size() != b.refused.size())
        return false;
    for (qsizetype i = 0; i < a.entries.size(); ++i) {
        const RemoteEntry &x = a.entries.at(i), &y = b.entries.at(i);
        if (x.wireName != y.wireName || x.name != y.name || x.type != y.type || x.size != y.size ||
            x.modified != y.modified || x.linkTarget != y.linkTarget)
            return false;
    }
    for (qsizetype i = 0; i < a.unparsed.size(); ++i) {
        if (a.unparsed.at(i).line != b.unparsed.at(i).line)
            return false;
    }
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QDateTime now(QDate(2024, 6, 15), QTime(12, 0), Qt::UTC);
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    // The first byte chooses where the data connection's first read ends.
    const qsizetype split = size == 0 ? 0 : qsizetype(data[0]) * qsizetype(size) / 256;

    for (const ListingFormat format :
         {ListingFormat::Mlsd, ListingFormat::List, ListingFormat::Nlst}) {
        const Listing whole = parseListing(input, format, now);
        checkListing(whole);

        ListingParser parser(format, now);
        parser.addData(input.first(split));
        parser.addData(input.sliced(split));
        const Listing chunked = parser.finish();
        checkListing(chunked);
        require(sameEntries(whole, chunked));
    }

    // The single-line helpers on each line, as the session may call them.
    if (size <= 4096) {
        checkListing(parseMlstReply(input.toByteArray().split('\n')));
        qsizetype start = 0;
        while (start <= input.size()) {
            qsizetype end = input.indexOf('\n', start);
            if (end < 0)
                end = input.size();
            const QByteArrayView line = input.sliced(start, end - start);
            if (const auto entry = ListingParser::parseMlsdLine(line))
                require(entry->size >= -1);
            if (const auto entry = ListingParser::parseListLine(line, now))
                require(entry->size >= -1);
            start = end + 1;
        }
    }
    return 0;
}
