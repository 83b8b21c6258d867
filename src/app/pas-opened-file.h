#pragma once

#include <gio/gio.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_OPENED_FILE (pas_opened_file_get_type ())

G_DECLARE_FINAL_TYPE (PasOpenedFile, pas_opened_file, PAS, OPENED_FILE, GObject)

/* A remote file opened in a local application: downloaded through the queue
 * into a private cache folder, launched, then watched. When the copy is
 * saved, "changed" is emitted (once per save, after the writes settle); the
 * owner asks whether to upload it and calls pas_opened_file_upload(). */
PasOpenedFile *pas_opened_file_new          (PasTransferQueue *queue,
                                             const char       *server,
                                             const char       *remote_path);
void           pas_opened_file_start        (PasOpenedFile    *self);
const char    *pas_opened_file_get_remote_path (PasOpenedFile *self);
GFile         *pas_opened_file_get_local    (PasOpenedFile    *self);
void           pas_opened_file_upload       (PasOpenedFile    *self);
void           pas_opened_file_stop         (PasOpenedFile    *self);

G_END_DECLS
