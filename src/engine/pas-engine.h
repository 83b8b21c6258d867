#pragma once

/* The engine's public API: GLib/GIO only, never GTK. */
#include "pas-error.h"
#include "pas-uri.h"
