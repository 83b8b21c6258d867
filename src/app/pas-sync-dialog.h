#pragma once

#include <adwaita.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_SYNC_DIALOG (pas_sync_dialog_get_type ())

G_DECLARE_FINAL_TYPE (PasSyncDialog, pas_sync_dialog, PAS, SYNC_DIALOG, AdwWindow)

/* Makes one of the two folders shown like the other: a preview of every
 * action (deletions first) before anything runs; then deletions and
 * folders are made, and copies go to the transfer queue under @server_key.
 * "started" tells how many copies were queued, what failed, and the
 * queue's item that copies them. */
PasSyncDialog *pas_sync_dialog_new             (GtkWindow        *parent,
                                                PasSftpSession   *session,
                                                PasTransferQueue *queue,
                                                const char       *server_key,
                                                const char       *local_folder,
                                                const char       *remote_folder);
/* What the preview shows: the plan, NULL while comparing. */
GPtrArray     *pas_sync_dialog_get_plan        (PasSyncDialog    *self);

G_END_DECLS
