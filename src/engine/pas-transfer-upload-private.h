#pragma once

/* One upload spans two files: its steps — conflicts, opening or resuming
 * the .filepart, the closing requests, the rename into place — in
 * pas-transfer-upload.c, and its data — the WRITE streams, a big file split
 * over the run's channels and joined on the server, the server's free
 * space — in pas-transfer-upload-data.c. */

#include "pas-transfer-private.h"

G_BEGIN_DECLS

#define OLD_SUFFIX ".passerelle-old"

typedef struct _Writer Writer;

typedef struct
{
  PasFileJob     *job;
  PasSftpSession *session;
  char           *target;
  char           *partial;
  PasSftpFile    *file;           /* the main handle, until the closing requests */
  GInputStream   *in;
  GPtrArray      *writers;         /* of Writer; the first uses the main handle */
  gboolean        resume_this;
  gboolean        wrote_partial;   /* this run opened the .filepart */
  guint64         start;
  guint64         sent_size;       /* what the file must hold */
  guint           closing;         /* requests after the writes still to answer */
  guint           next_join;       /* the next part to join (from 1) */
  guint64         remote_size;
  gboolean        have_remote_size;
  guint8         *local_tail;
  gsize           local_tail_len;
  guint           rename_try;     /* the put-in-place steps without posix-rename */
  guint           name_try;       /* "keep both": which "name (N)" is being tried */
  PasConflictPolicy policy;
  PasSftpAttrs    target_attrs;
  GError         *error;
} Upload;

/* One stream of WRITEs over a range of the file. A big file is split into
 * one range per SFTP channel: each channel has its own window on the server
 * (OpenSSH: 2 MiB), which otherwise caps an upload at 2 MiB per round trip.
 * The first range goes into NAME.filepart, each other one into its own
 * NAME.filepart.N; copy-data then joins them on the server. So NAME.filepart
 * always holds a prefix of the file without holes, and resuming it is safe. */
struct _Writer
{
  Upload         *u;
  PasSftpSession *session;
  PasSftpFile    *file;
  GInputStream   *in;
  guint8         *buffer;
  char           *path;         /* helpers: their own part file */
  guint64         base;         /* where the range starts in the file */
  guint64         offset;
  guint64         end;          /* G_MAXUINT64: to the end of the local file */
  guint           inflight;
  guint64         inflight_bytes;
  gboolean        read_all;
  gboolean        finished;
  gboolean        throttled;    /* waiting for the speed limit */
};

/* pas-transfer-upload.c */
void          pas_upload_free          (Upload             *u);
/* Ends the file with @error (consumed; NULL: done). */
void          pas_upload_finish        (Upload             *u,
                                        GError             *error);
/* The first failure is kept (@error consumed); the writes drain, then it ends. */
void          pas_upload_fail          (Upload             *u,
                                        GError             *error);
GCancellable *pas_upload_cancellable   (Upload             *u);
/* The local end is reached: the closing requests go behind the writes. */
void          pas_upload_send_closing  (Upload             *u);
/* Every request answered: the size checked, then the rename. */
void          pas_upload_closed        (Upload             *u);

/* pas-transfer-upload-data.c */
void          pas_upload_writer_free   (Writer             *w);
void          pas_upload_start_writing (Upload             *u);
/* When the writers are all done: the closing, or the error explained. */
void          pas_upload_check_writers (Upload             *u);
guint64       pas_upload_statvfs_bytes (const PasSftpStatvfs *fs,
                                        guint64             blocks);
/* Asks the server for its free space; FALSE when it cannot say. */
gboolean      pas_upload_ask_room      (Upload             *u,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback);

G_END_DECLS
