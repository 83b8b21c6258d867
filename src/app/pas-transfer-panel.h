#pragma once

#include <adwaita.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_TRANSFER_PANEL (pas_transfer_panel_get_type ())

G_DECLARE_FINAL_TYPE (PasTransferPanel, pas_transfer_panel, PAS, TRANSFER_PANEL, GtkWidget)

/* The transfer queue at the bottom of the window: one row per item with
 * its direction, names, progress, rate, time left and state, and buttons to
 * pause, resume, cancel and retry it; totals in its header. */
PasTransferPanel *pas_transfer_panel_new           (PasTransferQueue *queue);
const char       *pas_transfer_panel_get_summary   (PasTransferPanel *self);
void              pas_transfer_panel_set_notify_after (PasTransferPanel *self,
                                                       gint64            usec);

G_END_DECLS
