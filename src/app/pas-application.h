#pragma once

#include <adwaita.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_APPLICATION (pas_application_get_type ())

G_DECLARE_FINAL_TYPE (PasApplication, pas_application, PAS, APPLICATION, AdwApplication)

PasApplication *pas_application_new          (void);
GSettings      *pas_application_get_settings (PasApplication *self);
PasTransferQueue *pas_application_get_queue  (PasApplication *self);
PasSessionStore  *pas_application_get_session_store (PasApplication *self,
                                                     GError        **error);
PasResolver    *pas_application_get_resolver (PasApplication *self);
PasServer      *pas_application_get_server   (PasApplication *self,
                                             PasDestination *destination);
const char * const *pas_application_get_identity_files (PasApplication *self);
const char     *pas_application_get_known_hosts (PasApplication *self);
void            pas_application_set_identity_files (PasApplication     *self,
                                                    const char * const *files);
void            pas_application_set_known_hosts (PasApplication *self,
                                                 const char     *file);

G_END_DECLS
