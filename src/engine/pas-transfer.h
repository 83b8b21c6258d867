#pragma once

#include <gio/gio.h>

#include "pas-sftp-session.h"
#include "pas-transfer-types.h"

G_BEGIN_DECLS

#define PAS_TYPE_TRANSFER (pas_transfer_get_type ())

G_DECLARE_FINAL_TYPE (PasTransfer, pas_transfer, PAS, TRANSFER, GObject)



/* Where a transfer is in a queue (PasTransferQueue sets it). */
typedef enum
{
  PAS_TRANSFER_QUEUED,
  PAS_TRANSFER_RUNNING,
  PAS_TRANSFER_PAUSED,
  PAS_TRANSFER_DONE,
  PAS_TRANSFER_FAILED,
  PAS_TRANSFER_CANCELLED,
} PasTransferState;

/* One item of work: a file or a folder tree copied in one direction, from
 * @remote_path to @local (download) or from @local to @remote_path (upload).
 * Both name the destination itself, not the folder it goes into.
 *
 * Every file is written under "NAME.filepart" and renamed into place only
 * when complete and of the right size, so nothing half-written ever has its
 * final name. A run that fails or is cancelled leaves its .filepart files
 * (unless told not to keep them); a later run with resume set continues them
 * when their tail still matches the source. A transfer runs in the thread-default main context of the
 * thread that calls pas_transfer_run_async(); local files are read and
 * written in that thread. */
PasTransfer         *pas_transfer_new                (PasTransferDirection  direction,
                                                      const char           *remote_path,
                                                      GFile                *local);
PasTransferDirection pas_transfer_get_direction      (PasTransfer          *self);
const char          *pas_transfer_get_remote_path    (PasTransfer          *self);
GFile               *pas_transfer_get_local          (PasTransfer          *self);

gboolean             pas_transfer_get_recursive      (PasTransfer          *self);
PasConflictPolicy    pas_transfer_get_conflict_policy (PasTransfer         *self);
gboolean             pas_transfer_get_resume         (PasTransfer          *self);
/* "notify::state" tells when it changes; the error is that of the last run. */
PasTransferState     pas_transfer_get_state          (PasTransfer          *self);
const GError        *pas_transfer_get_error          (PasTransfer          *self);
void                 pas_transfer_set_recursive      (PasTransfer          *self,
                                                      gboolean              recursive);
void                 pas_transfer_set_conflict_policy (PasTransfer         *self,
                                                       PasConflictPolicy    policy);
/* Continue .filepart files left by an earlier run (default: start over). */
/* Who answers PAS_CONFLICT_ASK (nobody: such files are skipped). */
void                 pas_transfer_set_interaction    (PasTransfer          *self,
                                                      PasInteraction       *interaction);
void                 pas_transfer_set_resume         (PasTransfer          *self,
                                                      gboolean              resume);
void                 pas_transfer_set_follow_symlinks (PasTransfer         *self,
                                                       gboolean             follow);
void                 pas_transfer_set_preserve       (PasTransfer          *self,
                                                      gboolean              preserve);
void                 pas_transfer_set_fsync          (PasTransfer          *self,
                                                      gboolean              fsync);
/* Big uploads are split over the run's channels only when a round trip takes
 * at least this long (µs; default 10 ms, see PAS_SPLIT_MIN_ROUND_TRIP). */
void                 pas_transfer_set_split_round_trip (PasTransfer        *self,
                                                        gint64              usec);
/* Bytes per second for this transfer, 0 for no limit; may change while it
 * runs. */
void                 pas_transfer_set_rate_limit     (PasTransfer          *self,
                                                      guint64               bytes_per_second);
/* Whether a cancelled run leaves its .filepart files for a resume (the
 * default: a pause) or removes them (FALSE: cancelled for good). May change
 * while it runs. A file the user had before and chose to resume is kept. */
void                 pas_transfer_set_keep_partial   (PasTransfer          *self,
                                                      gboolean              keep);
/* Removes the .filepart files earlier runs left (those of a one-file
 * transfer are known by name even from before a restart); remote ones through
 * @session, when there is one. Nothing waits for the removals. */
void                 pas_transfer_remove_partials    (PasTransfer          *self,
                                                      PasSftpSession       *session);
/* How many files are copied at once (small files overlap their round trips). */
void                 pas_transfer_set_max_files      (PasTransfer          *self,
                                                      guint                 max_files);
/* Makes the transfer copy these files, relative to its two paths ('/'-
 * separated, each a file), instead of walking what its paths name: a sync's
 * plan. A run looks each one up when it comes to it and copies those an
 * earlier run did not, so a paused list goes on where it stopped. FALSE (and
 * nothing changed) when a path is empty, absolute, or has a "." or ".."
 * part. Not while running. */
/* Whether @name is one of our copies in progress ("x.filepart", or a part
 * of a split upload, "x.filepart.2"). */
gboolean             pas_transfer_is_partial_name    (const char           *name);
gboolean             pas_transfer_set_files          (PasTransfer          *self,
                                                      const char * const   *paths);
/* Returns: (transfer full) (nullable): a list's files still to copy, or
 * NULL when the transfer walks its paths. */
char               **pas_transfer_dup_files          (PasTransfer          *self);

void                 pas_transfer_run_async          (PasTransfer          *self,
                                                      PasSftpSession       *session,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* The same on several SFTP channels (of one connection or several): files
 * are spread over them, and big uploads split across them (each channel
 * has its own flow-control window on the server). */
void                 pas_transfer_run_on_async       (PasTransfer          *self,
                                                      PasSftpSession * const *sessions,
                                                      guint                 n_sessions,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* FALSE with an error when the whole transfer failed, or PAS_ERROR_PARTIAL
 * when only some items did: pas_transfer_get_failures() lists them. */
gboolean             pas_transfer_run_finish         (PasTransfer          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* As pas_transfer_run_finish(). */
gboolean             pas_transfer_run_on_finish      (PasTransfer          *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Progress of the current or last run. The "progress" signal is emitted at
 * most ten times a second while it runs, and once at its end. */
guint64              pas_transfer_get_bytes_done     (PasTransfer          *self);
/* Grows while a folder tree is being walked; before a run, the expected
 * size if one was given. */
guint64              pas_transfer_get_bytes_total    (PasTransfer          *self);
/* Whether the total is the whole size: the walk has ended, or the size was
 * given before the run. */
gboolean             pas_transfer_is_size_known      (PasTransfer          *self);
/* The size a listing showed for a one-file transfer, or -1. */
void                 pas_transfer_set_expected_size  (PasTransfer          *self,
                                                      gint64                size);
guint                pas_transfer_get_files_done     (PasTransfer          *self);
guint                pas_transfer_get_files_total    (PasTransfer          *self);
guint                pas_transfer_get_files_skipped  (PasTransfer          *self);
/* Bytes not copied again because a partial copy was continued. */
guint64              pas_transfer_get_bytes_resumed  (PasTransfer          *self);
/* The escaped name of the file that last made progress. */
char                *pas_transfer_dup_current_name   (PasTransfer          *self);
/* Where a one-file transfer writes when "Keep Both" chose another name than
 * its own (a remote path for uploads, a local one for downloads), else NULL. */
char                *pas_transfer_dup_destination    (PasTransfer          *self);
char                *pas_transfer_dup_kept_name      (PasTransfer          *self);
void                 pas_transfer_set_kept_name      (PasTransfer          *self,
                                                      const char           *path);
/* Bytes per second over about the last second while it runs, else 0. */
double               pas_transfer_get_rate           (PasTransfer          *self);
/* A conflict question of this transfer waits for an answer. */
gboolean             pas_transfer_is_asking          (PasTransfer          *self);
/* Each failed item, in order: GErrors whose message starts with the name. */
GPtrArray           *pas_transfer_get_failures       (PasTransfer          *self);

G_END_DECLS
