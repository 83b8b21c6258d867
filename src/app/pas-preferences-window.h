#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PAS_TYPE_PREFERENCES_WINDOW (pas_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (PasPreferencesWindow, pas_preferences_window, PAS, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Every preference of the GSettings schema, bound both ways. */
PasPreferencesWindow *pas_preferences_window_new (GtkWindow *parent);

G_END_DECLS
