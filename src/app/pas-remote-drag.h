#pragma once

#include <gtk/gtk.h>

#include "pas-engine.h"

G_BEGIN_DECLS

#define PAS_TYPE_REMOTE_DRAG (pas_remote_drag_get_type ())

G_DECLARE_FINAL_TYPE (PasRemoteDrag, pas_remote_drag, PAS, REMOTE_DRAG, GdkContentProvider)

/* Remote files dragged out to another application (a file manager, the
 * desktop): offered as text/uri-list. The drop target is not known to us,
 * so when the data is asked for, the files are downloaded through the queue
 * into a private temporary folder and their local URIs are handed over; the
 * receiving application copies them from there. */
GdkContentProvider *pas_remote_drag_new (PasTransferQueue *queue,
                                         const char       *server,
                                         GPtrArray        *infos);

G_END_DECLS
