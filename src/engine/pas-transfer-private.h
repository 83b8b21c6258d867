#pragma once

/* What one file's copy (pas-transfer-download.c, pas-transfer-upload.c)
 * asks of its run (pas-transfer-run.c). Everything runs in the run's main
 * context, the transfer thread. */

#include "pas-interaction.h"
#include "pas-sftp-file.h"
#include "pas-sftp-list.h"
#include "pas-sftp-tree.h"
#include "pas-transfer.h"

G_BEGIN_DECLS

#define PAS_PARTIAL_SUFFIX ".filepart"
/* An upload at least this big is split across the run's SFTP channels. */
#define PAS_SPLIT_MIN (32 * 1024 * 1024)
/* Splitting pays only when sshd's 2 MiB channel window, not the CPU, is the
 * limit: 2 MiB per round trip is 200 MB/s at 10 ms. On a fast link the split
 * costs more (the server copies the parts together) than it brings:
 * measured at 0 ms, 1 GiB up took 2.9–3.4 s on one channel, 3.8–5.3 s on 4. */
#define PAS_SPLIT_MIN_ROUND_TRIP (10 * G_TIME_SPAN_MILLISECOND)
/* Bytes compared at the end of a .filepart before it is continued. */
#define PAS_RESUME_CHECK (64 * 1024)

typedef struct _PasTransferRun PasTransferRun;

/* One file to copy. @remote and @local are the final names. */
typedef struct
{
  PasTransferRun *run;
  char           *remote;
  GFile          *local;
  PasSftpAttrs    source;    /* size, mtime and mode of the source (both directions) */
  char           *name;      /* escaped, for messages and progress */
  guint64         counted;   /* bytes this file added to the progress */
  guint           session_index;
  struct _PasListed *listed;  /* a list's entry, marked once it is copied */
} PasFileJob;

/* Options and read sizes the copy of one file needs. */
typedef struct
{
  PasConflictPolicy policy;
  gboolean          resume;
  gboolean          preserve;
  gboolean          fsync;
  guint32           read_size;
  guint32           write_size;
  gint64            round_trip;   /* µs, measured on the limits request; 0: unknown */
  gint64            split_round_trip;
} PasCopyOptions;

/* The channel this file was given (the run spreads files over them)… */
PasSftpSession       *pas_file_job_get_session  (PasFileJob     *job);
guint                 pas_file_job_get_session_index (PasFileJob *job);
/* …and all of the run's channels. */
guint                 pas_file_job_get_sessions (PasFileJob     *job,
                                                 PasSftpSession * const **sessions);
GCancellable         *pas_file_job_get_cancellable (PasFileJob  *job);
const PasCopyOptions *pas_file_job_get_options  (PasFileJob     *job);
/* Bytes this file may have in flight now: a share of the run's budget. */
guint64               pas_file_job_get_budget   (PasFileJob     *job);
void                  pas_file_job_progress     (PasFileJob     *job,
                                                 gint64          delta);
/* The first @bytes were already there: counted as done and as resumed. */
void                  pas_file_job_resumed      (PasFileJob     *job,
                                                 guint64         bytes);
/* Ends the file: @error (consumed) says why it failed; NULL and @skipped when
 * the conflict policy kept the existing file. */
void                  pas_file_job_done         (PasFileJob     *job,
                                                 GError         *error,
                                                 gboolean        skipped);

/* A file ended (@error NULL: done) after writing @path, the .filepart, on
 * the server or here: remembered while it is left for a resume, forgotten
 * once whole. TRUE when the caller must remove it now: the transfer was
 * cancelled for good and @removable (not a file the user had before). */
gboolean              pas_file_job_settle_partial (PasFileJob   *job,
                                                   gboolean      remote,
                                                   const char   *path,
                                                   const GError *error,
                                                   gboolean      removable);

/* "Keep Both" gave the file of a one-file transfer another name: @path
 * (remote, or local) is what it shows as its destination. */
void                  pas_file_job_set_destination (PasFileJob  *job,
                                                    const char  *path);

/* The speed limit: FALSE when @bytes must wait; then @again runs (with
 * @data) once there is room — at the latest on the next refill. */
gboolean              pas_file_job_take_tokens  (PasFileJob     *job,
                                                 guint64         bytes,
                                                 GSourceFunc     again,
                                                 gpointer        data);

typedef void (*PasConflictAnswerFunc) (PasConflictPolicy policy,
                                       gpointer          data);
/* Asks the transfer's interaction, one question at a time per run; an
 * answer "for all" answers the later ones; nobody to ask means skip. */
void                  pas_file_job_ask_conflict (PasFileJob            *job,
                                                 const PasConflictQuery *query,
                                                 PasConflictAnswerFunc  answer,
                                                 gpointer               data);

void                  pas_transfer_set_state    (PasTransfer    *self,
                                                 PasTransferState state,
                                                 const GError   *error);

void                  pas_download_start        (PasFileJob     *job);
void                  pas_upload_start          (PasFileJob     *job);

/* "name.ext" -> "name (2).ext", the first that @exists() says is free. */
char                 *pas_transfer_keep_both_name (const char   *name,
                                                   guint         n);

G_END_DECLS
