#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define PAS_TYPE_APPLICATION (pas_application_get_type ())

G_DECLARE_FINAL_TYPE (PasApplication, pas_application, PAS, APPLICATION, AdwApplication)

PasApplication *pas_application_new          (void);
GSettings      *pas_application_get_settings (PasApplication *self);

G_END_DECLS
