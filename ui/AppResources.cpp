#include "AppResources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE declares the rcc function in the enclosing namespace, which must be the
// global one.
static void registerWharfResources()
{
    Q_INIT_RESOURCE(wharf);
}

namespace wharf::ui {

void initResources()
{
    static const bool registered = [] {
        registerWharfResources();
        return true;
    }();
    Q_UNUSED(registered);
}

} // namespace wharf::ui
