#pragma once

namespace wharf::ui {

// The icon lives in a static library: nothing references its resource object, so the linker
// would drop it unless something registers it explicitly. Safe to call more than once.
void initResources();

} // namespace wharf::ui
