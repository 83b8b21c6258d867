#pragma once

#include <gio/gio.h>

#include "pas-transfer.h"

G_BEGIN_DECLS

#define PAS_TYPE_TRANSFER_QUEUE (pas_transfer_queue_get_type ())

G_DECLARE_FINAL_TYPE (PasTransferQueue, pas_transfer_queue, PAS, TRANSFER_QUEUE, GObject)

/* The transfer queue: a GListModel of PasTransfer. Each item belongs to a
 * server, named by a key the caller chooses (a saved session's id, or
 * "user@host:port"); items run on the SFTP channels given for their server,
 * at most max-running at a time (2 by default), within an optional speed
 * limit shared by all. Unfinished items are saved to a state file on every
 * change and come back when the queue is loaded again; they continue their
 * .filepart files. Runs in the thread-default main
 * context of its creator. */
PasTransferQueue *pas_transfer_queue_new              (const char        *state_file);
/* The channels to run @server's items on; NULL (or none) when it is
 * disconnected: its running items are paused and keep their place. */
void              pas_transfer_queue_set_sessions     (PasTransferQueue  *self,
                                                       const char        *server,
                                                       PasSftpSession * const *sessions,
                                                       guint              n_sessions);
/* How many channels @server's items have now (0: waiting for the connection). */
guint             pas_transfer_queue_count_sessions   (PasTransferQueue  *self,
                                                       const char        *server);
/* Whether @server has items queued or running (its connection is needed). */
gboolean          pas_transfer_queue_has_pending      (PasTransferQueue  *self,
                                                       const char        *server);
void              pas_transfer_queue_add              (PasTransferQueue  *self,
                                                       PasTransfer       *transfer,
                                                       const char        *server);
const char       *pas_transfer_queue_get_server       (PasTransferQueue  *self,
                                                       PasTransfer       *transfer);
void              pas_transfer_queue_set_max_running  (PasTransferQueue  *self,
                                                       guint              max_running);
/* Bytes per second for the whole queue, 0 for no limit. */
void              pas_transfer_queue_set_speed_limit  (PasTransferQueue  *self,
                                                       guint64            bytes_per_second);
guint64           pas_transfer_queue_get_speed_limit  (PasTransferQueue  *self);

/* Per item (NULL: every item). */
void              pas_transfer_queue_pause            (PasTransferQueue  *self,
                                                       PasTransfer       *transfer);
void              pas_transfer_queue_resume           (PasTransferQueue  *self,
                                                       PasTransfer       *transfer);
/* Stops it for good and removes the .filepart files it left (a pause keeps
 * them); a retry starts over. */
void              pas_transfer_queue_cancel           (PasTransferQueue  *self,
                                                       PasTransfer       *transfer);
void              pas_transfer_queue_retry            (PasTransferQueue  *self,
                                                       PasTransfer       *transfer);
/* Removes done and cancelled items. */
void              pas_transfer_queue_clear_finished   (PasTransferQueue  *self);

/* Totals over the unfinished items; "progress" is emitted at most ten
 * times a second while something runs. */
guint64           pas_transfer_queue_get_bytes_done   (PasTransferQueue  *self);
guint64           pas_transfer_queue_get_bytes_total  (PasTransferQueue  *self);
/* Unfinished items whose size is not known yet: then the total is not the
 * whole, and there is no time left to tell. */
guint             pas_transfer_queue_count_unsized    (PasTransferQueue  *self);
/* Bytes per second over the last few seconds, and seconds left (-1: unknown). */
double            pas_transfer_queue_get_rate         (PasTransferQueue  *self);
gint64            pas_transfer_queue_get_eta          (PasTransferQueue  *self);

/* Reads the state file: unfinished items of an earlier run come back —
 * queued (they start when their server is given) or paused, as they were.
 * A damaged file is reported (and set aside), never fatal. */
gboolean          pas_transfer_queue_load             (PasTransferQueue  *self,
                                                       GError           **error);

G_END_DECLS
