#pragma once

#include <adwaita.h>

#include "pas-engine.h"
#include "pas-application.h"
#include "pas-browser.h"
#include "pas-transfer-panel.h"

G_BEGIN_DECLS

#define PAS_TYPE_WINDOW (pas_window_get_type ())

G_DECLARE_FINAL_TYPE (PasWindow, pas_window, PAS, WINDOW, AdwApplicationWindow)

PasWindow        *pas_window_new                (PasApplication *application);
PasBrowser       *pas_window_add_address        (PasWindow        *self,
                                                 const PasAddress *address);
PasBrowser       *pas_window_add_server         (PasWindow      *self,
                                                 const PasUri   *uri);
PasBrowser       *pas_window_add_session        (PasWindow      *self,
                                                 PasSession     *session);
guint             pas_window_get_n_servers      (PasWindow      *self);
PasBrowser       *pas_window_get_browser        (PasWindow      *self,
                                                 guint           index);
PasBrowser       *pas_window_get_active_browser (PasWindow      *self);
PasTransferPanel *pas_window_get_transfer_panel (PasWindow      *self);
void              pas_window_show_error         (PasWindow      *self,
                                                 const GError   *error);
const char       *pas_window_get_error_text     (PasWindow      *self);

G_END_DECLS
